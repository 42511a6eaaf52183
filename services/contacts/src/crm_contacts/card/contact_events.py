"""Card events on topic ``crm.contacts.contact`` for reporting's builder fields (R1):

- ``contact.changed``: a contact's full state after a create or an update, keyed by party;
- ``contacts.changed``: the same state for many contacts after one set-based change (an
  import's merge, a bulk update), at most ``BATCH`` contacts per event, keyed by the batch id;
- ``account.changed``: an account's full state after a create or an update, keyed by party.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.contacts.v1 import contact_events_pb2 as ev
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp
from crm_contacts.card.models import Account, Contact

CONTACT_TOPIC = "crm.contacts.contact"
# contacts per ``contacts.changed`` (docs/contacts.md, "Events": ~60-70 KB per event with a few
# dynamic fields; reporting applies one event in one statement) and a cap on its payload, so a
# batch of contacts with many long dynamic values stays well under Kafka's 1 MB message limit.
BATCH = 500
BATCH_BYTES = 256_000


def _fields(custom: dict[str, Any] | None) -> dict[str, str]:
    return {k: json.dumps(v, ensure_ascii=False, default=str) for k, v in (custom or {}).items()}


async def contact_changed(session: AsyncSession, contact: Contact) -> None:
    now = dt.datetime.now(dt.UTC)
    name = f"{contact.first_name} {contact.last_name}".strip()
    await add_event(
        session,
        topic=CONTACT_TOPIC,
        aggregate_type="contact",
        aggregate_id=contact.party_id,
        tenant_id=contact.tenant_id,
        event=ev.ContactChanged(
            party_id=str(contact.party_id),
            contact_id=str(contact.id),
            account_id=str(contact.account_id) if contact.account_id else "",
            name=name,
            emails=list(contact.emails or []),
            phones=list(contact.phones or []),
            custom_fields=_fields(contact.custom),
            owner_user_id=str(contact.owner_user_id) if contact.owner_user_id else "",
            changed_at=timestamp(now),
        ),
        occurred_at=now,
    )


async def account_changed(session: AsyncSession, account: Account) -> None:
    now = dt.datetime.now(dt.UTC)
    await add_event(
        session,
        topic=CONTACT_TOPIC,
        aggregate_type="account",
        aggregate_id=account.party_id,
        tenant_id=account.tenant_id,
        event=ev.AccountChanged(
            party_id=str(account.party_id),
            account_id=str(account.id),
            name=account.name,
            company_number=account.company_number or "",
            custom_fields=_fields(account.custom),
            owner_user_id=str(account.owner_user_id) if account.owner_user_id else "",
            changed_at=timestamp(now),
        ),
        occurred_at=now,
    )


# The state of the changed contacts, read in one pass (a server-side cursor). Dynamic values
# come as the jsonb's text (splitting it per key in SQL, jsonb_each, cost more than the rest of
# the row); an import's values repeat (select fields), so each distinct text is decoded once.
_STATE = (
    "SELECT c.party_id::text, c.id::text, coalesce(c.account_id::text, ''), "
    "btrim(c.first_name || ' ' || c.last_name), c.emails::text[], c.phones::text[], "
    "c.custom::text, coalesce(c.owner_user_id::text, '') "
    "FROM contacts c WHERE c.tenant_id = $1 AND c.id IN (SELECT unnest($2::uuid[]))"
)
_DECODED_CACHE = 10_000


async def contacts_changed(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    batch_id: uuid.UUID,
    origin: str,
    ids: list[uuid.UUID],
    first_part: int = 1,
) -> int:
    """Write ``contacts.changed`` events (in the caller's transaction) with the current state of
    the contacts ``ids``; returns the number of events, numbered from ``first_part`` (an import
    writes its events in several transactions, one chunk of ids each). Set-based: one SELECT
    streamed through a cursor, no ORM load per contact."""
    now = dt.datetime.now(dt.UTC)
    changed_at = timestamp(now)
    raw = (await (await session.connection()).get_raw_connection()).driver_connection
    cursor = await raw.cursor(_STATE, tenant_id, ids)
    events = 0
    decoded: dict[str, dict[str, str]] = {}

    def new_batch() -> ev.ContactsChanged:
        return ev.ContactsChanged(batch_id=str(batch_id), origin=origin, part=first_part + events)

    # contacts are added in place (contacts.add): building them apart and passing the list to
    # ContactsChanged(contacts=...) copies every one again (measured ~25% of the Python time)
    batch, size = new_batch(), 0
    while rows := await cursor.fetch(BATCH):
        for party, contact, account, name, emails, phones, custom, owner in rows:
            fields = decoded.get(custom)
            if fields is None:
                fields = _fields(json.loads(custom))
                if len(decoded) < _DECODED_CACHE:
                    decoded[custom] = fields
            c = batch.contacts.add(
                party_id=party,
                contact_id=contact,
                account_id=account,
                name=name,
                emails=emails,
                phones=phones,
                custom_fields=fields,
                owner_user_id=owner,
                changed_at=changed_at,
            )
            size += c.ByteSize() + 4
            # full at BATCH contacts, or once past BATCH_BYTES (by at most this one contact)
            if len(batch.contacts) >= BATCH or size >= BATCH_BYTES:
                events += 1
                await _add_batch(session, tenant_id, batch_id, batch, now)
                batch, size = new_batch(), 0
    if batch.contacts:
        events += 1
        await _add_batch(session, tenant_id, batch_id, batch, now)
    return events


async def _add_batch(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    batch_id: uuid.UUID,
    batch: ev.ContactsChanged,
    now: dt.datetime,
) -> None:
    await add_event(
        session,
        topic=CONTACT_TOPIC,
        aggregate_type="contact_batch",
        aggregate_id=batch_id,
        tenant_id=tenant_id,
        event=batch,
        occurred_at=now,
    )
