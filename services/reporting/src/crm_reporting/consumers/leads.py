"""Handlers of the leads service's events. They flush; the consumer loop commits."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.leads.v1 import lead_events_pb2 as ev
from crm_common.kafka.consumer import Event
from crm_reporting.lead_sources import service

LEAD_TOPIC = "crm.leads.lead"


async def on_lead_captured(session: AsyncSession, event: Event[ev.LeadCaptured]) -> None:
    """R2: count the lead under its source."""
    lead = event.payload
    captured_at = (
        lead.captured_at.ToDatetime(tzinfo=UTC)
        if lead.HasField("captured_at")
        else event.occurred_at
    )
    await service.count_captured_lead(
        session=session, tenant_id=event.tenant_id, source=lead.source, captured_at=captured_at
    )
