"""Payment events on ``crm.billing.payment``."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.billing.v1 import billing_events_pb2 as ev
from crm_billing.payments.models import Payment
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp

TOPIC = "crm.billing.payment"


async def payment_received(session: AsyncSession, p: Payment, at: dt.datetime) -> None:
    await add_event(
        session,
        topic=TOPIC,
        aggregate_type="payment",
        aggregate_id=p.id,
        tenant_id=p.tenant_id,
        event=ev.PaymentReceived(
            payment_id=str(p.id),
            party_id=str(p.party_id),
            method=p.method,
            amount_agorot=p.amount_agorot,
            receipt_document_id=str(p.receipt_document_id or ""),
            received_at=timestamp(at),
        ),
        occurred_at=at,
    )


async def payment_failed(
    session: AsyncSession,
    p: Payment,
    at: dt.datetime,
    *,
    schedule_id: uuid.UUID | None = None,
    attempt: int = 0,
    retry_on: dt.date | None = None,
) -> None:
    await add_event(
        session,
        topic=TOPIC,
        aggregate_type="payment",
        aggregate_id=p.id,
        tenant_id=p.tenant_id,
        event=ev.PaymentFailed(
            payment_id=str(p.id),
            party_id=str(p.party_id),
            amount_agorot=p.amount_agorot,
            reason=p.failure_reason or "",
            failed_at=timestamp(at),
            schedule_id=str(schedule_id) if schedule_id else "",
            attempt=attempt,
            retry_on=retry_on.isoformat() if retry_on else "",
        ),
        occurred_at=at,
    )
