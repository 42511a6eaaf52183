"""A2: the tenant directory of leads' database, filled lazily by calls and events, and the
leads defaults a tenant.created event applies (idempotent)."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import grpc
import pytest
import sqlalchemy as sa

import crm_leads
from crm.events.contacts.v1 import customer_events_pb2 as cev
from crm.leads.v1 import leads_service_pb2 as pb
from crm.leads.v1 import leads_service_pb2_grpc as pb_grpc
from crm_common.context import CallContext, bind_context
from crm_common.db import unit_of_work, uuid7
from crm_common.kafka.consumer import Event
from crm_common.plumbing import tenant_directory_table as directory
from crm_common.tenants import DirectoryFiller, TenantInfo, apply_tenant_created
from crm_devstack.testing import migrated_database, serve_in_process
from crm_leads.api.servicer import SERVICE_NAMES, register
from crm_leads.defaults import tenant_defaults
from crm_leads.main import app
from crm_leads.pipeline.models import LostReason, Pipeline
from crm_leads.settings import LeadsSettings

MIGRATIONS = Path(crm_leads.__file__).parent / "migrations"


@pytest.fixture(scope="module")
async def leads(make_database):
    url = migrated_database(make_database, "leads_tenant_directory", MIGRATIONS)
    filler: DirectoryFiller | None = None  # bound below, before any call reaches the edge

    async def on_tenant(tenant: uuid.UUID) -> None:
        await filler.ensure(tenant)

    async with serve_in_process(
        LeadsSettings, register, SERVICE_NAMES, url=url, on_tenant=on_tenant
    ) as srv:
        filler = DirectoryFiller(srv.sessionmaker)  # what ServiceApp's `serve` passes
        yield pb_grpc.LeadsServiceStub(srv.channel), srv.sessionmaker, filler


def md(tenant: uuid.UUID) -> tuple[tuple[str, str], ...]:
    return (("x-tenant-id", str(tenant)), ("x-user-id", str(uuid.uuid4())))


async def directory_row(sessionmaker, tenant: uuid.UUID):
    async with sessionmaker() as s:
        return (
            await s.execute(sa.select(directory).where(directory.c.tenant_id == tenant))
        ).first()


async def test_a2_a_call_for_an_unknown_tenant_fills_the_directory_once(leads):
    stub, sessionmaker, filler = leads
    tenant = uuid.uuid4()
    assert await directory_row(sessionmaker, tenant) is None
    await stub.ListPipelines(pb.ListPipelinesRequest(), metadata=md(tenant), timeout=10)
    row = await directory_row(sessionmaker, tenant)
    assert (row.time_zone, row.locale, row.currency, row.active) == (
        "Asia/Jerusalem",
        "he-IL",
        "ILS",
        True,
    )
    assert row.defaults_applied_at is None  # only tenant.created applies defaults
    inserted = filler.inserted
    await stub.ListPipelines(pb.ListPipelinesRequest(), metadata=md(tenant), timeout=10)
    assert filler.inserted == inserted and tenant in filler.known  # cached: no second insert


async def test_a2_a_failing_call_still_lists_its_tenant(leads):
    stub, sessionmaker, _ = leads
    tenant = uuid.uuid4()
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.CreateLead(pb.CreateLeadRequest(), metadata=md(tenant), timeout=10)
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert await directory_row(sessionmaker, tenant) is not None


async def test_a2_an_event_for_an_unknown_tenant_fills_the_directory(leads):
    _, sessionmaker, _ = leads
    tenant = uuid.uuid4()
    sub = next(
        s for s in app.consumer_subscriptions(sessionmaker) if s.event_type == "customer.created"
    )
    event = Event(
        id=uuid7(),
        type="customer.created",
        tenant_id=tenant,
        occurred_at=dt.datetime.now(dt.UTC),
        topic=sub.topic,
        key="c",
        payload=cev.CustomerCreated(party_id=str(uuid.uuid4()), name="לקוח"),
        headers={},
    )
    with bind_context(CallContext(tenant_id=tenant)):
        async with unit_of_work(sessionmaker, tenant_id=tenant) as session:
            await sub.handler(session, event)
    assert await directory_row(sessionmaker, tenant) is not None


async def test_a2_leads_defaults_are_idempotent_and_fill_a_lazily_listed_tenant(leads):
    stub, sessionmaker, _ = leads
    tenant = uuid.uuid4()
    # listed lazily first (an old tenant), then its tenant.created arrives, twice
    await stub.ListLostReasons(pb.ListLostReasonsRequest(), metadata=md(tenant), timeout=10)
    info = TenantInfo(tenant_id=tenant, name="אור", slug="or-ltd", time_zone="Asia/Jerusalem")
    for _ in range(2):
        with bind_context(CallContext(tenant_id=tenant)):
            async with unit_of_work(sessionmaker, tenant_id=tenant) as session:
                await apply_tenant_created(session, info, tenant_defaults)
    row = await directory_row(sessionmaker, tenant)
    assert (row.name, row.slug) == ("אור", "or-ltd")  # the event's values over the lazy row
    assert row.defaults_applied_at is not None
    async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
        assert len((await s.execute(sa.select(Pipeline))).scalars().all()) == 1
        assert len((await s.execute(sa.select(LostReason))).scalars().all()) == 5
    got = await stub.ListPipelines(pb.ListPipelinesRequest(), metadata=md(tenant), timeout=10)
    assert [p.is_default for p in got.pipelines] == [True]
