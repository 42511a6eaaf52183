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
        # a poison message is dead-lettered when the batch is decoded, before the handlers
        # run, so the dead-letter order is not the source order
        by_id = {hd[h.EVENT_ID]: hd for hd in (h.decode(m.headers()) for m in dlq)}
        failed = by_id.pop(str(bad_id))
        assert "handler bug" in failed[h.DLQ_ERROR]
        assert failed[h.DLQ_SOURCE].startswith(f"{topic}/")
        [poison] = by_id.values()
        assert "PoisonMessage" in poison[h.DLQ_ERROR]


class TestConsumerBatches:
    @staticmethod
    def _runner(settings, sessionmaker, topic, handler) -> ConsumerRunner:
        return ConsumerRunner(
            settings=settings,
            sessionmaker=sessionmaker,
            group_id=f"g-{topic}",
            subscriptions=[Subscription(topic, "lead.captured", ev.LeadCaptured, handler)],
        )

    @staticmethod
    def _publish(bootstrap, topic, stream, ids) -> list:
        for name, tenant in stream:
            _produce(
                bootstrap,
                topic,
                event_id=ids[name],
                tenant=tenant,
                value=ev.LeadCaptured(lead_id=name).SerializeToString(),
            )
        msgs = drain(bootstrap, topic, expect=len(stream))
        assert len(msgs) == len(stream)
        return msgs

    @staticmethod
    def _handler(tries: dict[str, int], failing: str | None = None):
        async def handler(session, event: Event) -> None:
            name = event.payload.lead_id
            tries[name] = tries.get(name, 0) + 1
            # the row records how many of its tenant's events were applied before it
            await session.execute(
                text(
                    "INSERT INTO seen (event_id, tenant_id, value) SELECT :id, :t,"
                    " :v || '#' || (SELECT count(*) FROM seen WHERE tenant_id = :t)"
                ),
                {"id": event.id, "t": event.tenant_id, "v": name},
            )
            if name == failing:
                raise RuntimeError("handler bug")

        return handler

    async def test_foundation_batch_is_one_transaction_in_order_per_tenant(
        self, plumbing_db, settings_for, embedded_broker
    ):
        """A poll's messages are handled in one transaction, each tenant's in arrival order
        and with that tenant set for row-level security; a copy of an event inside the same
        batch is a duplicate, and the whole batch redelivered is a no-op."""
        url, sessionmaker = plumbing_db
        topic = f"crm.test.{uuid.uuid4().hex[:8]}"
        settings = settings_for(url)
        ensure_topics(settings, [topic])
        tenant_a, tenant_b = uuid.uuid4(), uuid.uuid4()
        ids = {name: uuid.uuid4() for name in ("a1", "a2", "b1", "b2")}
        stream = [
            ("a1", tenant_a),
            ("b1", tenant_b),
            ("b1", tenant_b),  # the same event again, in the same batch
            ("a2", tenant_a),
            ("b2", tenant_b),
        ]
        msgs = self._publish(embedded_broker.bootstrap_servers, topic, stream, ids)
        tries: dict[str, int] = {}
        seen_tenants: list[str] = []

        async def handler(session, event: Event) -> None:
            seen_tenants.append(
                await session.scalar(text("SELECT current_setting('app.tenant_id', true)"))
            )
            await self._handler(tries)(session, event)

        runner = self._runner(settings, sessionmaker, topic, handler)
        await runner.process_batch(msgs)

        async with unit_of_work(sessionmaker) as session:
            seen = dict((await session.execute(text("SELECT event_id, value FROM seen"))).all())
            starts = (await session.execute(text("SELECT DISTINCT processed_at FROM inbox"))).all()
        assert {name: seen.get(i) for name, i in ids.items()} == {
            "a1": "a1#0",
            "a2": "a2#1",
            "b1": "b1#0",
            "b2": "b2#1",
        }
        assert tries == {"a1": 1, "a2": 1, "b1": 1, "b2": 1}
        assert seen_tenants == [str(tenant_a)] * 2 + [str(tenant_b)] * 2
        assert (runner.handled, runner.duplicates, runner.dead_lettered) == (4, 1, 0)
        assert len(starts) == 1  # every inbox row written by one transaction

        # the whole batch again (a redelivery after a crash before the offset commit): no-op
        await runner.process_batch(msgs)
        assert (runner.handled, runner.duplicates) == (4, 1 + 5)
        assert tries == {"a1": 1, "a2": 1, "b1": 1, "b2": 1}

    async def test_foundation_batch_failure_spares_the_other_events(
        self, plumbing_db, settings_for, embedded_broker
    ):
        """A handler failure rolls the batch back; its events are then handled one by one in
        their own transactions: the failing one retried and dead-lettered, the others (of the
        same tenant and of another) applied once, in order."""
        url, sessionmaker = plumbing_db
        settings = settings_for(url, consumer_max_retries=1)
        topic = f"crm.test.{uuid.uuid4().hex[:8]}"
        ensure_topics(settings, [topic])
        tenant_a, tenant_b = uuid.uuid4(), uuid.uuid4()
        ids = {name: uuid.uuid4() for name in ("a1", "a2", "a3", "b1", "b2")}
        stream = [
            ("a1", tenant_a),
            ("b1", tenant_b),
            ("a2", tenant_a),
            ("a3", tenant_a),
            ("b2", tenant_b),
        ]
        msgs = self._publish(embedded_broker.bootstrap_servers, topic, stream, ids)
        tries: dict[str, int] = {}
        runner = self._runner(settings, sessionmaker, topic, self._handler(tries, failing="a2"))
        await runner.process_batch(msgs)

        async with unit_of_work(sessionmaker) as session:
            seen = dict((await session.execute(text("SELECT event_id, value FROM seen"))).all())
        assert {name: seen.get(i) for name, i in ids.items()} == {
            "a1": "a1#0",
            "a2": None,
            "a3": "a3#1",
            "b1": "b1#0",
            "b2": "b2#1",
        }
        # In the batch tenant A's events ran first: a1, then a2 failed. Then one by one:
        # a1 again, b1, a2 (its retry, then the dead-letter topic), a3, b2.
        assert tries == {"a1": 2, "a2": 2, "a3": 1, "b1": 1, "b2": 1}
        assert (runner.handled, runner.duplicates, runner.dead_lettered) == (4, 0, 1)
        dlq = drain(embedded_broker.bootstrap_servers, f"{topic}.dlq", expect=1)
        assert [h.decode(m.headers())[h.EVENT_ID] for m in dlq] == [str(ids["a2"])]
