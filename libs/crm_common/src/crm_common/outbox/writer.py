"""Write an event to the outbox in the caller's transaction.

Nothing is published from request code: the row is inserted beside the change
it describes and the relay publishes it after the commit.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from google.protobuf.message import Message
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db.base import uuid7
from crm_common.plumbing import outbox_table
from crm_common.telemetry import inject_headers

_WORDS = re.compile(r"[A-Z][a-z0-9]*")


def event_type_of(message: Message) -> str:
    """``LeadCaptured`` -> ``lead.captured``; ``DealStageChanged`` -> ``deal.stage_changed``."""
    words = [w.lower() for w in _WORDS.findall(message.DESCRIPTOR.name)]
    if len(words) < 2:
        raise ValueError(f"event message name must be <Noun><PastVerb>: {message.DESCRIPTOR.name}")
    return f"{words[0]}.{'_'.join(words[1:])}"


async def add_event(
    session: AsyncSession,
    *,
    topic: str,
    aggregate_type: str,
    aggregate_id: uuid.UUID | str,
    tenant_id: uuid.UUID,
    event: Message,
    occurred_at: datetime | None = None,
) -> uuid.UUID:
    """Insert one event row; returns the event id (also the Kafka ``event_id`` header)."""
    event_id = uuid7()
    carrier = inject_headers()
    await session.execute(
        insert(outbox_table).values(
            id=event_id,
            tenant_id=tenant_id,
            aggregate_type=aggregate_type,
            aggregate_id=str(aggregate_id),
            type=event_type_of(event),
            topic=topic,
            payload=event.SerializeToString(),
            payload_type=event.DESCRIPTOR.full_name,
            traceparent=carrier.get("traceparent"),
            tracestate=carrier.get("tracestate"),
            occurred_at=occurred_at or datetime.now(UTC),
        )
    )
    return event_id
