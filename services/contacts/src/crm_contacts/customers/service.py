"""Customer use cases. They flush; the edge commits."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import NotFound
from crm_common.pagination import PageRequest, next_token
from crm_contacts.customers import events
from crm_contacts.customers.models import Customer
from crm_contacts.customers.repository import CustomerRepository
from crm_contacts.customers.schemas import CustomerCreate


async def create_customer(
    *, session: AsyncSession, tenant_id: uuid.UUID, data: CustomerCreate
) -> Customer | None:
    """Create the customer and its CustomerCreated event; None if its party_id exists already.

    Creating twice is a no-op, so converting a lead (L5) stays safe to replay.
    """
    customer = await CustomerRepository(session).add_unless_exists(
        tenant_id=tenant_id, **data.model_dump()
    )
    if customer is not None:
        await events.customer_created(session, customer)
    return customer


async def get_customer(
    *, session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID
) -> Customer:
    customer = await CustomerRepository(session).get_by_party_id(
        tenant_id=tenant_id, party_id=party_id
    )
    if customer is None:
        raise NotFound(f"customer {party_id} not found")
    return customer


async def list_customers(
    *, session: AsyncSession, tenant_id: uuid.UUID, page: PageRequest
) -> tuple[list[Customer], str]:
    rows = await CustomerRepository(session).list(tenant_id=tenant_id, page=page)
    return rows[: page.size], next_token(rows, page.size)
