"""R1 data from the card's batch and account events (issue 8): contacts.changed (an import's
merge, 500 contacts per event) and account.changed reach party_dim.attributes like
contact.changed, in one statement per event, replay-safe and ordered by the card's change time
(a batch is keyed by its import job, so it may arrive after a later single edit)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from crm.events.contacts.v1 import contact_events_pb2 as cev
from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm_common.db import unit_of_work
from crm_common.protoutil import timestamp
from crm_reporting.builder.compiler import Scope
from crm_reporting.builder.service import Viewer, run_definition

from .conftest import event

T0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
ADMIN = Viewer(user_id=None, roles=("admin",), scope=Scope())


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def card(
    party: str, minute: int, name: str = "", account_id: str = "", **fields
) -> cev.ContactChanged:
    return cev.ContactChanged(
        party_id=party,
        contact_id=str(uuid.uuid4()),
        account_id=account_id,
        name=name,
        custom_fields={k: json.dumps(v, ensure_ascii=False) for k, v in fields.items()},
        changed_at=timestamp(at(minute)),
    )


def batch(tenant: uuid.UUID, minute: int, *cards: cev.ContactChanged):
    """A contacts.changed as the importer writes it (event time = its contacts' changed_at)."""
    job = str(uuid.uuid4())
    msg = cev.ContactsChanged(contacts=cards, batch_id=job, origin="import", part=1)
    return event(msg, tenant_id=tenant, at=at(minute))


def single(tenant: uuid.UUID, minute: int, c: cev.ContactChanged):
    return event(c, tenant_id=tenant, at=at(minute))


async def parties(db, tenant: uuid.UUID) -> dict[str, dict]:
    return {str(r["party_id"]): r for r in await db.rows("party_dim", tenant)}


async def test_r1_contacts_changed_batch_sets_attributes_for_all_its_parties(db):
    """R1: one contacts.changed of 500 contacts files all 500 parties (dynamic values decoded,
    name, customer flag, the card's change time); a party known from its lead keeps its source."""
    tenant = uuid.uuid4()
    ps = [str(uuid.uuid4()) for _ in range(500)]
    lead = str(uuid.uuid4())
    await db.feed(
        event(
            lead_ev.LeadCaptured(lead_id=lead, party_id=ps[0], name="דנה", source="google",
                                 captured_at=timestamp(at(0))),
            tenant_id=tenant, at=at(0),
        )
    )  # fmt: skip
    tiers = ("gold", "silver", "bronze")
    cards = [
        card(p, 5, f"לקוח {i}", tier=tiers[i % 3], seats=i, tags=["vip", "צפון"][: i % 3])
        for i, p in enumerate(ps)
    ]
    await db.feed(batch(tenant, 5, *cards))
    rows = await parties(db, tenant)
    assert len(rows) == 500
    for i, p in enumerate(ps):
        r = rows[p]
        want = {"tier": tiers[i % 3], "seats": i, "tags": ["vip", "צפון"][: i % 3]}
        assert r["attributes"] == want, i
        assert (r["name"], r["is_customer"], r["attributes_at"]) == (f"לקוח {i}", True, at(5))
    assert rows[ps[0]]["source"] == "google" and rows[ps[0]]["lead_id"] == uuid.UUID(lead)


async def test_r1_contacts_changed_batch_replayed_is_a_no_op(db):
    """R1: the same batch twice (a replay past the inbox, a rebuild) leaves the same rows; a
    replay after a newer single edit does not undo the edit."""
    tenant = uuid.uuid4()
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    imported = batch(tenant, 5, card(a, 5, "א", tier="gold"), card(b, 5, "ב", tier="silver"))
    await db.feed(imported)
    once = await db.snapshot(tenant)
    await db.feed(imported)
    assert await db.snapshot(tenant) == once
    await db.feed(single(tenant, 9, card(a, 9, "א", tier="vip")))
    edited = await db.snapshot(tenant)
    await db.feed(imported)
    assert await db.snapshot(tenant) == edited
    assert (await parties(db, tenant))[a]["attributes"] == {"tier": "vip"}


async def test_r1_older_batch_after_newer_single_contact_changed_does_not_overwrite(db):
    """R1: an import's batch (changed at minute 5) consumed after a single edit of one of its
    parties (minute 9, another partition) keeps the edit and still files the batch's other
    parties; both arrival orders give the same rows."""
    tenant = uuid.uuid4()
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    edit = single(tenant, 9, card(a, 9, "אבי כהן", tier="gold", seats=3))
    old = batch(tenant, 5, card(a, 5, "אבי", tier="silver"), card(b, 5, "בני", tier="bronze"))

    await db.feed(edit, old)
    rows = await parties(db, tenant)
    assert rows[a]["attributes"] == {"tier": "gold", "seats": 3}
    assert (rows[a]["name"], rows[a]["attributes_at"]) == ("אבי כהן", at(9))
    assert rows[b]["attributes"] == {"tier": "bronze"}
    late_order = await db.snapshot(tenant)

    await db.truncate()
    await db.feed(old, edit)
    assert await db.snapshot(tenant) == late_order


async def test_r1_account_changed_sets_the_accounts_party_attributes(db):
    """R1: account.changed files the account's dynamic fields on its party (a customer); a
    contact of that account is one of its people, not a customer of its own."""
    tenant = uuid.uuid4()
    account_party, person = str(uuid.uuid4()), str(uuid.uuid4())
    account_id = str(uuid.uuid4())
    await db.feed(
        event(
            cev.AccountChanged(party_id=account_party, account_id=account_id, name="אקמה בע\"מ",
                               custom_fields={"industry": '"הייטק"', "employees": "40"},
                               changed_at=timestamp(at(1))),
            tenant_id=tenant, at=at(1),
        ),
        single(tenant, 2, card(person, 2, "רותם", account_id=account_id, role="cto")),
    )  # fmt: skip
    rows = await parties(db, tenant)
    assert rows[account_party]["attributes"] == {"industry": "הייטק", "employees": 40}
    assert (rows[account_party]["name"], rows[account_party]["is_customer"]) == (
        'אקמה בע"מ',
        True,
    )
    assert (rows[person]["attributes"], rows[person]["is_customer"]) == ({"role": "cto"}, False)


async def test_r1_builder_groups_imported_customers_by_a_dynamic_field(db):
    """R1: customers that came in through an import (batches only, no lead, no single edit)
    are grouped and filtered by their dynamic field in the builder."""
    tenant = uuid.uuid4()
    tiers = ["gold", "gold", "silver", "gold", None, "silver", "bronze"]
    cards = [
        card(str(uuid.uuid4()), 5, f"לקוח {i}", **({"tier": t} if t else {}))
        for i, t in enumerate(tiers)
    ]
    await db.feed(batch(tenant, 5, *cards[:4]), batch(tenant, 6, *cards[4:]))

    async def run(definition: dict):
        async with unit_of_work(db.sessionmaker, tenant_id=tenant) as s:
            return await run_definition(session=s, tenant_id=tenant, raw=definition, viewer=ADMIN)

    grouped = await run(
        {"subject": "customers", "group_by": ["attributes.tier"], "measures": [{"op": "count"}]}
    )
    assert sorted(grouped.rows, key=lambda r: (r[0] is None, r[0] or "")) == [
        ["bronze", 1],
        ["gold", 3],
        ["silver", 2],
        [None, 1],
    ]
    gold = await run(
        {
            "subject": "customers",
            "fields": ["name"],
            "filters": [{"field": "attributes.tier", "op": "eq", "value": "gold"}],
        }
    )
    assert sorted(r[0] for r in gold.rows) == ["לקוח 0", "לקוח 1", "לקוח 3"]
