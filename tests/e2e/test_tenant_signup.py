"""A2 end to end: a tenant signed up through the gateway gets its defaults in the services
through the tenant.created event (gateway outbox -> `crm-gateway relay` -> broker -> each
service's consumer), before any call of the tenant reaches them; and the stack's
`contacts-schedule` process runs the tenant's jobs (C8/T3)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest
import sqlalchemy as sa

from crm_common.db import create_engine
from crm_common.plumbing import scheduled_runs_table as runs
from crm_common.plumbing import tenant_directory_table as directory
from crm_leads.pipeline.service import DEFAULT_STAGES

from .conftest import eventually

pytestmark = pytest.mark.e2e


def _directory_and_pipelines(url: str, tenant_id: str) -> tuple:
    async def read():
        engine = create_engine(url, pool_size=1, instrument=False)
        try:
            async with engine.begin() as conn:
                row = (
                    await conn.execute(
                        sa.select(directory).where(directory.c.tenant_id == uuid.UUID(tenant_id))
                    )
                ).first()
                await conn.execute(
                    sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": tenant_id}
                )
                pipes = (await conn.execute(sa.text("SELECT id FROM pipelines"))).scalars().all()
                return row, [str(p) for p in pipes]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_a2_signed_up_tenant_gets_its_default_pipeline_through_the_event(stack):
    slug = f"e2e-{uuid.uuid4().hex[:10]}"
    with httpx.Client(base_url=stack.gateway_url, timeout=15) as anon:
        bad = anon.post(
            "/v1/tenants",
            json={
                "slug": slug,
                "name": "x",
                "admin_email": f"a@{slug}.co.il",
                "admin_name": "x",
                "password": "a long passphrase 2027",
                "time_zone": "Mars/Olympus",
            },
        )
        assert bad.status_code == 422
        assert bad.headers["content-type"].startswith("application/problem+json")
        resp = anon.post(
            "/v1/tenants",
            json={
                "slug": slug,
                "name": "שמש אנרגיה סולארית",
                "admin_email": f"owner@{slug}.co.il",
                "admin_name": "יוסי כהן",
                "password": "a long passphrase 2027",
                "time_zone": "Asia/Jerusalem",
            },
        )
    assert resp.status_code == 201, resp.text
    signed = resp.json()
    tenant_id = signed["tenant_id"]

    # Before any call of this tenant reaches leads: the event made the directory row,
    # stamped the defaults, and the default pipeline exists.
    def applied():
        row, pipes = _directory_and_pipelines(stack.database_urls["leads"], tenant_id)
        return (row, pipes) if row is not None and row.defaults_applied_at and pipes else None

    row, pipes = eventually(applied, timeout=60)
    assert (row.slug, row.name, row.time_zone) == (slug, "שמש אנרגיה סולארית", "Asia/Jerusalem")
    assert len(pipes) == 1

    token = signed["tokens"]["access_token"]
    with httpx.Client(
        base_url=stack.gateway_url, headers={"Authorization": f"Bearer {token}"}, timeout=15
    ) as admin:
        got = admin.get("/v1/pipelines")
    assert got.status_code == 200, got.text
    (pipeline,) = got.json()
    assert pipeline["id"] == pipes[0] and pipeline["is_default"]
    assert [s["name"] for s in pipeline["stages"]] == [name for name, _, _ in DEFAULT_STAGES]
    # every service with a consumer listed the tenant
    for service in ("contacts", "billing", "messaging", "reporting"):
        eventually(
            lambda s=service: _defaults_applied_at(stack.database_urls[s], tenant_id),
            timeout=60,
        )
    # contacts' scheduler (`contacts-schedule`) ran the every-5-minutes SLA check for it
    eventually(lambda: _finished_runs(stack.database_urls["contacts"], tenant_id), timeout=90)


def _finished_runs(url: str, tenant_id: str) -> list:
    async def read():
        engine = create_engine(url, pool_size=1, instrument=False)
        try:
            async with engine.connect() as conn:
                rows = await conn.execute(
                    sa.select(runs.c.job, runs.c.outcome).where(
                        runs.c.tenant_id == uuid.UUID(tenant_id),
                        runs.c.job == "sla-check",
                        runs.c.finished_at.is_not(None),
                    )
                )
                return [tuple(r) for r in rows]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _defaults_applied_at(url: str, tenant_id: str):
    async def read():
        engine = create_engine(url, pool_size=1, instrument=False)
        try:
            async with engine.connect() as conn:
                return (
                    await conn.execute(
                        sa.select(directory.c.defaults_applied_at).where(
                            directory.c.tenant_id == uuid.UUID(tenant_id)
                        )
                    )
                ).scalar()
        finally:
            await engine.dispose()

    return asyncio.run(read())
