"""Every query of the customers module."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.pagination import PageRequest
from crm_contacts.customers.models import Customer


class CustomerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_unless_exists(self, *, tenant_id: uuid.UUID, **values: Any) -> Customer | None:
        """Insert the customer; None (and no change) if the tenant has its party_id already."""
        stmt = (
            pg_insert(Customer)
            .values(tenant_id=tenant_id, **values)
            .on_conflict_do_nothing(index_elements=[Customer.tenant_id, Customer.party_id])
            .returning(Customer)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get_by_party_id(
        self, *, tenant_id: uuid.UUID, party_id: uuid.UUID
    ) -> Customer | None:
        stmt = select(Customer).where(
            Customer.tenant_id == tenant_id, Customer.party_id == party_id
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list(self, *, tenant_id: uuid.UUID, page: PageRequest) -> list[Customer]:
        stmt = select(Customer).where(Customer.tenant_id == tenant_id)
        if page.before is not None:
            stmt = stmt.where(Customer.id < page.before)
        stmt = stmt.order_by(Customer.id.desc()).limit(page.size + 1)
        return list((await self.session.execute(stmt)).scalars())
