"""The consumer runner: one loop for every event consumer of every service.

For each message: open a unit of work, insert the event id into the inbox
(``ON CONFLICT DO NOTHING``), run the handler only if the insert happened, and
commit; only then commit the Kafka offset. A crash between the database commit
and the offset commit redelivers the event, and the inbox turns the redelivery
into a no-op, so each event takes effect exactly once. A handler that keeps
failing is retried a bounded number of times and the message then goes to the
dead-letter topic ``<topic>.dlq`` with the error in a header.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka import Message as KafkaMessage
from google.protobuf.message import DecodeError
from google.protobuf.message import Message as ProtoMessage
from opentelemetry import trace
from opentelemetry.trace import SpanKind
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crm_common.context import CallContext, bind_context
from crm_common.db.session import unit_of_work
from crm_common.faults import failpoint
from crm_common.kafka import headers as h
from crm_common.kafka.client import ensure_topics, make_consumer, make_producer
from crm_common.plumbing import inbox_table
from crm_common.settings import ServiceSettings
from crm_common.telemetry import extract_context

_log = logging.getLogger(__name__)
_tracer = trace.get_tracer("crm.kafka.consumer")

P = TypeVar("P", bound=ProtoMessage)


class PoisonMessage(Exception):
    """A message that can never be handled (bad headers or payload): dead-letter at once."""


@dataclass(frozen=True, slots=True)
class Event(Generic[P]):
    id: uuid.UUID
    type: str
    tenant_id: uuid.UUID
    occurred_at: datetime
    topic: str
    key: str
    payload: P
    headers: Mapping[str, str] = field(repr=False)


Handler = Callable[[AsyncSession, Event], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Subscription:
    """Handle ``event_type`` on ``topic``, decoding the value as ``message``."""

    topic: str
    event_type: str
    message: type[ProtoMessage]
    handler: Handler


def decode_event(msg: KafkaMessage, message_type: type[P]) -> Event[P]:
    hdrs = h.decode(msg.headers())
    try:
        payload = message_type.FromString(msg.value() or b"")
        return Event(
            id=uuid.UUID(hdrs[h.EVENT_ID]),
            type=hdrs[h.EVENT_TYPE],
            tenant_id=uuid.UUID(hdrs[h.TENANT_ID]),
            occurred_at=datetime.fromisoformat(hdrs[h.OCCURRED_AT]),
            topic=msg.topic() or "",
            key=(msg.key() or b"").decode(),
            payload=payload,
            headers=hdrs,
        )
    except (KeyError, ValueError, DecodeError) as exc:
        raise PoisonMessage(f"cannot decode event: {exc!r}") from exc


class ConsumerRunner:
    def __init__(
        self,
        *,
        settings: ServiceSettings,
        sessionmaker: async_sessionmaker[AsyncSession],
        group_id: str,
        subscriptions: list[Subscription],
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.group_id = group_id
        self.routes: dict[tuple[str, str], Subscription] = {
            (s.topic, s.event_type): s for s in subscriptions
        }
        self.topics = sorted({s.topic for s in subscriptions})
        self.handled = 0
        self.duplicates = 0
        self.dead_lettered = 0
        self._dlq_producer = None

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.to_thread(ensure_topics, self.settings, self.topics)
        consumer = make_consumer(
            self.settings, group_id=self.group_id, client_id=f"{self.group_id}-consumer"
        )
        consumer.subscribe(self.topics)
        _log.info("consumer started", extra={"group": self.group_id, "topics": self.topics})
        try:
            while not stop.is_set():
                msg = await asyncio.to_thread(consumer.poll, 0.5)
                if msg is None:
                    continue
                if msg.error():
                    await self._on_error(msg.error())
                    continue
                await self.process(msg)
                await asyncio.to_thread(consumer.commit, message=msg, asynchronous=False)
        finally:
            await asyncio.to_thread(consumer.close)
            if self._dlq_producer is not None:
                await asyncio.to_thread(self._dlq_producer.flush, 5.0)
            _log.info(
                "consumer stopped",
                extra={"group": self.group_id, "handled": self.handled, "dlq": self.dead_lettered},
            )

    async def _on_error(self, err: KafkaError) -> None:
        if err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
            # The broker lost or never had the topic (an embedded broker restarts empty).
            await asyncio.to_thread(ensure_topics, self.settings, self.topics)
        elif err.code() != KafkaError._PARTITION_EOF:
            _log.warning("consumer error", extra={"error": str(err)})
            await asyncio.sleep(0.5)

    async def process(self, msg: KafkaMessage) -> None:
        hdrs = h.decode(msg.headers())
        route = self.routes.get((msg.topic() or "", hdrs.get(h.EVENT_TYPE, "")))
        if route is None:
            return  # an event type this consumer does not handle
        parent = extract_context(hdrs)
        attempts = self.settings.consumer_max_retries + 1
        for attempt in range(1, attempts + 1):
            with _tracer.start_as_current_span(
                f"{msg.topic()} process",
                context=parent,
                kind=SpanKind.CONSUMER,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.operation.type": "process",
                    "messaging.destination.name": msg.topic() or "",
                    "messaging.consumer.group.name": self.group_id,
                    "messaging.message.id": hdrs.get(h.EVENT_ID, ""),
                    "messaging.kafka.offset": msg.offset() or 0,
                    "crm.event.type": hdrs.get(h.EVENT_TYPE, ""),
                    "crm.attempt": attempt,
                },
            ) as span:
                try:
                    event = decode_event(msg, route.message)
                    await self._handle_once(route, event)
                    failpoint("consumer.after_commit")
                    return
                except PoisonMessage as exc:
                    span.record_exception(exc)
                    await self._dead_letter(msg, exc)
                    return
                except Exception as exc:
                    span.record_exception(exc)
                    span.set_status(trace.Status(trace.StatusCode.ERROR, str(exc)))
                    _log.warning(
                        "event handler failed",
                        extra={
                            "attempt": attempt,
                            "event_id": hdrs.get(h.EVENT_ID),
                            "error": repr(exc),
                        },
                    )
                    if attempt == attempts:
                        await self._dead_letter(msg, exc)
                        return
            delay = self.settings.consumer_retry_backoff_ms / 1000 * 2 ** (attempt - 1)
            await asyncio.sleep(min(delay, 2.0))

    async def _handle_once(self, route: Subscription, event: Event) -> None:
        with bind_context(CallContext(tenant_id=event.tenant_id)):
            async with unit_of_work(self.sessionmaker, tenant_id=event.tenant_id) as session:
                inserted = await session.execute(
                    pg_insert(inbox_table)
                    .values(
                        consumer=self.group_id,
                        event_id=event.id,
                        event_type=event.type,
                        topic=event.topic,
                        tenant_id=event.tenant_id,
                    )
                    .on_conflict_do_nothing()
                    .returning(inbox_table.c.event_id)
                )
                if inserted.first() is None:
                    self.duplicates += 1
                    _log.info("duplicate event skipped", extra={"event_id": str(event.id)})
                    return
                await route.handler(session, event)
        self.handled += 1

    async def _dead_letter(self, msg: KafkaMessage, exc: BaseException) -> None:
        topic = f"{msg.topic()}.dlq"
        await asyncio.to_thread(ensure_topics, self.settings, [topic])
        if self._dlq_producer is None:
            self._dlq_producer = make_producer(self.settings, client_id=f"{self.group_id}-dlq")
        headers = [
            *(msg.headers() or []),
            (h.DLQ_ERROR, repr(exc)[:2000]),
            (h.DLQ_SOURCE, f"{msg.topic()}/{msg.partition()}/{msg.offset()}"),
            (h.DLQ_CONSUMER, self.group_id),
        ]
        errors: list[KafkaError] = []
        self._dlq_producer.produce(
            topic,
            key=msg.key(),
            value=msg.value(),
            headers=headers,
            on_delivery=lambda err, _m: errors.append(err) if err else None,
        )
        left = await asyncio.to_thread(self._dlq_producer.flush, 15.0)
        if left or errors:
            # Not acknowledged: do not commit the offset; the message comes back.
            raise KafkaException(errors[0] if errors else KafkaError(KafkaError._TIMED_OUT))
        self.dead_lettered += 1
        _log.error("event dead-lettered", extra={"topic": topic, "error": repr(exc)})
