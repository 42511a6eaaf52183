"""A migrated reporting database per test module, and helpers that feed events to the handlers."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from google.protobuf.message import Message
from sqlalchemy import text

import crm_reporting
from crm_common.db import create_engine, create_sessionmaker, unit_of_work, uuid7
from crm_common.kafka.consumer import Event
from crm_common.outbox import event_type_of
from crm_devstack.testing import migrated_database
from crm_reporting.facts.models import FACT_TABLES
from crm_reporting.facts.subscriptions import subscriptions

MIGRATIONS = Path(crm_reporting.__file__).parent / "migrations"
ROUTES = {s.event_type: s for s in subscriptions()}


def event(message: Message, *, tenant_id: uuid.UUID, at: dt.datetime | None = None) -> Event:
    """An event as the consumer decodes it (topic from reporting's own subscription)."""
    etype = event_type_of(message)
    return Event(
        id=uuid7(),
        type=etype,
        tenant_id=tenant_id,
        occurred_at=at or dt.datetime.now(dt.UTC),
        topic=ROUTES[etype].topic,
        key="",
        payload=message,
        headers={},
    )


@dataclass
class Db:
    url: str
    sessionmaker: object

    async def feed(self, *events: Event) -> None:
        """Each event in its own unit of work, as the consumer runs it."""
        for ev in events:
            async with unit_of_work(self.sessionmaker, tenant_id=ev.tenant_id) as session:
                await ROUTES[ev.type].handler(session, ev)

    async def rows(self, table: str, tenant_id: uuid.UUID) -> list[dict]:
        async with unit_of_work(self.sessionmaker, tenant_id=tenant_id) as s:
            result = await s.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2, 3"))
            return [dict(r._mapping) for r in result]

    async def snapshot(self, tenant_id: uuid.UUID) -> dict[str, list[dict]]:
        out = {t: await self.rows(t, tenant_id) for t in FACT_TABLES}
        for rows in out.values():
            for r in rows:
                r.pop("updated_at", None)
        return out

    async def truncate(self) -> None:
        async with unit_of_work(self.sessionmaker) as s:
            await s.execute(text(f"TRUNCATE {', '.join(FACT_TABLES)}, lead_source_counts"))


@pytest.fixture(scope="module")
async def db(make_database, request) -> Db:
    name = "reporting_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    url = migrated_database(make_database, name[:40], MIGRATIONS)
    engine = create_engine(url, pool_size=5, instrument=False)
    yield Db(url, create_sessionmaker(engine))
    await engine.dispose()
