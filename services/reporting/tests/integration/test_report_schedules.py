"""R7 scheduled e-mailed reports: schedules over gRPC on a real PostgreSQL, sent by the
hourly job through a tiny in-test messaging gRPC server that records SendMessage calls
(the e-mail itself is messaging's concern, tested there)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import uuid
from pathlib import Path

import grpc
import pytest
from google.protobuf import struct_pb2
from pypdf import PdfReader
from sqlalchemy import insert, select

import crm_reporting
from crm.messaging.v1 import messaging_service_pb2 as msg_pb
from crm.messaging.v1 import messaging_service_pb2_grpc as msg_grpc
from crm.reporting.v1 import builder_service_pb2 as pb
from crm.reporting.v1 import builder_service_pb2_grpc as pb_grpc
from crm_common.db import create_engine, create_sessionmaker, unit_of_work
from crm_common.grpc.errors import from_rpc_error
from crm_common.grpc.server import serve_grpc
from crm_common.plumbing import tenant_directory_table
from crm_common.scheduler import Scheduler
from crm_devstack.testing import free_port, migrated_database
from crm_reporting.builder.api import SERVICE_NAME, register
from crm_reporting.facts.models import LeadFact
from crm_reporting.jobs import report_schedules_job
from crm_reporting.schedules.messaging import MessagingSender
from crm_reporting.schedules.models import ReportSchedule
from crm_reporting.settings import ReportingSettings

MIGRATIONS = Path(crm_reporting.__file__).parent / "migrations"
UTC = dt.UTC
MONDAY = dt.datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # 10:00 in Jerusalem
SUNDAY = dt.datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


class RecordingMessaging(msg_grpc.MessagingServiceServicer):
    def __init__(self) -> None:
        self.requests: list[tuple[msg_pb.SendMessageRequest, dict[str, str]]] = []

    async def SendMessage(self, request, context):
        self.requests.append((request, dict(context.invocation_metadata())))
        return msg_pb.SendMessageResponse(
            message=msg_pb.Message(id=str(uuid.uuid4())), replayed=False
        )


@pytest.fixture(scope="module")
async def env(make_database):
    url = migrated_database(make_database, "reporting_schedules", MIGRATIONS)
    port = free_port()
    settings = ReportingSettings(database_url=url, grpc_host="127.0.0.1", grpc_port=port)
    engine = create_engine(url, pool_size=3, instrument=False)
    sessionmaker = create_sessionmaker(engine)
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve_grpc(
            settings=settings,
            sessionmaker=sessionmaker,
            register=register,
            service_names=[SERVICE_NAME],
            stop=stop,
        )
    )
    fake = RecordingMessaging()
    msg_server = grpc.aio.server()
    msg_grpc.add_MessagingServiceServicer_to_server(fake, msg_server)
    msg_port = msg_server.add_insecure_port("127.0.0.1:0")
    await msg_server.start()
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    await asyncio.wait_for(channel.channel_ready(), 10)
    sender = MessagingSender(f"127.0.0.1:{msg_port}", deadline_s=10)
    scheduler = Scheduler(sessionmaker=sessionmaker, jobs=[report_schedules_job(sender)])
    yield pb_grpc.ReportBuilderServiceStub(channel), sessionmaker, fake, scheduler
    await sender.close()
    await channel.close()
    await msg_server.stop(None)
    stop.set()
    await task
    await engine.dispose()


def struct(d: dict) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(d)
    return s


BY_SOURCE = {
    "subject": "leads",
    "group_by": ["source"],
    "measures": [{"op": "count", "as": "leads"}],
}


async def _tenant_with_report(sm, stub) -> tuple[uuid.UUID, tuple, str]:
    """A tenant in the directory, a few leads, and a saved report with a Hebrew name."""
    t = uuid.uuid4()
    async with unit_of_work(sm, tenant_id=t) as s:
        await s.execute(
            insert(tenant_directory_table).values(
                tenant_id=t, name="בדיקה", created_at=dt.datetime.now(UTC)
            )
        )
        await s.execute(
            insert(LeadFact),
            [
                {
                    "tenant_id": t,
                    "lead_id": uuid.uuid4(),
                    "source": src,
                    "captured_at": dt.datetime(2026, 11, 2, 9, tzinfo=UTC),
                }
                for src in ("רדיו", "רדיו", "אתר")
            ],
        )
    meta = (("x-tenant-id", str(t)), ("x-user-id", str(uuid.uuid4())), ("x-roles", "admin"))
    report = (
        await stub.CreateReportDefinition(
            pb.CreateReportDefinitionRequest(name="לידים לפי מקור", definition=struct(BY_SOURCE)),
            metadata=meta,
            timeout=30,
        )
    ).report
    return t, meta, report.id


def _sent_to(fake: RecordingMessaging, tenant: uuid.UUID) -> list[msg_pb.SendMessageRequest]:
    return [r for r, md in fake.requests if md.get("x-tenant-id") == str(tenant)]


async def test_r7_due_daily_schedule_sends_pdf_once_a_day(env):
    """R7: a daily PDF schedule sends once (email, transactional, a readable PDF with the
    Hebrew title and the chart's data); a second tick the same tenant-local day sends nothing."""
    stub, sm, fake, scheduler = env
    tenant, meta, report_id = await _tenant_with_report(sm, stub)
    created = (
        await stub.CreateReportSchedule(
            pb.CreateReportScheduleRequest(
                kind="report",
                target_id=report_id,
                format="pdf",
                cadence="daily",
                recipients=["Boss@Example.com"],
                subject="דוח יומי",
            ),
            metadata=meta,
            timeout=30,
        )
    ).schedule
    assert created.recipients == ["boss@example.com"] and created.last_sent_on == ""

    await scheduler.tick(MONDAY)
    sent = _sent_to(fake, tenant)
    assert len(sent) == 1
    req = sent[0]
    assert req.channel == msg_pb.CHANNEL_EMAIL and req.purpose == msg_pb.PURPOSE_TRANSACTIONAL
    assert req.to_address == "boss@example.com" and req.subject == "דוח יומי"
    assert req.idempotency_key == f"report-schedule:{created.id}:2026-11-30:boss@example.com"
    (att,) = req.attachments
    assert att.content_type == "application/pdf" and att.filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(att.content)).pages)
    assert "לידים לפי מקור" in text and "רדיו" in text

    # Two hours later (another hourly slot, so the scheduler runs the job again): nothing.
    await scheduler.tick(MONDAY + dt.timedelta(hours=2))
    assert len(_sent_to(fake, tenant)) == 1
    listed = (
        await stub.ListReportSchedules(pb.ListReportSchedulesRequest(), metadata=meta, timeout=30)
    ).schedules
    assert [s.last_sent_on for s in listed] == ["2026-11-30"]

    # The next tenant-local day it goes out again, with that day's key.
    await scheduler.tick(MONDAY + dt.timedelta(days=1))
    keys = [r.idempotency_key for r in _sent_to(fake, tenant)]
    assert keys[1] == f"report-schedule:{created.id}:2026-12-01:boss@example.com"


async def test_r7_weekly_schedule_waits_for_sunday(env):
    """R7: a weekly schedule sends nothing on a Monday and sends on Sunday (tenant-local),
    to each recipient, as an XLSX."""
    stub, sm, fake, scheduler = env
    tenant, meta, report_id = await _tenant_with_report(sm, stub)
    await stub.CreateReportSchedule(
        pb.CreateReportScheduleRequest(
            kind="report",
            target_id=report_id,
            format="xlsx",
            cadence="weekly",
            recipients=["a@example.com", "b@example.com"],
        ),
        metadata=meta,
        timeout=30,
    )
    await scheduler.tick(MONDAY + dt.timedelta(hours=5))
    assert _sent_to(fake, tenant) == []
    await scheduler.tick(SUNDAY)
    sent = _sent_to(fake, tenant)
    assert sorted(r.to_address for r in sent) == ["a@example.com", "b@example.com"]
    assert all(r.attachments[0].filename.endswith(".xlsx") for r in sent)
    assert sent[0].subject == "לידים לפי מקור"  # defaults to the report's name


async def test_r7_bad_recipients_are_rejected_naming_the_entry(env):
    """R7: a bad recipient is InvalidArgument naming recipients[1]; nothing is created."""
    stub, sm, _, _ = env
    tenant, meta, report_id = await _tenant_with_report(sm, stub)
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.CreateReportSchedule(
            pb.CreateReportScheduleRequest(
                kind="report",
                target_id=report_id,
                format="pdf",
                cadence="monthly",
                recipients=["ok@example.com", "not-an-email"],
            ),
            metadata=meta,
            timeout=30,
        )
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    err = from_rpc_error(exc.value)
    assert [v.field for v in err.violations] == ["recipients[1]"]
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.CreateReportSchedule(
            pb.CreateReportScheduleRequest(
                kind="report",
                target_id=report_id,
                format="pdf",
                cadence="hourly",
                recipients=[f"u{i}@example.com" for i in range(21)],
            ),
            metadata=meta,
            timeout=30,
        )
    fields = {v.field for v in from_rpc_error(exc.value).violations}
    assert fields == {"cadence", "recipients"}
    async with unit_of_work(sm, tenant_id=tenant) as s:
        assert (await s.execute(select(ReportSchedule))).first() is None


async def test_r7_schedule_of_a_deleted_report_is_deactivated_and_deletable(env):
    """R7: when the target is gone the job deactivates the schedule instead of failing;
    DeleteReportSchedule removes it."""
    stub, sm, fake, scheduler = env
    tenant, meta, report_id = await _tenant_with_report(sm, stub)
    sched = (
        await stub.CreateReportSchedule(
            pb.CreateReportScheduleRequest(
                kind="report",
                target_id=report_id,
                format="csv",
                cadence="monthly",
                recipients=["x@example.com"],
            ),
            metadata=meta,
            timeout=30,
        )
    ).schedule
    await stub.DeleteReportDefinition(
        pb.DeleteReportDefinitionRequest(report_id=report_id), metadata=meta, timeout=30
    )
    await scheduler.tick(dt.datetime(2026, 12, 1, 9, tzinfo=UTC))
    assert _sent_to(fake, tenant) == []
    listed = (
        await stub.ListReportSchedules(pb.ListReportSchedulesRequest(), metadata=meta, timeout=30)
    ).schedules
    assert [(s.id, s.active) for s in listed] == [(sched.id, False)]
    await stub.DeleteReportSchedule(
        pb.DeleteReportScheduleRequest(schedule_id=sched.id), metadata=meta, timeout=30
    )
    listed = (
        await stub.ListReportSchedules(pb.ListReportSchedulesRequest(), metadata=meta, timeout=30)
    ).schedules
    assert list(listed) == []


async def test_r7_monthly_dashboard_schedule_sends_its_pdf_on_the_first(env):
    """R7: a monthly dashboard schedule sends the dashboard's PDF (every item's chart and
    table) on the 1st, tenant-local, and nothing on the 2nd; a dashboard is not sent as CSV."""
    stub, sm, fake, scheduler = env
    tenant, meta, report_id = await _tenant_with_report(sm, stub)
    board = (
        await stub.CreateDashboard(
            pb.CreateDashboardRequest(
                name="לוח חודשי",
                items=[pb.DashboardItem(report_id=report_id, chart=pb.CHART_KIND_PIE, w=6, h=4)],
            ),
            metadata=meta,
            timeout=30,
        )
    ).dashboard
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.CreateReportSchedule(
            pb.CreateReportScheduleRequest(
                kind="dashboard",
                target_id=board.id,
                format="csv",
                cadence="monthly",
                recipients=["m@example.com"],
            ),
            metadata=meta,
            timeout=30,
        )
    assert [v.field for v in from_rpc_error(exc.value).violations] == ["format"]
    await stub.CreateReportSchedule(
        pb.CreateReportScheduleRequest(
            kind="dashboard",
            target_id=board.id,
            format="pdf",
            cadence="monthly",
            recipients=["m@example.com"],
        ),
        metadata=meta,
        timeout=30,
    )
    # 30 Nov 22:30 UTC is already 1 Dec 00:30 in Jerusalem (UTC+2): the 1st there.
    await scheduler.tick(dt.datetime(2026, 11, 30, 22, 30, tzinfo=UTC))
    (req,) = _sent_to(fake, tenant)
    assert req.idempotency_key.split(":")[2] == "2026-12-01"
    att = req.attachments[0]
    assert att.filename == "לוח-חודשי.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(att.content)).pages)
    assert "לוח חודשי" in text and "לידים לפי מקור" in text
    await scheduler.tick(dt.datetime(2026, 12, 2, 9, tzinfo=UTC))
    assert len(_sent_to(fake, tenant)) == 1
