"""Handlers of the leads service's events. They flush; the consumer loop commits."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.leads.v1 import deal_events_pb2 as ev
from crm_billing.documents import service as documents
from crm_billing.documents.models import DocType
from crm_common.kafka.consumer import Event, PoisonMessage

DEAL_TOPIC = "crm.leads.deal"
_log = logging.getLogger(__name__)


async def on_deal_won(session: AsyncSession, event: Event[ev.DealWon]) -> None:
    """L8 hand-off: a won deal opens an order (one line: the deal, its amount before VAT).

    The inbox makes a redelivered event harmless. A deal without an amount, or not in
    ILS, has nothing billing can price: it is skipped with a log line.
    """
    deal = event.payload
    try:
        party_id = uuid.UUID(deal.party_id)
        lead_id = uuid.UUID(deal.lead_id) if deal.lead_id else None
    except ValueError as exc:
        raise PoisonMessage(f"{event.type} {event.id}: party_id is not a UUID") from exc
    if deal.amount_agorot <= 0 or (deal.currency or "ILS").upper() != "ILS":
        _log.info("won deal not ordered", extra={"deal_id": deal.deal_id})
        return
    await documents.issue_document(
        session=session,
        tenant_id=event.tenant_id,
        data=documents.DocumentInput(
            doc_type=DocType.ORDER,
            party_id=party_id,
            lead_id=lead_id,
            customer_name=deal.account_name[:200],
            lines=[
                documents.LineInput(
                    description=(deal.title or "עסקה")[:300],
                    quantity="1",
                    unit_price_agorot=deal.amount_agorot,
                )
            ],
            notes=f"deal {deal.deal_id}",
        ),
    )
