"""A2: sign-up writes TenantCreated to the gateway's outbox in its transaction, and the
event, relayed through a real broker, gives the tenant its defaults in the services.

Path under test: POST /v1/tenants -> gateway outbox -> OutboxRelay -> broker ->
each service's consumer as ServiceApp wires it (the standard tenant.created
subscription plus the lazy directory fill) -> tenant_directory + defaults.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

import crm_contacts
import crm_leads
from crm.events.gateway.v1 import tenant_events_pb2 as tev
from crm_common.db import create_engine, create_sessionmaker, unit_of_work
from crm_common.kafka.consumer import ConsumerRunner
from crm_common.outbox.relay import OutboxRelay
from crm_common.plumbing import outbox_table, tenant_directory_table
from crm_common.settings import ServiceSettings, service_config
from crm_contacts.defaults import DEFAULT_TASK_TYPES
from crm_devstack.testing import migrated_database

from .conftest import PASSWORD


class RelaySettings(ServiceSettings):
    model_config = service_config("GATEWAY")


def body(slug: str, **extra) -> dict:
    return {
        "slug": slug,
        "name": "שמש אנרגיה",
        "admin_email": f"owner@{slug}.co.il",
        "admin_name": "יוסי",
        "password": PASSWORD,
        **extra,
    }


async def tenant_events(gateway_url: str, tenant_id: str | None = None) -> list:
    engine = create_engine(gateway_url, pool_size=1, instrument=False)
    try:
        async with unit_of_work(create_sessionmaker(engine)) as s:
            stmt = sa.select(outbox_table).where(outbox_table.c.topic == "crm.gateway.tenant")
            if tenant_id is not None:
                stmt = stmt.where(outbox_table.c.tenant_id == uuid.UUID(tenant_id))
            return list((await s.execute(stmt)).all())
    finally:
        await engine.dispose()


async def test_a2_sign_up_writes_tenant_created_in_its_transaction(client, gateway_url):
    slug = f"shemesh-{uuid.uuid4().hex[:8]}"
    resp = await client.post("/v1/tenants", json=body(slug, time_zone="Europe/London"))
    assert resp.status_code == 201, resp.text
    out = resp.json()
    rows = await tenant_events(gateway_url, out["tenant_id"])
    assert len(rows) == 1
    row = rows[0]
    assert (row.type, row.aggregate_type, row.aggregate_id) == (
        "tenant.created",
        "tenant",
        out["tenant_id"],
    )
    event = tev.TenantCreated.FromString(row.payload)
    assert (event.tenant_id, event.slug, event.name) == (out["tenant_id"], slug, "שמש אנרגיה")
    assert (event.time_zone, event.locale, event.currency) == ("Europe/London", "he-IL", "ILS")
    assert event.admin_user_id == out["user_id"] and event.HasField("created_at")
    # the slug taken: 409, and no second event (the event is in the sign-up transaction)
    again = await client.post("/v1/tenants", json=body(slug))
    assert again.status_code == 409
    assert len([r for r in await tenant_events(gateway_url) if r.payload == row.payload]) == 1


async def test_a2_sign_up_defaults_to_jerusalem_and_refuses_a_bad_time_zone(client, gateway_url):
    before = len(await tenant_events(gateway_url))
    for bad in ("Mars/Olympus", "+02:00", ""):
        resp = await client.post(
            "/v1/tenants", json=body(f"bad-{uuid.uuid4().hex[:8]}", time_zone=bad)
        )
        assert resp.status_code == 422, resp.text
        problem = resp.json()
        assert resp.headers["content-type"].startswith("application/problem+json")
        assert "time_zone" in str(problem)
    assert len(await tenant_events(gateway_url)) == before  # nothing written
    resp = await client.post("/v1/tenants", json=body(f"plain-{uuid.uuid4().hex[:8]}"))
    (row,) = await tenant_events(gateway_url, resp.json()["tenant_id"])
    assert tev.TenantCreated.FromString(row.payload).time_zone == "Asia/Jerusalem"


@pytest.fixture(scope="module")
def service_dbs(make_database) -> dict[str, str]:
    return {
        "leads": migrated_database(
            make_database, "leads_tenant_signup", Path(crm_leads.__file__).parent / "migrations"
        ),
        "contacts": migrated_database(
            make_database,
            "contacts_tenant_signup",
            Path(crm_contacts.__file__).parent / "migrations",
        ),
    }


async def test_a2_tenant_created_reaches_services_through_the_broker_and_makes_defaults(
    client, gateway_url, service_dbs, embedded_broker
):
    from crm_contacts.main import app as contacts_app
    from crm_contacts.tasks.models import TaskType
    from crm_leads.main import app as leads_app
    from crm_leads.pipeline.models import LostReason, Pipeline, Stage
    from crm_leads.pipeline.service import DEFAULT_LOST_REASONS, DEFAULT_STAGES

    slug = f"signup-{uuid.uuid4().hex[:8]}"
    resp = await client.post("/v1/tenants", json=body(slug, time_zone="Asia/Jerusalem"))
    assert resp.status_code == 201, resp.text
    tenant_id = uuid.UUID(resp.json()["tenant_id"])

    kafka = {"kafka_bootstrap_servers": embedded_broker.bootstrap_servers}
    gw_engine = create_engine(gateway_url, pool_size=2, instrument=False)
    relay = OutboxRelay(
        settings=RelaySettings(database_url=gateway_url, **kafka),
        sessionmaker=create_sessionmaker(gw_engine),
        client_id="test-gateway-relay",
    )
    assert await relay.publish_batch() >= 1

    stop = asyncio.Event()
    engines, runners, makers = [], [], {}
    for name, app in (("leads", leads_app), ("contacts", contacts_app)):
        engine = create_engine(service_dbs[name], pool_size=3, instrument=False)
        engines.append(engine)
        makers[name] = create_sessionmaker(engine)
        settings = ServiceSettings(database_url=service_dbs[name], **kafka)
        runner = ConsumerRunner(
            settings=settings,
            sessionmaker=makers[name],
            group_id=f"test-{name}-{uuid.uuid4().hex[:6]}",
            subscriptions=app.consumer_subscriptions(makers[name]),
        )
        runners.append(asyncio.create_task(runner.run(stop)))

    async def directory_row(name: str):
        async with makers[name]() as s:
            return (
                await s.execute(
                    sa.select(tenant_directory_table).where(
                        tenant_directory_table.c.tenant_id == tenant_id
                    )
                )
            ).first()

    try:
        deadline = time.monotonic() + 60
        rows: dict = {}
        while time.monotonic() < deadline:
            rows = {n: await directory_row(n) for n in makers}
            if all(r is not None and r.defaults_applied_at for r in rows.values()):
                break
            await asyncio.sleep(0.3)
        else:
            raise AssertionError(f"tenant.created not applied in time: {rows}")
    finally:
        stop.set()
        await asyncio.gather(*runners)

    try:
        for row in rows.values():
            assert (row.slug, row.name, row.time_zone) == (slug, "שמש אנרגיה", "Asia/Jerusalem")
            assert row.active
        async with unit_of_work(makers["leads"], tenant_id=tenant_id) as s:
            pipes = (await s.execute(sa.select(Pipeline))).scalars().all()
            assert [p.is_default for p in pipes] == [True]
            stages = (
                (await s.execute(sa.select(Stage.name).order_by(Stage.position))).scalars().all()
            )
            assert stages == [name for name, _, _ in DEFAULT_STAGES]
            reasons = set((await s.execute(sa.select(LostReason.label))).scalars())
            assert reasons == set(DEFAULT_LOST_REASONS)
        async with unit_of_work(makers["contacts"], tenant_id=tenant_id) as s:
            types = {
                (t.key, t.sla_minutes) for t in (await s.execute(sa.select(TaskType))).scalars()
            }
            assert types == {(k, m) for k, _, m in DEFAULT_TASK_TYPES}
    finally:
        for engine in (*engines, gw_engine):
            await engine.dispose()
