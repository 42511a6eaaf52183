"""Foundation: consumer runner with inbox dedupe, bounded retries and dead-letter topic."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

from confluent_kafka import Producer
from sqlalchemy import func, select, text

from crm.events.leads.v1 import lead_events_pb2 as ev
from crm_common.db import unit_of_work
from crm_common.kafka import headers as h
from crm_common.kafka.client import ensure_topics
from crm_common.kafka.consumer import ConsumerRunner, Event, Subscription
from crm_common.plumbing import inbox_table

from .helpers import drain


def _produce(
    bootstrap: str,
    topic: str,
    *,
    event_id: uuid.UUID,
    tenant: uuid.UUID,
    value: bytes,
    event_type: str = "lead.captured",
) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    producer.produce(
        topic,
        key=b"k",
        value=value,
        headers=[
            (h.EVENT_TYPE, event_type),
            (h.EVENT_ID, str(event_id)),
            (h.TENANT_ID, str(tenant)),
            (h.OCCURRED_AT, datetime.now(UTC).isoformat()),
        ],
    )
    assert producer.flush(10) == 0


async def _until(predicate, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if await predicate():
            return
        await asyncio.sleep(0.2)
    raise AssertionError("condition not met in time")


async def _record(session, event: Event) -> None:
    await session.execute(
        text("INSERT INTO seen (event_id, tenant_id, value) VALUES (:id, :t, :v)"),
        {"id": event.id, "t": event.tenant_id, "v": event.payload.lead_id},
    )


class TestConsumerRunner:
    async def test_foundation_redelivered_event_applies_once(
        self, plumbing_db, settings_for, embedded_broker
    ):
        url, sessionmaker = plumbing_db
        settings = settings_for(url)
        topic = f"crm.test.{uuid.uuid4().hex[:8]}"
        ensure_topics(settings, [topic])
        event_id, tenant = uuid.uuid4(), uuid.uuid4()
        payload = ev.LeadCaptured(lead_id="L1").SerializeToString()
        for _ in range(3):  # the same event delivered three times
            _produce(
                embedded_broker.bootstrap_servers,
                topic,
                event_id=event_id,
                tenant=tenant,
                value=payload,
            )
        runner = ConsumerRunner(
            settings=settings,
            sessionmaker=sessionmaker,
            group_id=f"g-{topic}",
            subscriptions=[Subscription(topic, "lead.captured", ev.LeadCaptured, _record)],
        )
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))

        async def three_seen() -> bool:
            return runner.handled + runner.duplicates == 3

        try:
            await _until(three_seen)
        finally:
            stop.set()
            await task
        assert runner.handled == 1
        assert runner.duplicates == 2
        async with unit_of_work(sessionmaker) as session:
            seen = (
                await session.execute(text("SELECT event_id, tenant_id, value FROM seen"))
            ).all()
            inbox = (await session.execute(select(func.count()).select_from(inbox_table))).scalar()
        assert [(r.event_id, r.tenant_id, r.value) for r in seen] == [(event_id, tenant, "L1")]
        assert inbox == 1

    async def test_foundation_failing_handler_goes_to_dead_letter_and_changes_nothing(
        self, plumbing_db, settings_for, embedded_broker
    ):
        url, sessionmaker = plumbing_db
        settings = settings_for(url, consumer_max_retries=2)
        topic = f"crm.test.{uuid.uuid4().hex[:8]}"
        ensure_topics(settings, [topic])
        attempts = 0

        async def broken(session, event: Event) -> None:
            nonlocal attempts
            attempts += 1
            await _record(session, event)  # written, then rolled back by the failure
            raise RuntimeError("handler bug")

        bad_id, good_id, tenant = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        _produce(
            embedded_broker.bootstrap_servers,
            topic,
            event_id=bad_id,
            tenant=tenant,
            value=ev.LeadCaptured(lead_id="bad").SerializeToString(),
        )
        # Not decodable at all: dead-lettered without retries.
        _produce(
            embedded_broker.bootstrap_servers,
            topic,
            event_id=uuid.uuid4(),
            tenant=tenant,
            value=b"\xff\xff\xff",
        )
        _produce(
            embedded_broker.bootstrap_servers,
            topic,
            event_id=good_id,
            tenant=tenant,
            value=ev.LeadCaptured(lead_id="good").SerializeToString(),
            event_type="lead.assigned",
        )

        handled_good = []

        async def good(session, event: Event) -> None:
            handled_good.append(event.id)

        runner = ConsumerRunner(
            settings=settings,
            sessionmaker=sessionmaker,
            group_id=f"g-{topic}",
            subscriptions=[
                Subscription(topic, "lead.captured", ev.LeadCaptured, broken),
                Subscription(topic, "lead.assigned", ev.LeadCaptured, good),
            ],
        )
        stop = asyncio.Event()
        task = asyncio.create_task(runner.run(stop))

        async def done() -> bool:
            return runner.dead_lettered == 2 and handled_good == [good_id]

        try:
            await _until(done)
        finally:
            stop.set()
            await task
        assert attempts == 3  # first try + 2 retries
        async with unit_of_work(sessionmaker) as session:
            assert (await session.execute(text("SELECT count(*) FROM seen"))).scalar() == 0
        dlq = drain(embedded_broker.bootstrap_servers, f"{topic}.dlq", expect=2)
        assert len(dlq) == 2
        first = h.decode(dlq[0].headers())
        assert "handler bug" in first[h.DLQ_ERROR]
        assert first[h.EVENT_ID] == str(bad_id)
        assert first[h.DLQ_SOURCE].startswith(f"{topic}/")
