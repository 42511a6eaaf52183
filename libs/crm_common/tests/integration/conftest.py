from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from crm_common.db import create_engine, create_sessionmaker
from crm_common.plumbing import PLUMBING_METADATA
from crm_common.settings import ServiceSettings


class PlumbingSettings(ServiceSettings):
    pass


@pytest.fixture
async def plumbing_db(make_database):
    """A database with only the outbox and inbox tables, plus a `seen` table for handlers."""
    url = make_database(f"plumbing_{uuid.uuid4().hex[:10]}")
    engine = create_engine(url, pool_size=5, instrument=False)
    async with engine.begin() as conn:
        await conn.run_sync(PLUMBING_METADATA.create_all)
        await conn.execute(
            text("CREATE TABLE seen (event_id uuid PRIMARY KEY, tenant_id uuid, value text)")
        )
    yield url, create_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
def settings_for(embedded_broker):
    def make(url: str, **overrides) -> PlumbingSettings:
        values = {
            "database_url": url,
            "kafka_bootstrap_servers": embedded_broker.bootstrap_servers,
            "outbox_batch_size": 100,
            "consumer_max_retries": 2,
            "consumer_retry_backoff_ms": 10,
            "kafka_topic_partitions": 3,
        }
        values.update(overrides)
        return PlumbingSettings(**values)

    return make


@pytest.fixture(scope="session", autouse=True)
def _tracing():
    """A real tracer provider, as every service process sets up at start."""
    from crm_common.settings import TelemetrySettings
    from crm_common.telemetry import setup_telemetry

    setup_telemetry("crm-plumbing-tests", TelemetrySettings(log_format="text"))
