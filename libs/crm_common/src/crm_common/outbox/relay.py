"""The outbox relay: publishes committed outbox rows to Kafka and marks them sent.

Runs as its own process (``crm-<service> relay``). Each batch is read with
``FOR UPDATE SKIP LOCKED`` inside one transaction, so two relays never hold the
same row: a second relay skips the locked rows and takes the next ones. Rows
are produced with the idempotent producer (``acks=all``) and marked sent only
once the broker acknowledged them; rows that failed stay unsent and are tried
again after a backoff, so a broker outage delays events but loses none.
Sent rows are kept for ``outbox_retention_hours`` and then deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from confluent_kafka import KafkaError, Message
from opentelemetry import trace
from opentelemetry.trace import SpanKind
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crm_common.db.session import unit_of_work
from crm_common.kafka import headers as h
from crm_common.kafka.client import ensure_topics, make_producer
from crm_common.plumbing import outbox_table
from crm_common.settings import ServiceSettings
from crm_common.telemetry import extract_context, inject_headers

_log = logging.getLogger(__name__)
_tracer = trace.get_tracer("crm.outbox.relay")

PURGE_EVERY_S = 60.0
PURGE_CHUNK = 10_000


class PublishFailed(RuntimeError):
    pass


class OutboxRelay:
    def __init__(
        self,
        *,
        settings: ServiceSettings,
        sessionmaker: async_sessionmaker[AsyncSession],
        client_id: str,
    ) -> None:
        self.settings = settings
        self.sessionmaker = sessionmaker
        self.client_id = client_id
        self.producer = make_producer(settings, client_id=client_id)
        self._known_topics: set[str] = set()
        self._last_purge = 0.0
        self.published_total = 0

    async def run(self, stop: asyncio.Event) -> None:
        poll_s = self.settings.outbox_poll_interval_ms / 1000
        backoff = poll_s
        _log.info("outbox relay started", extra={"client_id": self.client_id})
        while not stop.is_set():
            try:
                published = await self.publish_batch()
                backoff = poll_s
            except Exception as exc:
                _log.warning("outbox publish failed; will retry", extra={"error": repr(exc)})
                self._known_topics.clear()
                self._reset_producer()
                await _wait(stop, backoff)
                backoff = min(backoff * 2, 5.0)
                continue
            if time.monotonic() - self._last_purge > PURGE_EVERY_S:
                await self.purge()
            if published < self.settings.outbox_batch_size:
                await _wait(stop, poll_s)
        await asyncio.to_thread(self.producer.flush, 5.0)
        _log.info("outbox relay stopped", extra={"published": self.published_total})

    async def publish_batch(self) -> int:
        """Publish up to one batch; returns how many rows were marked sent."""
        failures: list[str] = []
        async with unit_of_work(self.sessionmaker) as session:
            rows = (
                await session.execute(
                    select(outbox_table)
                    .where(outbox_table.c.sent_at.is_(None))
                    .order_by(outbox_table.c.id)
                    .limit(self.settings.outbox_batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            await self._ensure_topics(r.topic for r in rows)
            results: dict[uuid.UUID, KafkaError | None] = {}
            for row in rows:
                self._produce(row, results)
            remaining = await asyncio.to_thread(
                self.producer.flush, self.settings.kafka_delivery_timeout_ms / 1000 + 5
            )
            sent = [rid for rid, err in results.items() if err is None]
            failed = {rid: err for rid, err in results.items() if err is not None}
            if sent:
                await session.execute(
                    update(outbox_table)
                    .where(outbox_table.c.id.in_(sent))
                    .values(sent_at=func.now(), attempts=outbox_table.c.attempts + 1)
                )
            for rid, err in failed.items():
                failures.append(str(err))
                await session.execute(
                    update(outbox_table)
                    .where(outbox_table.c.id == rid)
                    .values(attempts=outbox_table.c.attempts + 1, last_error=str(err)[:2000])
                )
            unacknowledged = len(rows) - len(results)
        self.published_total += len(sent)
        if failures or remaining or unacknowledged:
            raise PublishFailed(
                f"{len(failures)} failed, {unacknowledged} unacknowledged; first: "
                f"{failures[0] if failures else 'timeout'}"
            )
        return len(sent)

    def _produce(self, row, results: dict[uuid.UUID, KafkaError | None]) -> None:
        parent = extract_context(
            {
                k: v
                for k, v in (("traceparent", row.traceparent), ("tracestate", row.tracestate))
                if v
            }
        )
        with _tracer.start_as_current_span(
            f"{row.topic} publish",
            context=parent,
            kind=SpanKind.PRODUCER,
            attributes={
                "messaging.system": "kafka",
                "messaging.operation.type": "publish",
                "messaging.destination.name": row.topic,
                "messaging.message.id": str(row.id),
                "messaging.kafka.message.key": row.aggregate_id,
                "crm.event.type": row.type,
                "crm.tenant.id": str(row.tenant_id),
            },
        ):
            headers = [
                (h.EVENT_TYPE, row.type),
                (h.EVENT_ID, str(row.id)),
                (h.TENANT_ID, str(row.tenant_id)),
                (h.OCCURRED_AT, row.occurred_at.astimezone(UTC).isoformat()),
                (h.PAYLOAD_TYPE, row.payload_type),
                (h.AGGREGATE_TYPE, row.aggregate_type),
                (h.CONTENT_TYPE, h.PROTOBUF),
                *inject_headers().items(),
            ]

            def on_delivery(err: KafkaError | None, _msg: Message, rid: uuid.UUID = row.id) -> None:
                results[rid] = err

            self.producer.produce(
                row.topic,
                key=row.aggregate_id.encode(),
                value=row.payload,
                headers=headers,
                on_delivery=on_delivery,
            )
            self.producer.poll(0)

    def _reset_producer(self) -> None:
        """Start over with a new idempotent producer (a new producer id).

        After a failure the old producer's sequence state may not match the
        broker's any more (a restarted broker forgets producer ids); the rows it
        failed to deliver are still unsent in the outbox, so nothing is lost by
        dropping its queue.
        """
        self.producer.purge()
        self.producer.flush(0)
        self.producer = make_producer(self.settings, client_id=self.client_id)

    async def _ensure_topics(self, topics: Iterable[str]) -> None:
        missing = set(topics) - self._known_topics
        if missing:
            await asyncio.to_thread(ensure_topics, self.settings, missing)
            self._known_topics |= missing

    async def purge(self) -> int:
        """Delete sent rows older than the retention, in chunks."""
        self._last_purge = time.monotonic()
        cutoff = datetime.now(UTC) - timedelta(hours=self.settings.outbox_retention_hours)
        total = 0
        while True:
            async with unit_of_work(self.sessionmaker) as session:
                chunk = (
                    select(outbox_table.c.id)
                    .where(outbox_table.c.sent_at < cutoff)
                    .limit(PURGE_CHUNK)
                    .with_for_update(skip_locked=True)
                )
                result = await session.execute(
                    delete(outbox_table).where(outbox_table.c.id.in_(chunk))
                )
            total += result.rowcount or 0
            if (result.rowcount or 0) < PURGE_CHUNK:
                break
        if total:
            _log.info("outbox purged", extra={"deleted": total})
        return total

    async def backlog(self) -> int:
        async with unit_of_work(self.sessionmaker) as session:
            return int(
                (
                    await session.execute(
                        select(func.count()).where(outbox_table.c.sent_at.is_(None))
                    )
                ).scalar_one()
            )


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
