"""Handlers of the leads service's events. They flush; the consumer loop commits."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.leads.v1 import deal_events_pb2 as ev
from crm_billing.handoff import service as handoff
from crm_common.kafka.consumer import Event, PoisonMessage

DEAL_TOPIC = "crm.leads.deal"
_log = logging.getLogger(__name__)


async def on_deal_won(session: AsyncSession, event: Event[ev.DealWon]) -> None:
    """L8 hand-off: a won deal opens an order (one line: the deal, its amount before VAT).

    The order opens even if ``customer.created`` of the party has not arrived yet: the
    event names the party (``party_name``); a deal billing cannot name at all is parked
    until that customer arrives (crm_billing.handoff). A second ``deal.won`` of the same
    deal opens nothing. A deal without an amount, or not in ILS, has nothing billing can
    price: it is skipped with a log line.
    """
    deal = event.payload
    try:
        party_id = uuid.UUID(deal.party_id)
        deal_id = uuid.UUID(deal.deal_id)
        lead_id = uuid.UUID(deal.lead_id) if deal.lead_id else None
    except ValueError as exc:
        raise PoisonMessage(f"{event.type} {event.id}: an id is not a UUID") from exc
    if deal.amount_agorot <= 0 or (deal.currency or "ILS").upper() != "ILS":
        _log.info("won deal not ordered", extra={"deal_id": deal.deal_id})
        return
    await handoff.deal_won(
        session,
        event.tenant_id,
        handoff.WonDealInput(
            deal_id=deal_id,
            party_id=party_id,
            lead_id=lead_id,
            title=deal.title,
            account_name=deal.account_name,
            amount_agorot=deal.amount_agorot,
            won_at=deal.won_at.ToDatetime(tzinfo=UTC) if deal.HasField("won_at") else None,
            party=handoff.PartyDraft(
                name=deal.party_name,
                phone=deal.party_phone or None,
                email=deal.party_email or None,
            )
            if deal.party_name.strip()
            else None,
        ),
    )
