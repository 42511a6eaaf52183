"""Message events: protobuf payloads written to the outbox, one per message in or out."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.messaging.v1 import message_events_pb2 as ev
from crm_common.db import uuid7
from crm_common.outbox import add_event, event_type_of
from crm_common.plumbing import outbox_table
from crm_common.protoutil import timestamp
from crm_common.telemetry import inject_headers
from crm_messaging.messages.models import Message

MESSAGE_TOPIC = "crm.messaging.message"


def _s(value) -> str:
    return str(value) if value is not None else ""


class OutboxBatch:
    """Outbox rows of many messages, inserted with one executemany (the dispatcher's
    batches: one round trip instead of one per message). Same rows as ``add_event``."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self._carrier = inject_headers()

    def add(self, m: Message, event, at) -> None:
        self.rows.append(
            {
                "id": uuid7(),
                "tenant_id": m.tenant_id,
                "aggregate_type": "message",
                "aggregate_id": str(m.id),
                "type": event_type_of(event),
                "topic": MESSAGE_TOPIC,
                "payload": event.SerializeToString(),
                "payload_type": event.DESCRIPTOR.full_name,
                "traceparent": self._carrier.get("traceparent"),
                "tracestate": self._carrier.get("tracestate"),
                "occurred_at": at or datetime.now(UTC),
            }
        )

    async def flush(self, session: AsyncSession) -> None:
        if self.rows:
            await session.execute(insert(outbox_table), self.rows)
            self.rows = []


async def _add(session: AsyncSession, m: Message, event, at, batch: OutboxBatch | None) -> None:
    if batch is not None:
        batch.add(m, event, at)
        return
    await add_event(
        session,
        topic=MESSAGE_TOPIC,
        aggregate_type="message",
        aggregate_id=m.id,
        tenant_id=m.tenant_id,
        event=event,
        occurred_at=at,
    )


async def message_queued(
    session: AsyncSession, m: Message, batch: OutboxBatch | None = None
) -> None:
    await _add(
        session,
        m,
        ev.MessageQueued(
            message_id=str(m.id),
            party_id=_s(m.party_id),
            channel=m.channel,
            purpose=m.purpose,
            to_address=m.to_address,
            subject=m.subject,
            campaign_id=_s(m.campaign_id),
            queued_at=timestamp(m.created_at),
        ),
        m.created_at,
        batch,
    )


async def message_sent(session: AsyncSession, m: Message, batch: OutboxBatch | None = None) -> None:
    await _add(
        session,
        m,
        ev.MessageSent(
            message_id=str(m.id),
            party_id=_s(m.party_id),
            channel=m.channel,
            purpose=m.purpose,
            to_address=m.to_address,
            subject=m.subject,
            preview=m.text[:200],
            provider_message_id=m.provider_message_id or "",
            campaign_id=_s(m.campaign_id),
            segments=m.segments,
            cost_agorot=m.cost_agorot,
            sent_at=timestamp(m.sent_at),
        ),
        m.sent_at,
        batch,
    )


async def message_status_changed(
    session: AsyncSession, m: Message, at, batch: OutboxBatch | None = None
) -> None:
    await _add(
        session,
        m,
        ev.MessageStatusChanged(
            message_id=str(m.id),
            party_id=_s(m.party_id),
            channel=m.channel,
            status=m.status,
            reason=m.failure_reason or "",
            campaign_id=_s(m.campaign_id),
            changed_at=timestamp(at),
        ),
        at,
        batch,
    )


async def message_received(session: AsyncSession, m: Message) -> None:
    await _add(
        session,
        m,
        ev.MessageReceived(
            message_id=str(m.id),
            party_id=_s(m.party_id),
            channel=m.channel,
            from_address=m.from_address,
            subject=m.subject,
            text=m.text,
            thread_id=m.thread_id or "",
            provider_message_id=m.provider_message_id or "",
            received_at=timestamp(m.created_at),
        ),
        m.created_at,
        None,
    )
