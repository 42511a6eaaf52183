"""R2-R6 data: migration 0003 creates exactly the analytical tables the models declare."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

import crm_reporting
from crm_common.plumbing import PLUMBING_METADATA
from crm_devstack.testing import migrated_database
from crm_reporting.facts import models as facts
from crm_reporting.models import Base

MIGRATIONS = Path(crm_reporting.__file__).parent / "migrations"


async def test_r2_r6_migrations_match_the_fact_models(make_database):
    """Every fact table exists with forced RLS, and autogenerate finds nothing to change."""
    url = migrated_database(make_database, "reporting_schema", MIGRATIONS)
    engine = create_async_engine(url)

    def check(conn):
        names = set(inspect(conn).get_table_names())
        assert set(facts.FACT_TABLES) <= names
        forced = dict(
            conn.exec_driver_sql(
                "SELECT relname, relforcerowsecurity FROM pg_class WHERE relkind = 'r'"
            ).all()
        )
        assert all(forced[t] for t in facts.FACT_TABLES)
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, [Base.metadata, PLUMBING_METADATA])

    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(check)
    finally:
        await engine.dispose()
    assert diff == []


async def test_r2_r6_reporting_sessions_always_plan_with_the_parameters(make_database):
    """R2-R6: the reporting database forces custom plans (a generic plan of a report, made
    without the tenant and period, nests loops over a whole tenant: see migration 0005)."""
    url = migrated_database(make_database, "reporting_plans", MIGRATIONS)
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            mode = (await conn.exec_driver_sql("SHOW plan_cache_mode")).scalar()
    finally:
        await engine.dispose()
    assert mode == "force_custom_plan"
