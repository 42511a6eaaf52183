"""A2/C8/B4: the per-tenant scheduler on a real PostgreSQL.

Two schedulers (two replicas) over one database run a job once per tenant and
period; a daily job follows the tenant's time zone; a failed run leaves no claim
and runs again; the job runs bound to its tenant.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from crm_common.context import current_tenant
from crm_common.plumbing import scheduled_runs_table as runs
from crm_common.plumbing import tenant_directory_table as directory
from crm_common.scheduler import Daily, Every, Job, Scheduler
from crm_common.tenants import TenantInfo


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
async def db(plumbing_db):
    _, sessionmaker = plumbing_db
    async with sessionmaker() as s, s.begin():
        await s.execute(
            text("CREATE TABLE job_log (tenant_id uuid, run_key text, app_tenant text, job text)")
        )
    return sessionmaker


async def add_tenant(sessionmaker, time_zone: str = "Asia/Jerusalem", active: bool = True):
    tenant = uuid.uuid4()
    async with sessionmaker() as s, s.begin():
        await s.execute(
            sa.insert(directory).values(
                tenant_id=tenant,
                time_zone=time_zone,
                active=active,
                created_at=dt.datetime.now(dt.UTC),
            )
        )
    return tenant


def logging_job(name: str, schedule, *, delay: float = 0.0, fail: set | None = None) -> Job:
    async def run(session, tenant: TenantInfo, now: dt.datetime):
        if fail is not None and tenant.tenant_id in fail:
            fail.discard(tenant.tenant_id)  # fails once
            await session.execute(
                text("INSERT INTO job_log VALUES (:t, 'doomed', '', :j)"),
                {"t": tenant.tenant_id, "j": name},
            )
            raise RuntimeError("provider down")
        assert current_tenant() == tenant.tenant_id
        await session.execute(
            text("INSERT INTO job_log VALUES (:t, :k, current_setting('app.tenant_id', true), :j)"),
            {"t": tenant.tenant_id, "k": now.isoformat(), "j": name},
        )
        if delay:
            await asyncio.sleep(delay)  # holds the claim while the other replica tries
        return {"done": 1}

    return Job(name, schedule, run)


async def log_rows(sessionmaker, job: str):
    async with sessionmaker() as s:
        return (
            await s.execute(
                text(
                    "SELECT tenant_id, app_tenant FROM job_log "
                    "WHERE job = :j AND run_key <> 'doomed'"
                ),
                {"j": job},
            )
        ).all()


async def test_a2_two_schedulers_run_a_daily_job_once_per_tenant(db):
    tenants = [await add_tenant(db) for _ in range(3)]
    job = logging_job("greet", Daily(dt.time(6, 0)), delay=0.05)
    now = utc(2026, 1, 15, 4, 30)
    a, b = Scheduler(db, [job]), Scheduler(db, [job])
    results = await asyncio.gather(a.tick(now), b.tick(now), a.tick(now), b.tick(now))
    ran = [r for rs in results for r in rs if r.ran]
    assert sorted(r.tenant_id for r in ran) == sorted(tenants)
    rows = await log_rows(db, "greet")
    assert sorted(r.tenant_id for r in rows) == sorted(tenants)
    assert all(r.app_tenant == str(r.tenant_id) for r in rows)  # RLS bound to the tenant
    async with db() as s:
        claims = (await s.execute(sa.select(runs).where(runs.c.job == "greet"))).all()
    assert len(claims) == 3
    assert {c.run_key for c in claims} == {"2026-01-15"}
    assert all(c.finished_at is not None and c.outcome == "{'done': 1}" for c in claims)
    # later the same local day: nothing; the next local day: once more each
    assert not [r for r in await a.tick(utc(2026, 1, 15, 20, 0)) if r.ran]
    assert len([r for r in await b.tick(utc(2026, 1, 16, 4, 0)) if r.ran]) == 3


async def test_c8_daily_job_waits_for_0600_in_the_tenants_zone(db):
    jerusalem = await add_tenant(db, "Asia/Jerusalem")
    london = await add_tenant(db, "Europe/London")
    job = logging_job("birthdays-like", Daily(dt.time(6, 0)))
    s = Scheduler(db, [job])

    async def ran_at(now):
        return {r.tenant_id for r in await s.tick(now) if r.ran}

    # winter: Jerusalem is UTC+2, London UTC+0
    assert await ran_at(utc(2026, 1, 15, 3, 59)) == set()
    assert await ran_at(utc(2026, 1, 15, 4, 0)) == {jerusalem}
    assert await ran_at(utc(2026, 1, 15, 5, 59)) == set()
    assert await ran_at(utc(2026, 1, 15, 6, 0)) == {london}
    # summer: Jerusalem is UTC+3, London UTC+1
    assert await ran_at(utc(2026, 7, 15, 2, 59)) == set()
    assert await ran_at(utc(2026, 7, 15, 3, 0)) == {jerusalem}
    assert await ran_at(utc(2026, 7, 15, 5, 0)) == {london}


async def test_t3_every_n_minutes_runs_once_per_slot(db):
    tenant = await add_tenant(db)
    job = logging_job("sla", Every(5))
    s = Scheduler(db, [job])
    ticks = [utc(2026, 1, 15, 10, m, sec) for m, sec in ((0, 1), (2, 0), (4, 59), (5, 0), (9, 0))]
    ran = [[r.run_key for r in await s.tick(t) if r.ran] for t in ticks]
    assert ran == [["2026-01-15T10:00Z"], [], [], ["2026-01-15T10:05Z"], []]
    assert len(await log_rows(db, "sla")) == 2 and tenant


async def test_a2_inactive_tenants_are_skipped(db):
    active = await add_tenant(db)
    await add_tenant(db, active=False)
    s = Scheduler(db, [logging_job("only-active", Every(60))])
    assert [r.tenant_id for r in await s.tick(utc(2026, 1, 15, 10, 0)) if r.ran] == [active]


async def test_b4_a_failed_run_rolls_back_with_its_claim_and_runs_again(db):
    tenant = await add_tenant(db)
    fail = {tenant}
    s = Scheduler(db, [logging_job("charges", Daily(dt.time(7, 0)), fail=fail)], tick_seconds=0.01)
    now = utc(2026, 1, 15, 5, 0)
    first = await s.tick(now)
    assert [(r.ran, r.error is not None) for r in first] == [(False, True)]
    async with db() as session:
        keys = set(
            (
                await session.execute(sa.select(runs.c.run_key).where(runs.c.job == "charges"))
            ).scalars()
        )
        doomed = (
            await session.execute(text("SELECT count(*) FROM job_log WHERE run_key = 'doomed'"))
        ).scalar_one()
    assert keys == {"2026-01-15!failed"}  # the failure is recorded, the claim is not
    assert doomed == 0  # the job's writes rolled back with it
    await asyncio.sleep(0.05)  # past the back-off
    second = await s.tick(now)
    assert [r.ran for r in second] == [True]
    assert len(await log_rows(db, "charges")) == 1
    assert s.failed == 1 and s.ran == 1


async def test_a2_old_run_records_are_purged(db):
    await add_tenant(db)
    s = Scheduler(db, [logging_job("purged", Every(5))])
    await s.tick(utc(2026, 1, 15, 10, 0))
    await s.tick(utc(2026, 1, 15, 10, 5))
    async with db() as session, session.begin():
        await session.execute(
            sa.update(runs)
            .where(runs.c.job == "purged", runs.c.run_key == "2026-01-15T10:00Z")
            .values(started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=15))
        )
    assert await s.purge(dt.datetime.now(dt.UTC)) == 1
    async with db() as session:
        left = (
            (await session.execute(sa.select(runs.c.run_key).where(runs.c.job == "purged")))
            .scalars()
            .all()
        )
    assert left == ["2026-01-15T10:05Z"]
