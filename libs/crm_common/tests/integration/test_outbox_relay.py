"""Foundation: transactional outbox and its relay on real PostgreSQL and a real broker."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from crm.events.leads.v1 import lead_events_pb2 as ev
from crm_common.db import unit_of_work
from crm_common.kafka import headers as h
from crm_common.outbox import add_event
from crm_common.outbox.relay import OutboxRelay, PublishFailed
from crm_common.plumbing import outbox_table

from .helpers import drain


async def _write_events(sessionmaker, topic: str, n: int, tenant: uuid.UUID) -> list[uuid.UUID]:
    ids = []
    async with unit_of_work(sessionmaker, tenant_id=tenant) as session:
        for i in range(n):
            ids.append(
                await add_event(
                    session,
                    topic=topic,
                    aggregate_type="lead",
                    aggregate_id=f"agg-{i % 7}",
                    tenant_id=tenant,
                    event=ev.LeadCaptured(lead_id=f"lead-{i}", source="web"),
                )
            )
    return ids


async def _unsent(sessionmaker) -> int:
    async with unit_of_work(sessionmaker) as session:
        return (
            await session.execute(select(func.count()).where(outbox_table.c.sent_at.is_(None)))
        ).scalar_one()


class TestOutboxWriter:
    async def test_foundation_event_row_rolls_back_with_the_change(self, plumbing_db):
        """An event written in a transaction that fails is never published."""
        _, sessionmaker = plumbing_db
        tenant = uuid.uuid4()
        with pytest.raises(IntegrityError):
            async with unit_of_work(sessionmaker, tenant_id=tenant) as session:
                await add_event(
                    session,
                    topic="t",
                    aggregate_type="lead",
                    aggregate_id="a",
                    tenant_id=tenant,
                    event=ev.LeadCaptured(lead_id="x"),
                )
                # the "change" fails: the outbox row must go with it
                await session.execute(outbox_table.insert().values(id=None))
        assert await _unsent(sessionmaker) == 0


class TestOutboxRelay:
    async def test_foundation_relay_publishes_key_value_and_headers(
        self, plumbing_db, settings_for, embedded_broker
    ):
        url, sessionmaker = plumbing_db
        topic = f"crm.test.{uuid.uuid4().hex[:8]}"
        tenant = uuid.uuid4()
        ids = await _write_events(sessionmaker, topic, 5, tenant)
        relay = OutboxRelay(settings=settings_for(url), sessionmaker=sessionmaker, client_id="t")
        assert await relay.publish_batch() == 5
        assert await _unsent(sessionmaker) == 0

        msgs = drain(embedded_broker.bootstrap_servers, topic, expect=5)
        assert len(msgs) == 5
        by_id = {h.decode(m.headers())[h.EVENT_ID]: m for m in msgs}
        assert set(by_id) == {str(i) for i in ids}
        m = by_id[str(ids[3])]
        hdrs = h.decode(m.headers())
        assert hdrs[h.EVENT_TYPE] == "lead.captured"
        assert hdrs[h.TENANT_ID] == str(tenant)
        assert hdrs[h.PAYLOAD_TYPE] == "crm.events.leads.v1.LeadCaptured"
        assert datetime.fromisoformat(hdrs[h.OCCURRED_AT]).tzinfo is not None
        assert hdrs["traceparent"].startswith("00-")
        assert m.key() == b"agg-3"
        assert ev.LeadCaptured.FromString(m.value()).lead_id == "lead-3"

    async def test_foundation_two_relays_never_double_publish(
        self, plumbing_db, settings_for, embedded_broker
    ):
        url, sessionmaker = plumbing_db
        topic = f"crm.test.{uuid.uuid4().hex[:8]}"
        n = 600
        await _write_events(sessionmaker, topic, n, uuid.uuid4())
        settings = settings_for(url, outbox_batch_size=50)
        relays = [
            OutboxRelay(settings=settings, sessionmaker=sessionmaker, client_id=f"r{i}")
            for i in range(2)
        ]

        async def drive(relay: OutboxRelay) -> int:
            total = 0
            while (sent := await relay.publish_batch()) > 0:
                total += sent
            return total

        counts = await asyncio.gather(*(drive(r) for r in relays))
        assert sum(counts) == n
        assert all(c > 0 for c in counts), f"both relays should have worked: {counts}"
        msgs = drain(embedded_broker.bootstrap_servers, topic, expect=n)
        event_ids = [h.decode(m.headers())[h.EVENT_ID] for m in msgs]
        assert len(event_ids) == n
        assert len(set(event_ids)) == n

    async def test_foundation_relay_keeps_rows_while_broker_is_unreachable(
        self, plumbing_db, settings_for
    ):
        url, sessionmaker = plumbing_db
        await _write_events(sessionmaker, "crm.test.down", 3, uuid.uuid4())
        relay = OutboxRelay(
            settings=settings_for(
                url, kafka_bootstrap_servers="127.0.0.1:1", kafka_delivery_timeout_ms=1500
            ),
            sessionmaker=sessionmaker,
            client_id="down",
        )
        relay._known_topics.add("crm.test.down")  # skip topic creation: no broker to ask
        with pytest.raises(PublishFailed):
            await relay.publish_batch()
        assert await _unsent(sessionmaker) == 3
        async with unit_of_work(sessionmaker) as session:
            rows = (await session.execute(select(outbox_table))).all()
        assert all(r.attempts == 1 and r.last_error for r in rows)

    async def test_foundation_relay_purges_sent_rows_after_retention(
        self, plumbing_db, settings_for
    ):
        url, sessionmaker = plumbing_db
        ids = await _write_events(sessionmaker, "crm.test.purge", 4, uuid.uuid4())
        old = datetime.now(UTC) - timedelta(hours=10)
        async with unit_of_work(sessionmaker) as session:
            await session.execute(
                update(outbox_table).where(outbox_table.c.id.in_(ids[:2])).values(sent_at=old)
            )
            await session.execute(
                update(outbox_table)
                .where(outbox_table.c.id == ids[2])
                .values(sent_at=datetime.now(UTC))
            )
        relay = OutboxRelay(
            settings=settings_for(url, outbox_retention_hours=1),
            sessionmaker=sessionmaker,
            client_id="purge",
        )
        assert await relay.purge() == 2
        async with unit_of_work(sessionmaker) as session:
            left = set((await session.execute(select(outbox_table.c.id))).scalars())
        assert left == {ids[2], ids[3]}
