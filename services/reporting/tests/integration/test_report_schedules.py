"""R7 scheduled e-mailed reports: schedules over gRPC on a real PostgreSQL, sent by the
hourly job through a tiny in-test messaging gRPC server that records SendMessage calls
(the e-mail itself is messaging's concern, tested there)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

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
from crm_common.db import unit_of_work
from crm_common.grpc.errors import from_rpc_error
from crm_common.plumbing import tenant_directory_table
from crm_common.scheduler import Scheduler
from crm_devstack.testing import migrated_database, serve_in_process
from crm_reporting.builder.api import SERVICE_NAME, register
from crm_reporting.facts.models import LeadFact
from crm_reporting.jobs import report_schedules_job
from crm_reporting.schedules.messaging import MessagingSender
from crm_reporting.schedules.models import ReportSchedule
from crm_reporting.settings import ReportingSettings

MIGRATIONS = Path(crm_reporting.__file__).parent / "migrations"
UTC = dt.UTC
IL = ZoneInfo("Asia/Jerusalem")
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
    fake = RecordingMessaging()
    msg_server = grpc.aio.server()
    msg_grpc.add_MessagingServiceServicer_to_server(fake, msg_server)
    msg_port = msg_server.add_insecure_port("127.0.0.1:0")
    await msg_server.start()
    async with serve_in_process(
        ReportingSettings, register, [SERVICE_NAME], url=url, pool_size=3
    ) as srv:
        sessionmaker = srv.sessionmaker
        sender = MessagingSender(f"127.0.0.1:{msg_port}", deadline_s=10)
        scheduler = Scheduler(sessionmaker=sessionmaker, jobs=[report_schedules_job(sender)])
        yield pb_grpc.ReportBuilderServiceStub(srv.channel), sessionmaker, fake, scheduler
        await sender.close()
    await msg_server.stop(None)


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
            send_hour=0,  # at local midnight
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


def _create(stub, meta, report_id, **kw):
    args = {
        "kind": "report",
        "target_id": report_id,
        "format": "csv",
        "cadence": "daily",
        "recipients": ["t@example.com"],
        **kw,
    }
    return stub.CreateReportSchedule(
        pb.CreateReportScheduleRequest(**args), metadata=meta, timeout=30
    )


async def _violations(call) -> set[str]:
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await call
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    return {v.field for v in from_rpc_error(exc.value).violations}


async def test_r7_send_time_fields_are_validated_naming_the_field(env):
    """R7 send time: send_hour 0-23, weekday a day name (weekly only), day_of_month 1-28
    (monthly only); each bad one is named, and nothing is created."""
    stub, sm, _, _ = env
    tenant, meta, report_id = await _tenant_with_report(sm, stub)
    assert await _violations(_create(stub, meta, report_id, send_hour=24)) == {"send_hour"}
    assert await _violations(_create(stub, meta, report_id, send_hour=-1)) == {"send_hour"}
    bad_weekday = _create(stub, meta, report_id, cadence="weekly", weekday="funday")
    assert await _violations(bad_weekday) == {"weekday"}
    bad_day = _create(stub, meta, report_id, cadence="monthly", day_of_month=29)
    assert await _violations(bad_day) == {"day_of_month"}
    not_weekly = _create(stub, meta, report_id, weekday="monday", day_of_month=3)
    assert await _violations(not_weekly) == {"weekday", "day_of_month"}
    async with unit_of_work(sm, tenant_id=tenant) as s:
        assert (await s.execute(select(ReportSchedule))).first() is None


async def test_r7_weekly_schedule_goes_out_on_its_weekday_at_its_local_hour(env):
    """R7 send time: weekly on Tuesday at 09:00 Jerusalem: nothing on Monday, nothing on
    Tuesday 08:00 local (06:00Z), sent by the 07:00Z tick, once; next_send_at shows a
    Tuesday 09:00 local."""
    stub, sm, fake, scheduler = env
    tenant, meta, report_id = await _tenant_with_report(sm, stub)
    created = (
        await _create(stub, meta, report_id, cadence="weekly", weekday="Tuesday", send_hour=9)
    ).schedule
    assert (created.weekday, created.send_hour, created.day_of_month) == ("tuesday", 9, 0)
    upcoming = created.next_send_at.ToDatetime(tzinfo=UTC).astimezone(IL)
    assert (upcoming.weekday(), upcoming.hour, upcoming.minute) == (1, 9, 0)
    await scheduler.tick(MONDAY)
    await scheduler.tick(dt.datetime(2026, 12, 1, 6, tzinfo=UTC))
    assert _sent_to(fake, tenant) == []
    await scheduler.tick(dt.datetime(2026, 12, 1, 7, tzinfo=UTC))
    await scheduler.tick(dt.datetime(2026, 12, 1, 8, tzinfo=UTC))
    (req,) = _sent_to(fake, tenant)
    assert req.idempotency_key == f"report-schedule:{created.id}:2026-12-01:t@example.com"


async def test_r7_dst_days_in_jerusalem_neither_skip_nor_double_a_send(env):
    """R7 send time through the job: hourly ticks over the 2026 DST days. A 02:00 daily
    schedule sends on 27 Mar at the 00:00Z tick (03:00 IDT; 02:00 never happens); a 01:00
    one sends on 25 Oct at 22:00Z on the 24th (the first 01:00), not again at 23:00Z
    (the second 01:00). Every local day exactly once."""
    stub, sm, fake, scheduler = env
    tenant, meta, report_id = await _tenant_with_report(sm, stub)
    two = (await _create(stub, meta, report_id, send_hour=2)).schedule
    one = (await _create(stub, meta, report_id, send_hour=1)).schedule
    first_tick: dict[tuple[str, str], dt.datetime] = {}
    for start, hours in (
        (dt.datetime(2026, 3, 26, 19, tzinfo=UTC), 10),
        (dt.datetime(2026, 10, 24, 19, tzinfo=UTC), 8),
    ):
        for h in range(hours):
            now = start + dt.timedelta(hours=h)
            await scheduler.tick(now)
            for r in _sent_to(fake, tenant):
                _, sid, day, _ = r.idempotency_key.split(":")
                first_tick.setdefault((sid, day), now)
    keys = [r.idempotency_key for r in _sent_to(fake, tenant)]
    assert len(keys) == len(set(keys))  # nothing sent twice
    at = dt.datetime
    assert first_tick == {
        # spring: 19:00Z 26 Mar = 21:00 IST, already past 01:00 and 02:00 of the 26th
        (one.id, "2026-03-26"): at(2026, 3, 26, 19, tzinfo=UTC),
        (two.id, "2026-03-26"): at(2026, 3, 26, 19, tzinfo=UTC),
        (one.id, "2026-03-27"): at(2026, 3, 26, 23, tzinfo=UTC),  # 01:00 IST
        (two.id, "2026-03-27"): at(2026, 3, 27, 0, tzinfo=UTC),  # 03:00 IDT
        # autumn: 19:00Z 24 Oct = 22:00 IDT
        (one.id, "2026-10-24"): at(2026, 10, 24, 19, tzinfo=UTC),
        (two.id, "2026-10-24"): at(2026, 10, 24, 19, tzinfo=UTC),
        (one.id, "2026-10-25"): at(2026, 10, 24, 22, tzinfo=UTC),  # the first 01:00 (IDT)
        (two.id, "2026-10-25"): at(2026, 10, 25, 0, tzinfo=UTC),  # 02:00 IST
    }
    for sid in (one.id, two.id):  # pause them: later ticks of this module send nothing
        await stub.UpdateReportSchedule(
            pb.UpdateReportScheduleRequest(schedule_id=sid, active=False),
            metadata=meta,
            timeout=30,
        )


async def test_r7_update_schedule_changes_only_the_given_fields(env):
    """R7 UpdateReportSchedule: send hour and recipients change, the rest stays; a bad
    change names its field and changes nothing; another (non-admin) user gets NotFound;
    pausing clears next_send_at and the job sends nothing."""
    stub, sm, fake, scheduler = env
    tenant, meta, report_id = await _tenant_with_report(sm, stub)
    created = (
        await _create(stub, meta, report_id, cadence="monthly", day_of_month=2, subject="חודשי")
    ).schedule
    changed = (
        await stub.UpdateReportSchedule(
            pb.UpdateReportScheduleRequest(
                schedule_id=created.id,
                send_hour=18,
                recipients=pb.RecipientList(addresses=["A@Example.com", "b@example.com"]),
            ),
            metadata=meta,
            timeout=30,
        )
    ).schedule
    assert (changed.send_hour, list(changed.recipients)) == (18, ["a@example.com", "b@example.com"])
    assert (changed.cadence, changed.day_of_month, changed.subject) == ("monthly", 2, "חודשי")
    for bad, field in (
        (pb.UpdateReportScheduleRequest(schedule_id=created.id, weekday="monday"), "weekday"),
        (pb.UpdateReportScheduleRequest(schedule_id=created.id, send_hour=99), "send_hour"),
        (
            pb.UpdateReportScheduleRequest(
                schedule_id=created.id, recipients=pb.RecipientList(addresses=[])
            ),
            "recipients",
        ),
    ):
        assert await _violations(stub.UpdateReportSchedule(bad, metadata=meta, timeout=30)) == {
            field
        }
    stranger = (
        ("x-tenant-id", str(tenant)),
        ("x-user-id", str(uuid.uuid4())),
        ("x-roles", "sales_manager"),
    )
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.UpdateReportSchedule(
            pb.UpdateReportScheduleRequest(schedule_id=created.id, active=False),
            metadata=stranger,
            timeout=30,
        )
    assert exc.value.code() == grpc.StatusCode.NOT_FOUND
    paused = (
        await stub.UpdateReportSchedule(
            pb.UpdateReportScheduleRequest(schedule_id=created.id, active=False),
            metadata=meta,
            timeout=30,
        )
    ).schedule
    assert not paused.active and not paused.HasField("next_send_at")
    assert paused.send_hour == 18 and len(paused.recipients) == 2
    await scheduler.tick(dt.datetime(2026, 12, 2, 17, tzinfo=UTC))  # 19:00 on the 2nd
    assert _sent_to(fake, tenant) == []
