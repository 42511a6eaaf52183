"""Every query of the leads module."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.pagination import PageRequest
from crm_leads.leads.models import Lead, LeadStatus


class LeadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, lead: Lead) -> Lead:
        self.session.add(lead)
        await self.session.flush()
        await self.session.refresh(lead)
        return lead

    async def get(
        self, *, tenant_id: uuid.UUID, lead_id: uuid.UUID, for_update: bool = False
    ) -> Lead | None:
        stmt = select(Lead).where(Lead.tenant_id == tenant_id, Lead.id == lead_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list(
        self, *, tenant_id: uuid.UUID, page: PageRequest, status: LeadStatus | None
    ) -> list[Lead]:
        stmt = select(Lead).where(Lead.tenant_id == tenant_id)
        if status is not None:
            stmt = stmt.where(Lead.status == status)
        if page.before is not None:
            stmt = stmt.where(Lead.id < page.before)
        stmt = stmt.order_by(Lead.id.desc()).limit(page.size + 1)
        return list((await self.session.execute(stmt)).scalars())
