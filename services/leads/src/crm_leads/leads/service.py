"""Lead use cases. They flush; the edge commits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import FailedPrecondition, NotFound
from crm_common.pagination import PageRequest, next_token
from crm_leads.leads import events
from crm_leads.leads.models import Lead, LeadStatus
from crm_leads.leads.repository import LeadRepository
from crm_leads.leads.schemas import LeadCreate


async def create_lead(*, session: AsyncSession, tenant_id: uuid.UUID, data: LeadCreate) -> Lead:
    lead = await LeadRepository(session).add(
        Lead(tenant_id=tenant_id, **data.model_dump(), status=LeadStatus.NEW)
    )
    await events.lead_captured(session, lead)
    return lead


async def get_lead(*, session: AsyncSession, tenant_id: uuid.UUID, lead_id: uuid.UUID) -> Lead:
    lead = await LeadRepository(session).get(tenant_id=tenant_id, lead_id=lead_id)
    if lead is None:
        raise NotFound(f"lead {lead_id} not found")
    return lead


async def list_leads(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    page: PageRequest,
    status: LeadStatus | None = None,
) -> tuple[list[Lead], str]:
    rows = await LeadRepository(session).list(tenant_id=tenant_id, page=page, status=status)
    return rows[: page.size], next_token(rows, page.size)


async def convert_lead(*, session: AsyncSession, tenant_id: uuid.UUID, lead_id: uuid.UUID) -> Lead:
    """Lead -> customer with the same party_id (contacts consumes LeadConverted)."""
    repo = LeadRepository(session)
    lead = await repo.get(tenant_id=tenant_id, lead_id=lead_id, for_update=True)
    if lead is None:
        raise NotFound(f"lead {lead_id} not found")
    if lead.status == LeadStatus.CONVERTED:
        raise FailedPrecondition(
            f"lead {lead_id} was already converted on {lead.converted_at:%Y-%m-%d}",
            reason="LEAD_ALREADY_CONVERTED",
        )
    lead.status = LeadStatus.CONVERTED
    lead.converted_at = datetime.now(UTC)
    await session.flush()
    await events.lead_converted(session, lead)
    return lead
