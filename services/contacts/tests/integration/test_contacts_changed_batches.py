"""R1 data from set-based changes: an import's merge, a bulk update and accounts publish the
state of what they changed (``contacts.changed`` in batches, ``account.changed``), so reporting
can group and filter by dynamic fields (issue 8)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import uuid

import sqlalchemy as sa
from google.protobuf.struct_pb2 import Struct
from sqlalchemy import select, text

from crm.contacts.v1 import card_service_pb2 as pb
from crm.events.contacts.v1 import contact_events_pb2 as cev
from crm_common.db import unit_of_work
from crm_common.plumbing import outbox_table, tenant_directory_table
from crm_common.scheduler import Scheduler
from crm_contacts.card.contact_events import BATCH
from crm_contacts.importer import service as importer
from crm_contacts.jobs import jobs

TIERS = ("gold", "silver", "bronze")


async def define(contacts, caller, entity: str, key: str, type_: str, options=()) -> None:
    await contacts.card.DefineField(
        pb.DefineFieldRequest(
            field=pb.FieldDefinition(
                entity=entity, key=key, label_he=key, type=type_, options=list(options)
            )
        ),
        metadata=caller.md,
        timeout=5,
    )


async def outbox(contacts, caller, type_: str) -> list:
    async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
        return (
            await s.execute(
                select(outbox_table)
                .where(outbox_table.c.type == type_, outbox_table.c.tenant_id == caller.tenant)
                .order_by(outbox_table.c.id)
            )
        ).all()


async def settle() -> None:
    """Wait for the background writers the imports started (same event loop as the server)."""
    await asyncio.gather(*list(importer.background))


def decoded(c: cev.ContactChanged) -> dict:
    return {k: json.loads(v) for k, v in c.custom_fields.items()}


async def state(contacts, caller) -> dict[str, tuple]:
    """Every contact of the tenant: party -> (contact id, name, phones, custom)."""
    async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
        rows = await s.execute(
            text("SELECT party_id, id, first_name, last_name, phones, custom FROM contacts")
        )
        return {
            str(r.party_id): (
                str(r.id),
                f"{r.first_name} {r.last_name}".strip(),
                r.phones,
                r.custom,
            )
            for r in rows
        }


def csv_of(rows: list[tuple[int, str, str]]) -> bytes:
    lines = ["first,last,phone,tier,seats"]
    lines += [f"דנה{i},כהן,054-{2_000_000 + i:07d},{tier},{seats}" for i, tier, seats in rows]
    return ("\n".join(lines) + "\n").encode()


async def test_r1_import_writes_contacts_changed_batches_with_every_rows_dynamic_fields(
    contacts, caller
):
    """R1 (issue 8): an import of N rows writes ceil(N/500) contacts.changed events, keyed by
    the job, that together carry every imported contact's full state and dynamic fields; an
    update import carries the merged values of the contacts it updated."""
    await define(contacts, caller, "contact", "tier", "select", TIERS)
    await define(contacts, caller, "contact", "seats", "number")
    n = 2 * BATCH + 3
    mapping = {"first": "first_name", "last": "last_name", "phone": "phone",
               "tier": "custom.tier", "seats": "custom.seats"}  # fmt: skip
    rows = [(i, TIERS[i % 3], str(i % 7) if i % 4 else "") for i in range(n)]
    job = (
        await contacts.card.ImportContacts(
            pb.ImportContactsRequest(csv=csv_of(rows), mapping=mapping, duplicate_policy="create"),
            metadata=caller.md,
            timeout=30,
        )
    ).job
    assert (job.created, job.status) == (n, "events_pending")
    await settle()
    done = await contacts.card.GetImportJob(
        pb.GetImportJobRequest(job_id=job.id), metadata=caller.md, timeout=5
    )
    assert done.job.status == "done"

    events = await outbox(contacts, caller, "contacts.changed")
    assert len(events) == math.ceil(n / BATCH) == 3
    assert {e.topic for e in events} == {"crm.contacts.contact"}
    assert {e.aggregate_id for e in events} == {job.id}
    batches = [cev.ContactsChanged.FromString(e.payload) for e in events]
    assert sorted(b.part for b in batches) == [1, 2, 3]
    assert [len(b.contacts) for b in batches] == [BATCH, BATCH, 3]
    assert {(b.batch_id, b.origin) for b in batches} == {(job.id, "import")}
    got = {c.party_id: c for b in batches for c in b.contacts}
    want = await state(contacts, caller)
    assert len(got) == len(want) == n
    by_phone = {f"+97254{2_000_000 + i:07d}": (i, tier, seats) for i, tier, seats in rows}
    for party, (contact_id, name, phones, custom) in want.items():
        c = got[party]
        assert (c.contact_id, c.name, list(c.phones)) == (contact_id, name, phones)
        i, tier, seats = by_phone[phones[0]]
        expected = {"tier": tier, **({"seats": float(seats)} if seats else {})}
        assert decoded(c) == custom == expected, i
        assert c.HasField("changed_at")

    # duplicate policy update: two known phones change tier, one new row; 2 contacts in 1 event
    again = csv_of([(0, "bronze", ""), (1, "gold", "9")]) + "חדש,לוי,054-9999998,silver,\n".encode()
    job2 = (
        await contacts.card.ImportContacts(
            pb.ImportContactsRequest(csv=again, mapping=mapping, duplicate_policy="update"),
            metadata=caller.md,
            timeout=30,
        )
    ).job
    assert (job2.created, job2.updated) == (1, 2)
    await settle()
    (second,) = [
        cev.ContactsChanged.FromString(e.payload)
        for e in await outbox(contacts, caller, "contacts.changed")
        if e.aggregate_id == job2.id
    ]
    now = await state(contacts, caller)
    assert len(second.contacts) == 3
    for c in second.contacts:
        assert decoded(c) == now[c.party_id][3]
    values = sorted((c.phones[0], json.dumps(decoded(c), sort_keys=True)) for c in second.contacts)
    assert values == [
        ("+972542000000", '{"tier": "bronze"}'),  # seats was empty in both files
        ("+972542000001", '{"seats": 9, "tier": "gold"}'),  # seats 1 -> 9
        ("+972549999998", '{"tier": "silver"}'),
    ]


async def test_r1_bulk_update_writes_contacts_changed(contacts, caller):
    """R1 (issue 8): a bulk update of dynamic fields publishes the new state of every contact it
    changed (and only those)."""
    await define(contacts, caller, "contact", "tier", "select", TIERS)
    parties = []
    for i, city in enumerate(("חיפה", "חיפה", "אילת")):
        custom = Struct()
        custom.update({"tier": "silver"})
        created = await contacts.card.CreateContact(
            pb.CreateContactRequest(
                first_name=f"רון{i}", custom=custom, addresses=[pb.Address(city=city)]
            ),
            metadata=caller.md,
            timeout=5,
        )
        parties.append(created.contact.party_id)
    custom = Struct()
    custom.update({"tier": "gold"})
    res = await contacts.card.BulkUpdate(
        pb.BulkUpdateRequest(filter=pb.ContactFilter(city="חיפה"), custom=custom),
        metadata=caller.md,
        timeout=5,
    )
    assert res.updated == 2
    (row,) = await outbox(contacts, caller, "contacts.changed")
    batch = cev.ContactsChanged.FromString(row.payload)
    assert batch.origin == "bulk_update" and row.aggregate_id == batch.batch_id
    assert {c.party_id: decoded(c) for c in batch.contacts} == {
        parties[0]: {"tier": "gold"},
        parties[1]: {"tier": "gold"},
    }


async def test_r1_account_create_writes_account_changed(contacts, caller):
    """R1 (issue 8): an account's dynamic fields reach reporting: account.changed, keyed by the
    account's party, carries its full state."""
    await define(contacts, caller, "account", "industry", "text")
    custom = Struct()
    custom.update({"industry": "הייטק"})
    account = (
        await contacts.card.CreateAccount(
            pb.CreateAccountRequest(name='אקמה בע"מ', custom=custom),
            metadata=caller.md,
            timeout=5,
        )
    ).account
    (row,) = await outbox(contacts, caller, "account.changed")
    ev = cev.AccountChanged.FromString(row.payload)
    assert row.topic == "crm.contacts.contact" and row.aggregate_id == account.party_id
    assert (ev.party_id, ev.account_id, ev.name) == (account.party_id, account.id, 'אקמה בע"מ')
    assert {k: json.loads(v) for k, v in ev.custom_fields.items()} == {"industry": "הייטק"}
    assert ev.HasField("changed_at")
    assert uuid.UUID(ev.party_id)


async def test_r1_import_batches_are_also_capped_by_size(contacts, caller, monkeypatch):
    """R1 (issue 8): a batch closes at BATCH_BYTES too (long dynamic values stay far under
    Kafka's 1 MB message limit); every contact is in exactly one batch, in part order."""
    from crm_contacts.card import contact_events

    monkeypatch.setattr(contact_events, "BATCH_BYTES", 2_000)
    await define(contacts, caller, "contact", "tier", "select", TIERS)
    mapping = {"first": "first_name", "last": "last_name", "phone": "phone", "tier": "custom.tier"}
    job = (
        await contacts.card.ImportContacts(
            pb.ImportContactsRequest(
                csv=csv_of([(i, TIERS[i % 3], "") for i in range(40)]),
                mapping=mapping,
                duplicate_policy="create",
            ),
            metadata=caller.md,
            timeout=30,
        )
    ).job
    await settle()
    rows = await outbox(contacts, caller, "contacts.changed")
    batches = [cev.ContactsChanged.FromString(r.payload) for r in rows]
    assert len(batches) > 1 and [b.part for b in batches] == list(range(1, len(batches) + 1))
    one = max(c.ByteSize() for b in batches for c in b.contacts) + 4
    assert all(len(r.payload) <= 2_000 + one + 100 for r in rows)
    parties = [c.party_id for b in batches for c in b.contacts]
    assert len(parties) == len(set(parties)) == job.created == 40
    assert set(parties) == set(await state(contacts, caller))


MAPPING = {"first": "first_name", "last": "last_name", "phone": "phone", "tier": "custom.tier"}


async def import_without_writer(contacts, caller, monkeypatch, n: int):
    """An import whose process dies right after the commit: no background writer runs."""
    monkeypatch.setattr(importer, "publish_after_commit", lambda *a: None)
    await define(contacts, caller, "contact", "tier", "select", TIERS)
    return (
        await contacts.card.ImportContacts(
            pb.ImportContactsRequest(
                csv=csv_of([(i, TIERS[i % 3], "") for i in range(n)]),
                mapping=MAPPING,
                duplicate_policy="create",
            ),
            metadata=caller.md,
            timeout=30,
        )
    ).job


async def pending(contacts, caller, job_id: str) -> int:
    async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
        return (
            await s.execute(
                text("SELECT count(*) FROM import_pending_events WHERE job_id = :j"),
                {"j": job_id},
            )
        ).scalar_one()


async def job_status(contacts, caller, job_id: str) -> str:
    got = await contacts.card.GetImportJob(
        pb.GetImportJobRequest(job_id=job_id), metadata=caller.md, timeout=5
    )
    return got.job.status


async def assert_each_contact_once(contacts, caller, job_id: str, n: int) -> None:
    rows = await outbox(contacts, caller, "contacts.changed")
    batches = [cev.ContactsChanged.FromString(r.payload) for r in rows]
    assert {r.aggregate_id for r in rows} == {job_id}
    assert sorted(b.part for b in batches) == list(range(1, math.ceil(n / BATCH) + 1))
    parties = [c.party_id for b in batches for c in b.contacts]
    assert len(parties) == len(set(parties)) == n  # no duplicate, no gap
    want = await state(contacts, caller)
    assert set(parties) == set(want)
    for b in batches:
        for c in b.contacts:
            assert (c.contact_id, decoded(c)) == (want[c.party_id][0], want[c.party_id][3])


def engine_of(contacts):
    return contacts.sessionmaker.kw["bind"]


async def test_r1_c9_import_commits_pending_rows_and_no_events(contacts, caller, monkeypatch):
    """R1/C9 (issue 5): the import transaction writes no contacts.changed, only one pending row
    per touched contact, and the job reads events_pending; the writer then publishes
    ceil(N/500) events carrying every contact and the job turns done."""
    n = 2 * BATCH + 3
    job = await import_without_writer(contacts, caller, monkeypatch, n)
    assert (job.created, job.status) == (n, "events_pending")
    assert await outbox(contacts, caller, "contacts.changed") == []
    assert await pending(contacts, caller, job.id) == n
    assert await job_status(contacts, caller, job.id) == "events_pending"

    written = await importer.write_pending_events(
        engine_of(contacts), caller.tenant, uuid.UUID(job.id)
    )
    assert written == math.ceil(n / BATCH) == 3
    assert await pending(contacts, caller, job.id) == 0
    assert await job_status(contacts, caller, job.id) == "done"
    await assert_each_contact_once(contacts, caller, job.id, n)


async def test_r1_c9_crash_mid_way_then_resume_has_no_duplicates_or_gaps(
    contacts, caller, monkeypatch
):
    """R1/C9 (issue 5): a writer that stops after one chunk (crash) leaves the rest pending; the
    scheduler's import-events job (a fresh resume) writes the remainder, numbered on, with no
    contact twice and none missing; a second resume writes nothing."""
    assert "import-events" in {j.name for j in jobs()}
    n = 2 * BATCH + 3
    job = await import_without_writer(contacts, caller, monkeypatch, n)
    engine, job_id = engine_of(contacts), uuid.UUID(job.id)
    events, after = await importer.write_event_chunk(engine, caller.tenant, job_id, limit=BATCH)
    assert events == 1 and after is not None
    assert await pending(contacts, caller, job.id) == n - BATCH
    assert await job_status(contacts, caller, job.id) == "events_pending"
    # crash: `after` is lost; the scheduler's job resumes from the table alone
    async with contacts.sessionmaker() as s, s.begin():
        await s.execute(
            sa.insert(tenant_directory_table).values(
                tenant_id=caller.tenant, created_at=dt.datetime.now(dt.UTC)
            )
        )
    scheduler = Scheduler(contacts.sessionmaker, [j for j in jobs() if j.name == "import-events"])
    ran = [r for r in await scheduler.tick() if r.tenant_id == caller.tenant and r.ran]
    assert [r.outcome for r in ran] == ["events=2"]
    assert await importer.resume_pending_events(engine, caller.tenant) == 0
    assert await pending(contacts, caller, job.id) == 0
    assert await job_status(contacts, caller, job.id) == "done"
    await assert_each_contact_once(contacts, caller, job.id, n)


async def test_r1_c9_concurrent_resumers_write_each_contact_once(contacts, caller, monkeypatch):
    """R1/C9 (issue 5): three writers on one job at once (the background task and scheduler
    replicas) lock the job per chunk (SKIP LOCKED): every contact goes out exactly once."""
    n = 4 * BATCH + 11
    job = await import_without_writer(contacts, caller, monkeypatch, n)
    engine = engine_of(contacts)
    counts = await asyncio.gather(  # one event per chunk: many chunks to interleave
        importer.write_pending_events(engine, caller.tenant, uuid.UUID(job.id), limit=BATCH),
        importer.resume_pending_events(engine, caller.tenant, limit=BATCH),
        importer.resume_pending_events(engine, caller.tenant, limit=BATCH),
    )
    assert sum(counts) == math.ceil(n / BATCH) == 5
    assert await pending(contacts, caller, job.id) == 0
    assert await job_status(contacts, caller, job.id) == "done"
    await assert_each_contact_once(contacts, caller, job.id, n)
