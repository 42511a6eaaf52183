"""C8/T3 on the scheduler: ``crm-contacts schedule`` runs the birthdays job at 06:00 in the
tenant's zone and the SLA check every 5 minutes, through the same service functions as the
EmitBirthdays and CheckSla RPCs; a second scheduler (replica) changes nothing. A2: the
contacts defaults (task types) are idempotent."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import sqlalchemy as sa

from crm.events.contacts.v1 import contact_events_pb2 as cev
from crm_common.context import CallContext, bind_context
from crm_common.db import unit_of_work
from crm_common.plumbing import outbox_table, scheduled_runs_table, tenant_directory_table
from crm_common.scheduler import Scheduler
from crm_common.tenants import TenantInfo, apply_tenant_created
from crm_contacts.card.models import Contact
from crm_contacts.defaults import DEFAULT_TASK_TYPES, tenant_defaults
from crm_contacts.jobs import jobs
from crm_contacts.main import app
from crm_contacts.tasks import service as tasks
from crm_contacts.tasks.models import TaskType


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


async def listed_tenant(sessionmaker, time_zone: str = "Asia/Jerusalem") -> uuid.UUID:
    tenant = uuid.uuid4()
    async with sessionmaker() as s, s.begin():
        await s.execute(
            sa.insert(tenant_directory_table).values(
                tenant_id=tenant, time_zone=time_zone, created_at=dt.datetime.now(dt.UTC)
            )
        )
    return tenant


async def events(sessionmaker, tenant: uuid.UUID, event_type: str) -> list:
    async with unit_of_work(sessionmaker) as s:
        return list(
            (
                await s.execute(
                    sa.select(outbox_table).where(
                        outbox_table.c.tenant_id == tenant, outbox_table.c.type == event_type
                    )
                )
            ).all()
        )


def test_c8_t3_contacts_registers_its_jobs():
    got = {j.name: j.schedule for j in app.jobs()}
    assert got["birthdays"].at == dt.time(6, 0)
    assert got["sla-check"].minutes == 5


async def test_c8_birthdays_job_runs_at_0600_jerusalem_once_across_two_schedulers(contacts):
    sm = contacts.sessionmaker
    tenant = await listed_tenant(sm)
    with bind_context(CallContext(tenant_id=tenant)):
        async with unit_of_work(sm, tenant_id=tenant) as s:
            s.add(Contact(tenant_id=tenant, first_name="נועה", birthday=dt.date(1990, 1, 15)))
            s.add(Contact(tenant_id=tenant, first_name="דן", anniversary=dt.date(2015, 1, 15)))
            s.add(Contact(tenant_id=tenant, first_name="רון", birthday=dt.date(1990, 1, 16)))
    only_birthdays = [j for j in jobs() if j.name == "birthdays"]
    a, b = Scheduler(sm, only_birthdays), Scheduler(sm, only_birthdays)
    # 05:59 in Jerusalem (03:59 UTC, winter): not yet
    assert not [r for r in await a.tick(utc(2027, 1, 15, 3, 59)) if r.tenant_id == tenant]
    assert await events(sm, tenant, "birthday.due") == []
    results = await asyncio.gather(a.tick(utc(2027, 1, 15, 4, 0)), b.tick(utc(2027, 1, 15, 4, 1)))
    mine = [r for rs in results for r in rs if r.tenant_id == tenant and r.ran]
    assert [(r.run_key, r.outcome) for r in mine] == [("2027-01-15", "emitted=2")]
    due = [cev.BirthdayDue.FromString(r.payload) for r in await events(sm, tenant, "birthday.due")]
    assert sorted(d.occasion for d in due) == ["anniversary", "birthday"]
    async with sm() as s:
        claims = (
            await s.execute(
                sa.select(scheduled_runs_table).where(scheduled_runs_table.c.tenant_id == tenant)
            )
        ).all()
    assert [(c.job, c.run_key, c.outcome) for c in claims] == [
        ("birthdays", "2027-01-15", "emitted=2")
    ]


async def test_t3_sla_check_job_marks_breaches_every_five_minutes(contacts):
    sm = contacts.sessionmaker
    tenant = await listed_tenant(sm)
    user = uuid.uuid4()
    with bind_context(CallContext(tenant_id=tenant, user_id=user)):
        async with unit_of_work(sm, tenant_id=tenant) as s:
            await tasks.create_task_type(s, tenant, key="urgent", name="דחוף", sla_minutes=1)
            await tasks.create_task(
                s,
                tenant,
                tasks.TaskInput(
                    title="לחזור ללקוח",
                    assignee_user_id=user,
                    creator_user_id=user,
                    task_type_key="urgent",
                ),
            )
    sla = [j for j in jobs() if j.name == "sla-check"]
    scheduler = Scheduler(sm, sla)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    ran = [r for r in await scheduler.tick(later) if r.tenant_id == tenant]
    assert [(r.ran, r.outcome) for r in ran] == [(True, "breached=1")]
    assert len(await events(sm, tenant, "task.sla_breached")) == 1
    # the same slot again: nothing; the next slot: runs, finds nothing new
    assert not [r for r in await scheduler.tick(later) if r.tenant_id == tenant]
    nxt = [
        r for r in await scheduler.tick(later + dt.timedelta(minutes=5)) if r.tenant_id == tenant
    ]
    assert [(r.ran, r.outcome) for r in nxt] == [(True, "breached=0")]
    assert len(await events(sm, tenant, "task.sla_breached")) == 1


async def test_a2_contacts_defaults_make_task_types_once(contacts):
    sm = contacts.sessionmaker
    tenant = uuid.uuid4()
    info = TenantInfo(tenant_id=tenant, name="חברה")
    for _ in range(2):
        with bind_context(CallContext(tenant_id=tenant)):
            async with unit_of_work(sm, tenant_id=tenant) as s:
                await apply_tenant_created(s, info, tenant_defaults)
    async with unit_of_work(sm, tenant_id=tenant) as s:
        got = sorted(
            (t.key, t.name, t.sla_minutes) for t in (await s.execute(sa.select(TaskType))).scalars()
        )
    assert got == sorted(DEFAULT_TASK_TYPES)
