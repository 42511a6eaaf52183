"""Billing's quotes: a quote accepted by a lead converts the lead (B2, L5)."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.billing.v1 import billing_events_pb2 as bev
from crm_common.errors import NotFound
from crm_common.kafka.consumer import Event, PoisonMessage
from crm_leads.leads import service
from crm_leads.leads.models import LeadStatus

QUOTE_TOPIC = "crm.billing.quote"

_log = logging.getLogger(__name__)


async def on_quote_accepted(session: AsyncSession, event: Event[bev.QuoteAccepted]) -> None:
    raw = event.payload.document.lead_id
    if not raw:
        return  # a quote to a customer: nothing to convert
    try:
        lead_id = uuid.UUID(raw)
    except ValueError as exc:
        raise PoisonMessage(f"bad lead_id {raw!r}") from exc
    try:
        lead = await service.get_lead(session=session, tenant_id=event.tenant_id, lead_id=lead_id)
    except NotFound:
        _log.warning("accepted quote names an unknown lead", extra={"lead_id": raw})
        return
    if lead.status in (LeadStatus.CONVERTED, LeadStatus.MERGED):
        return  # already a customer (or folded into another lead): nothing to do
    await service.convert_lead(session=session, tenant_id=event.tenant_id, lead_id=lead_id)
