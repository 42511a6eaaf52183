"""Read model of the contacts service's customers, for duplicate checks on capture (L6)."""

from __future__ import annotations

import uuid

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.contacts.v1 import customer_events_pb2 as cev
from crm_common.kafka.consumer import Event, PoisonMessage
from crm_leads.leads.models import KnownCustomer

CUSTOMER_TOPIC = "crm.contacts.customer"


async def on_customer_created(session: AsyncSession, event: Event[cev.CustomerCreated]) -> None:
    c = event.payload
    try:
        party_id = uuid.UUID(c.party_id)
    except ValueError as exc:
        raise PoisonMessage(f"bad party_id {c.party_id!r}") from exc
    values = {"name": c.name, "phone": c.phone or None, "email": c.email or None}
    await session.execute(
        pg_insert(KnownCustomer)
        .values(tenant_id=event.tenant_id, party_id=party_id, **values)
        .on_conflict_do_update(index_elements=["tenant_id", "party_id"], set_=values)
    )
