"""Every query of the lead sources module."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_reporting.lead_sources.models import LeadSourceCount


class LeadSourceCountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list(self, *, tenant_id: uuid.UUID) -> list[LeadSourceCount]:
        stmt = (
            select(LeadSourceCount)
            .where(LeadSourceCount.tenant_id == tenant_id)
            .order_by(LeadSourceCount.leads.desc(), LeadSourceCount.source)
        )
        return list((await self.session.execute(stmt)).scalars())
