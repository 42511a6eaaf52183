"""The consumer runner: one loop for every event consumer of every service.

Each poll takes what the client has already fetched (up to ``consumer_batch_size``
messages) and handles it in one unit of work: the batch's event ids go into the inbox in
one statement (``ON CONFLICT DO NOTHING ... RETURNING``), the handlers of the ids that
were new run in arrival order, tenant by tenant (``app.tenant_id``, which row-level
security reads, is set before each tenant's events), and the transaction commits; only
then are the offsets committed. A crash between the database commit and the offset
commit redelivers the events, and the inbox turns the redelivery into a no-op, so each
event takes effect exactly once.

If any handler of the batch fails, the batch's transaction rolls back as a whole and its
messages go through :meth:`ConsumerRunner.process` one at a time, each in its own
transaction: a handler that keeps failing is retried a bounded number of times and the
message then goes to the dead-letter topic ``<topic>.dlq`` with the error in a header,
while the others still take effect. Each tenant's events keep their order; events of
different tenants never touch the same rows (row-level security).

Why batches: per event, a transaction of its own (BEGIN, pool ping, tenant setting,
COMMIT, offset commit) cost more than the handler's work; see docs/adr on the consumer
batches and bench/reporting_10m.py for the figures.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition
from confluent_kafka import Message as KafkaMessage
from google.protobuf.message import DecodeError
from google.protobuf.message import Message as ProtoMessage
from opentelemetry import trace
from opentelemetry.trace import SpanKind
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crm_common.context import CallContext, bind_context
from crm_common.db.session import unit_of_work
from crm_common.faults import failpoint
from crm_common.kafka import headers as h
from crm_common.kafka.client import ensure_topics, make_consumer, make_producer
from crm_common.settings import ServiceSettings
from crm_common.telemetry import extract_context

_log = logging.getLogger(__name__)

# The inbox rows of a whole batch in one statement; text, so SQLAlchemy caches it (its
# PostgreSQL insert() construct is compiled again on every call, see crm_common.db.statements).
_INBOX_INSERT = text(
    "INSERT INTO inbox (consumer, event_id, event_type, topic, tenant_id)"
    " SELECT :consumer, e.id, e.type, e.topic, e.tenant FROM unnest("
    "CAST(:ids AS uuid[]), CAST(:types AS text[]), CAST(:topics AS text[]),"
    " CAST(:tenants AS uuid[])) AS e(id, type, topic, tenant)"
    " ON CONFLICT DO NOTHING RETURNING event_id"
)
_SET_TENANT = text("SELECT set_config('app.tenant_id', :tenant, true)")
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
        committed: list[TopicPartition] = []
        try:
            while not stop.is_set():
                msgs = await asyncio.to_thread(self._poll_batch, consumer)
                good = []
                for msg in msgs:
                    if msg.error():
                        await self._on_error(msg.error())
                    else:
                        good.append(msg)
                if not good:
                    continue
                await self.process_batch(good)
                committed = _next_offsets(good)
                # Asynchronous: the inbox already makes a redelivery harmless, so the loop
                # does not wait a broker round trip per batch. The last batch's offsets are
                # committed synchronously on the way out.
                consumer.commit(offsets=committed, asynchronous=True)
        finally:
            if committed:
                try:
                    await asyncio.to_thread(consumer.commit, offsets=committed, asynchronous=False)
                except KafkaException as exc:  # redelivered next time; the inbox skips it
                    _log.warning("final offset commit failed", extra={"error": str(exc)})
            await asyncio.to_thread(consumer.close)
            if self._dlq_producer is not None:
                await asyncio.to_thread(self._dlq_producer.flush, 5.0)
            _log.info(
                "consumer stopped",
                extra={"group": self.group_id, "handled": self.handled, "dlq": self.dead_lettered},
            )

    def _poll_batch(self, consumer: Consumer) -> list[KafkaMessage]:
        """Wait up to 0.5 s for one message, then take what is already fetched, without waiting."""
        first = consumer.poll(0.5)
        if first is None:
            return []
        more = self.settings.consumer_batch_size - 1
        return [first, *consumer.consume(num_messages=more, timeout=0)] if more else [first]

    async def _on_error(self, err: KafkaError) -> None:
        if err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
            # The broker lost or never had the topic (an embedded broker restarts empty).
            await asyncio.to_thread(ensure_topics, self.settings, self.topics)
        elif err.code() != KafkaError._PARTITION_EOF:
            _log.warning("consumer error", extra={"error": str(err)})
            await asyncio.sleep(0.5)

    async def process_batch(self, msgs: list[KafkaMessage]) -> None:
        """Handle ``msgs`` (in arrival order) in one transaction; see the module doc."""
        items: list[tuple[Subscription, Event, KafkaMessage]] = []
        for msg in msgs:
            route, _hdrs = self._route(msg)
            if route is None:
                continue  # an event type this consumer does not handle
            try:
                items.append((route, decode_event(msg, route.message), msg))
            except PoisonMessage as exc:
                await self._dead_letter(msg, exc)
        if not items:
            return
        failed: list[KafkaMessage] = []
        try:
            handled, duplicates = await self._handle_batch(items, failed)
        except Exception as exc:
            # Nothing of the batch took effect; give each message its own transaction,
            # retries and dead-lettering, in the original order. The handler that failed has
            # had its first try.
            _log.info(
                "batch rolled back; handling its events one by one",
                extra={"events": len(items), "error": repr(exc)},
            )
            for _route, _event, msg in items:
                await self.process(msg, first_attempt=2 if failed and msg is failed[0] else 1)
            return
        self.handled += handled
        self.duplicates += duplicates
        failpoint("consumer.after_commit")

    async def _handle_batch(
        self, items: list[tuple[Subscription, Event, KafkaMessage]], failed: list[KafkaMessage]
    ) -> tuple[int, int]:
        by_tenant: dict[uuid.UUID, list[tuple[Subscription, Event, KafkaMessage]]] = {}
        for item in items:
            by_tenant.setdefault(item[1].tenant_id, []).append(item)
        handled = duplicates = 0
        async with unit_of_work(self.sessionmaker) as session:
            new = await self._into_inbox(session, [event for _route, event, _msg in items])
            for tenant_id, group in by_tenant.items():
                # Row-level security follows the tenant of the events being handled.
                await session.execute(_SET_TENANT, {"tenant": str(tenant_id)})
                with bind_context(CallContext(tenant_id=tenant_id)):
                    for route, event, msg in group:
                        if event.id not in new:
                            duplicates += 1
                            _log.info("duplicate event skipped", extra={"event_id": str(event.id)})
                            continue
                        new.discard(event.id)  # a second copy in the same batch is a duplicate
                        with _tracer.start_as_current_span(
                            f"{event.topic} process",
                            context=extract_context(event.headers),
                            kind=SpanKind.CONSUMER,
                            attributes=self._span_attributes(msg, event.headers, 1),
                        ):
                            failed[:] = [msg]
                            await route.handler(session, event)
                            # Each handler starts from a clean identity map, as it would in
                            # a transaction of its own: a row changed by an earlier
                            # handler's plain SQL is read afresh, not from a stale object.
                            await session.flush()
                            session.expunge_all()
                            failed.clear()
                        handled += 1
        return handled, duplicates

    def _route(self, msg: KafkaMessage) -> tuple[Subscription | None, dict[str, str]]:
        """The subscription for ``msg`` (None: a type this consumer does not handle), and its
        decoded headers."""
        hdrs = h.decode(msg.headers())
        return self.routes.get((msg.topic() or "", hdrs.get(h.EVENT_TYPE, ""))), hdrs

    async def _into_inbox(self, session: AsyncSession, events: list[Event]) -> set[uuid.UUID]:
        """Record ``events`` in the inbox in one statement; the ids that were new."""
        first: dict[uuid.UUID, Event] = {}
        for event in events:
            first.setdefault(event.id, event)
        inserted = await session.execute(
            _INBOX_INSERT,
            {
                "consumer": self.group_id,
                "ids": list(first),
                "types": [e.type for e in first.values()],
                "topics": [e.topic for e in first.values()],
                "tenants": [e.tenant_id for e in first.values()],
            },
        )
        return set(inserted.scalars())

    def _span_attributes(self, msg: KafkaMessage, hdrs: Mapping[str, str], attempt: int) -> dict:
        return {
            "messaging.system": "kafka",
            "messaging.operation.type": "process",
            "messaging.destination.name": msg.topic() or "",
            "messaging.consumer.group.name": self.group_id,
            "messaging.message.id": hdrs.get(h.EVENT_ID, ""),
            "messaging.kafka.offset": msg.offset() or 0,
            "crm.event.type": hdrs.get(h.EVENT_TYPE, ""),
            "crm.attempt": attempt,
        }

    async def process(self, msg: KafkaMessage, *, first_attempt: int = 1) -> None:
        """Handle one message in its own transaction, with retries and dead-lettering."""
        route, hdrs = self._route(msg)
        if route is None:
            return  # an event type this consumer does not handle
        parent = extract_context(hdrs)
        attempts = self.settings.consumer_max_retries + 1
        first_attempt = min(first_attempt, attempts)
        if first_attempt > 1:  # the earlier try failed inside a batch: back off as after it
            await asyncio.sleep(self._backoff(first_attempt - 1))
        for attempt in range(first_attempt, attempts + 1):
            with _tracer.start_as_current_span(
                f"{msg.topic()} process",
                context=parent,
                kind=SpanKind.CONSUMER,
                attributes=self._span_attributes(msg, hdrs, attempt),
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
            await asyncio.sleep(self._backoff(attempt))

    def _backoff(self, attempt: int) -> float:
        """Seconds to wait after failed try number ``attempt``."""
        return min(self.settings.consumer_retry_backoff_ms / 1000 * 2 ** (attempt - 1), 2.0)

    async def _handle_once(self, route: Subscription, event: Event) -> None:
        with bind_context(CallContext(tenant_id=event.tenant_id)):
            async with unit_of_work(self.sessionmaker, tenant_id=event.tenant_id) as session:
                if not await self._into_inbox(session, [event]):
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


def _next_offsets(msgs: list[KafkaMessage]) -> list[TopicPartition]:
    """The offsets to commit after ``msgs``: one past the last message of each partition."""
    last: dict[tuple[str, int], int] = {}
    for msg in msgs:
        key = (msg.topic() or "", msg.partition() or 0)
        last[key] = max(last.get(key, -1), msg.offset() or 0)
    return [TopicPartition(t, p, o + 1) for (t, p), o in last.items()]
