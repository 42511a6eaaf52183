"""Leads-by-source use cases (R2). They flush; the edge commits."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from crm_reporting.lead_sources.models import LeadSourceCount
from crm_reporting.lead_sources.repository import LeadSourceCountRepository

UNKNOWN_SOURCE = "unknown"


def source_key(raw: str) -> str:
    """The bucket a lead's source is counted in: trimmed, lower-cased, never empty."""
    return raw.strip().lower() or UNKNOWN_SOURCE


async def leads_by_source(
    *, session: AsyncSession, tenant_id: uuid.UUID
) -> tuple[list[LeadSourceCount], int]:
    """Sources with the most leads first, and the total number of leads."""
    rows = await LeadSourceCountRepository(session).list(tenant_id=tenant_id)
    return rows, sum(row.leads for row in rows)
