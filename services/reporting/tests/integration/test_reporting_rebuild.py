"""R2-R6 data: ``crm-reporting rebuild`` refills the tables from the topics, equal to live.

On the real (embedded) broker: events go out through the outbox relay, the live consumer fills
the tables, then a rebuild truncates them and replays every topic from offset 0.
"""

from __future__ import annotations

import asyncio
import time
import uuid

from sqlalchemy import text

from crm_common.db import create_engine, create_sessionmaker, unit_of_work
from crm_common.kafka.consumer import ConsumerRunner
from crm_common.outbox import add_event
from crm_common.outbox.relay import OutboxRelay
from crm_common.plumbing import PLUMBING_METADATA
from crm_reporting.main import app
from crm_reporting.rebuild import rebuild
from crm_reporting.settings import ReportingSettings

from .conftest import ROUTES
from .test_reporting_facts import stream


async def _wait_for(predicate, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not await predicate():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.2)


async def test_r2_r6_rebuild_from_the_topics_equals_the_live_tables(
    db, make_database, embedded_broker
):
    """R2-R6 data: snapshot after live consumption == snapshot after rebuild (two tenants),
    campaign costs (entered, not derived) survive, the inbox is refilled."""
    settings = ReportingSettings(
        database_url=db.url,
        kafka_bootstrap_servers=embedded_broker.bootstrap_servers,
        kafka_topic_partitions=3,
        consumer_retry_backoff_ms=10,
        outbox_poll_interval_ms=50,
    )
    # a producing service: only the outbox table, published by the real relay
    src_url = make_database(f"reporting_src_{uuid.uuid4().hex[:8]}")
    src_engine = create_engine(src_url, pool_size=2, instrument=False)
    async with src_engine.begin() as conn:
        await conn.run_sync(PLUMBING_METADATA.create_all)
    src = create_sessionmaker(src_engine)

    tenants = [uuid.uuid4(), uuid.uuid4()]
    sent = 0
    for tenant in tenants:
        evs, _ = stream(tenant)
        async with unit_of_work(src, tenant_id=tenant) as session:
            for ev in evs:
                await add_event(
                    session,
                    topic=ROUTES[ev.type].topic,
                    aggregate_type="test",
                    aggregate_id=uuid.uuid4(),  # any partition: handlers are order-free
                    tenant_id=tenant,
                    event=ev.payload,
                    occurred_at=ev.occurred_at,
                )
                sent += 1
    async with unit_of_work(db.sessionmaker, tenant_id=tenants[0]) as session:
        await session.execute(
            text(
                "INSERT INTO campaign_cost (tenant_id, cost_id, source, campaign, period_start,"
                " period_end, cost_agorot) VALUES (:t, :c, 'facebook', 'חורף', '2026-03-01',"
                " '2026-03-31', 250000)"
            ),
            {"t": tenants[0], "c": uuid.uuid4()},
        )

    stop = asyncio.Event()
    relay = OutboxRelay(settings=settings, sessionmaker=src, client_id="reporting-test-relay")
    runner = ConsumerRunner(
        settings=settings,
        sessionmaker=db.sessionmaker,
        group_id=app.consumer_group,
        subscriptions=app.consumer_subscriptions(db.sessionmaker),
    )
    tasks = [asyncio.create_task(relay.run(stop)), asyncio.create_task(runner.run(stop))]

    async def consumed() -> bool:
        async with unit_of_work(db.sessionmaker) as s:
            n = await s.scalar(
                text("SELECT count(*) FROM inbox WHERE consumer = :c AND tenant_id = ANY(:t)"),
                {"c": app.consumer_group, "t": tenants},
            )
        return n == sent

    try:
        await _wait_for(consumed)
    finally:
        stop.set()
        await asyncio.gather(*tasks)
        await src_engine.dispose()

    live = [await db.snapshot(t) for t in tenants]
    live_counts = [await db.rows("lead_source_counts", t) for t in tenants]
    assert live[0]["lead_fact"] and live[0]["campaign_cost"]

    result = await rebuild(
        settings=settings,
        sessionmaker=db.sessionmaker,
        subscriptions=app.consumer_subscriptions(db.sessionmaker),
        consumer_name=app.consumer_group,
        idle_seconds=0.5,
        max_idle_seconds=10,
    )
    assert result.ended_by == "caught-up", result
    assert result.handled >= sent and result.dead_lettered == 0
    assert [await db.snapshot(t) for t in tenants] == live
    assert [await db.rows("lead_source_counts", t) for t in tenants] == live_counts
    assert await consumed()
