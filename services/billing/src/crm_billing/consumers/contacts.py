"""Handlers of the contacts service's events. They flush; the consumer loop commits."""

from __future__ import annotations

import uuid
from datetime import UTC

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.contacts.v1 import customer_events_pb2 as ev
from crm_billing.handoff import service as handoff
from crm_billing.parties import service
from crm_common.kafka.consumer import Event, PoisonMessage

CUSTOMER_TOPIC = "crm.contacts.customer"


async def on_customer_created(session: AsyncSession, event: Event[ev.CustomerCreated]) -> None:
    """Keep a local copy of the new customer; open the orders of its parked won deals.

    If ``deal.won`` came first, the party already exists (provisional, from the deal): this
    overwrites that same row, and opens the orders of won deals parked for want of a name.
    """
    customer = event.payload
    try:
        party_id = uuid.UUID(customer.party_id)
    except ValueError as exc:
        # Retrying cannot fix a payload that breaks the contract: dead-letter it at once.
        raise PoisonMessage(f"{event.type} {event.id}: party_id is not a UUID") from exc
    await handoff.lock_party(session, event.tenant_id, party_id)
    await service.record_party(
        session=session,
        tenant_id=event.tenant_id,
        party_id=party_id,
        name=customer.name,
        phone=customer.phone or None,
        email=customer.email or None,
        updated_at=(
            customer.created_at.ToDatetime(tzinfo=UTC)
            if customer.HasField("created_at")
            else event.occurred_at
        ),
    )
    await handoff.release_parked(session, event.tenant_id, party_id)
