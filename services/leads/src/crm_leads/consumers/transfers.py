"""Contacts' customer transfers (C6): a transfer that asks for deals moves the open deals."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.contacts.v1 import contact_events_pb2 as cev
from crm_common.audit import record_bulk
from crm_common.kafka.consumer import Event, PoisonMessage
from crm_leads.pipeline.models import Deal

CONTACT_TOPIC = "crm.contacts.contact"


async def on_customer_transferred(
    session: AsyncSession, event: Event[cev.CustomerTransferred]
) -> int:
    """Hand every open deal of the party to the new owner; returns how many moved.

    Won and lost deals keep the owner who closed them (their figures belong to that person).
    The deal's version is bumped, so a stage move prepared against the old owner's view is
    refused as stale. Redelivery is harmless (inbox dedupe, and the update is idempotent)."""
    t = event.payload
    if not t.move_deals:
        return 0
    try:
        party_id = uuid.UUID(t.party_id)
        to_user_id = uuid.UUID(t.to_user_id)
    except ValueError as exc:
        raise PoisonMessage(f"bad party_id / to_user_id {t.party_id!r} {t.to_user_id!r}") from exc
    result = await session.execute(
        update(Deal)
        .where(
            Deal.tenant_id == event.tenant_id,
            Deal.party_id == party_id,
            Deal.status == "open",
            Deal.owner_id.is_distinct_from(to_user_id),
        )
        .values(
            owner_id=to_user_id,
            version=Deal.version + 1,
            updated_at=dt.datetime.now(dt.UTC),
        )
        .returning(Deal.id)
        .execution_options(synchronize_session=False)
    )
    moved = list(result.scalars())
    if moved:
        await record_bulk(
            session,
            Deal.__tablename__,
            moved,
            "update",
            {"owner_id": [None, to_user_id]},
            tenant_id=event.tenant_id,
        )
    return len(moved)
