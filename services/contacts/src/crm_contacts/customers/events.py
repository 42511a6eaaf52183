"""Customer events: protobuf payloads written to the outbox."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.contacts.v1 import customer_events_pb2 as ev
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp
from crm_contacts.customers.models import Customer

CUSTOMER_TOPIC = "crm.contacts.customer"


async def customer_created(session: AsyncSession, customer: Customer) -> None:
    await add_event(
        session,
        topic=CUSTOMER_TOPIC,
        aggregate_type="customer",
        aggregate_id=customer.party_id,
        tenant_id=customer.tenant_id,
        event=ev.CustomerCreated(
            party_id=str(customer.party_id),
            name=customer.name,
            phone=customer.phone or "",
            email=customer.email or "",
            company_name=customer.company_name or "",
            source_lead_id=str(customer.source_lead_id) if customer.source_lead_id else "",
            created_at=timestamp(customer.created_at),
        ),
        occurred_at=customer.created_at,
    )
