"""Every query of the lead sources module."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_reporting.lead_sources.models import LeadSourceCount


class LeadSourceCountRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def increment(
        self, *, tenant_id: uuid.UUID, source: str, captured_at: dt.datetime
    ) -> None:
        """One more lead from ``source``: a single upsert, safe under concurrent consumers."""
        stmt = pg_insert(LeadSourceCount).values(
            tenant_id=tenant_id, source=source, leads=1, last_captured_at=captured_at
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[LeadSourceCount.tenant_id, LeadSourceCount.source],
            set_={
                "leads": LeadSourceCount.leads + 1,
                "last_captured_at": func.greatest(
                    LeadSourceCount.last_captured_at, stmt.excluded.last_captured_at
                ),
            },
        )
        await self.session.execute(stmt)

    async def list(self, *, tenant_id: uuid.UUID) -> list[LeadSourceCount]:
        stmt = (
            select(LeadSourceCount)
            .where(LeadSourceCount.tenant_id == tenant_id)
            .order_by(LeadSourceCount.leads.desc(), LeadSourceCount.source)
        )
        return list((await self.session.execute(stmt)).scalars())
