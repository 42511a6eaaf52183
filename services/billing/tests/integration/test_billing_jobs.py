"""B4 on the scheduler: ``crm-billing schedule`` charges the due card schedules daily at 07:00
in the tenant's zone (the same function as RunDueCharges), once across two schedulers, and
picks a failed charge up again on its retry day. A2: the business-profile placeholder."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import sqlalchemy as sa

from crm.billing.v1 import billing_service_pb2 as pb
from crm_billing.catalog.models import BusinessProfile
from crm_billing.defaults import tenant_defaults
from crm_billing.documents import service as documents
from crm_billing.jobs import jobs
from crm_billing.main import app
from crm_billing.payments.models import Payment
from crm_billing.payments.provider import simulated
from crm_common.context import CallContext, bind_context
from crm_common.db import unit_of_work
from crm_common.plumbing import tenant_directory_table
from crm_common.scheduler import Scheduler
from crm_common.tenants import TenantInfo, apply_tenant_created


async def listed(server, tenant_id: uuid.UUID) -> None:
    async with server.sessionmaker() as s, s.begin():
        await s.execute(
            sa.insert(tenant_directory_table).values(
                tenant_id=tenant_id, created_at=dt.datetime.now(dt.UTC)
            )
        )


def test_b4_billing_registers_the_due_charges_job():
    (job,) = app.jobs()
    assert (job.name, job.schedule.at) == ("due-charges", dt.time(7, 0))


async def test_b4_due_charges_job_charges_once_at_0700_local_and_retries_on_its_day(server):
    t = server.tenant()
    await listed(server, t.id)
    for token in ("pm_card_visa", "pm_card_chargeDeclined"):
        await t.CreateCardSchedule(
            pb.CreateCardScheduleRequest(
                party_id=str(uuid.uuid4()),
                customer_name="מנוי",
                card_token=token,
                amount_agorot=9_900,
                interval_months=1,
            )
        )
    today = documents.today()  # the schedules' first charge day (Israel date)
    # 07:00 in Jerusalem on that day: 05:00 UTC in winter, 04:00 UTC in summer
    seven = dt.datetime.combine(today, dt.time(7, 0), tzinfo=TenantInfo(t.id).zone)
    a, b = Scheduler(server.sessionmaker, jobs()), Scheduler(server.sessionmaker, jobs())
    early = await a.tick(seven.astimezone(dt.UTC) - dt.timedelta(minutes=1))
    assert not [r for r in early if r.tenant_id == t.id]
    results = await asyncio.gather(a.tick(seven), b.tick(seven))
    mine = [r for rs in results for r in rs if r.tenant_id == t.id and r.ran]
    assert [r.outcome for r in mine] == ["charges=2"]

    async def payments() -> list[Payment]:
        async with unit_of_work(server.sessionmaker, tenant_id=t.id) as s:
            return list((await s.execute(sa.select(Payment).order_by(Payment.id))).scalars())

    assert len(await payments()) == 2
    # the provider's webhooks settle one and fail the other (retry in RETRY_AFTER_DAYS[0])
    for payload, signature in list(simulated().outbox[-2:]):
        await t.HandleCardWebhook(pb.HandleCardWebhookRequest(payload=payload, signature=signature))
    tomorrow = seven + dt.timedelta(days=1)
    retry = [r for r in await a.tick(tomorrow) if r.tenant_id == t.id and r.ran]
    assert [r.outcome for r in retry] == ["charges=1"]  # only the declined card, retried
    assert len(await payments()) == 3


async def test_a2_billing_defaults_make_a_profile_placeholder_without_overwriting(server):
    tenant = uuid.uuid4()

    async def apply(name: str) -> None:
        with bind_context(CallContext(tenant_id=tenant)):
            async with unit_of_work(server.sessionmaker, tenant_id=tenant) as s:
                await apply_tenant_created(s, TenantInfo(tenant, name=name), tenant_defaults)

    await apply('שמש בע"מ')
    await apply("שם אחר")  # never over an existing profile
    async with unit_of_work(server.sessionmaker, tenant_id=tenant) as s:
        profile = await s.get(BusinessProfile, tenant)
    assert profile is not None and profile.name == 'שמש בע"מ'
