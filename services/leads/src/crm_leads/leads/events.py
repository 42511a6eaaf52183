"""Lead events: protobuf payloads written to the outbox."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.leads.v1 import lead_events_pb2 as ev
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp
from crm_leads.leads.models import Lead

LEAD_TOPIC = "crm.leads.lead"


async def lead_captured(session: AsyncSession, lead: Lead) -> None:
    await add_event(
        session,
        topic=LEAD_TOPIC,
        aggregate_type="lead",
        aggregate_id=lead.id,
        tenant_id=lead.tenant_id,
        event=ev.LeadCaptured(
            lead_id=str(lead.id),
            party_id=str(lead.party_id),
            name=lead.name,
            phone=lead.phone or "",
            email=lead.email or "",
            company_name=lead.company_name or "",
            source=lead.source,
            campaign=lead.campaign or "",
            captured_at=timestamp(lead.created_at),
        ),
        occurred_at=lead.created_at,
    )


async def lead_converted(session: AsyncSession, lead: Lead) -> None:
    assert lead.converted_at is not None
    await add_event(
        session,
        topic=LEAD_TOPIC,
        aggregate_type="lead",
        aggregate_id=lead.id,
        tenant_id=lead.tenant_id,
        event=ev.LeadConverted(
            lead_id=str(lead.id),
            party_id=str(lead.party_id),
            name=lead.name,
            phone=lead.phone or "",
            email=lead.email or "",
            company_name=lead.company_name or "",
            source=lead.source,
            converted_at=timestamp(lead.converted_at),
        ),
        occurred_at=lead.converted_at,
    )
