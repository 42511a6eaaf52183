"""R7 report schedules: create/list/update/delete, and the per-tenant send of the due ones.

A schedule is due on a tenant-local date when its cadence says so (daily: every day;
weekly: its ``weekday``, default Sunday, the first working day in Israel; monthly: its
``day_of_month``, 1-28, default the 1st) and ``last_sent_on`` is not that date; it goes
out on the first hourly tick at or after its ``send_hour`` (tenant-local, default 07:00)
that day. The send time is compared as an instant (``send_at``), so the days the clocks
move in Asia/Jerusalem neither skip nor double a send: on the spring day 02:00-02:59 does
not exist and a 02:00 schedule is due at 03:00 local (the same instant); on the autumn
day 01:00-01:59 happens twice and a 01:00 schedule is due at the first one, and
``last_sent_on`` keeps the second from sending again.

The send renders the same file as the export RPCs (a PDF draws the
report's bar chart above the table; a dashboard PDF has every item's chart), calls
messaging's SendMessage (one message per recipient, key
``report-schedule:<id>:<date>:<address>``) and sets
``last_sent_on`` in the same transaction: a crash after the call but before the commit
sends again on the next tick with the same key, and messaging answers it as a replay.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import NotFound, PermissionDenied, Validator
from crm_common.normalize import normalize_email
from crm_reporting.builder import paging
from crm_reporting.builder import service as reports
from crm_reporting.builder.compiler import Scope
from crm_reporting.builder.service import Viewer
from crm_reporting.dashboards import service as boards
from crm_reporting.dashboards.export import dashboard_pdf, dashboard_xlsx
from crm_reporting.exports import pdf_file, xlsx_file
from crm_reporting.exports.files import ExportFile, export_file
from crm_reporting.exports.formatting import safe_filename
from crm_reporting.schedules.models import ReportSchedule

KINDS = ("report", "dashboard")
FORMATS = ("pdf", "xlsx", "csv")
CADENCES = ("daily", "weekly", "monthly")
MAX_RECIPIENTS = 20
SUNDAY = 6  # date.weekday()
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_SEND_HOUR = 7
MAX_DAY_OF_MONTH = 28  # every month has it
LOOKAHEAD_DAYS = 62  # next_send_at looks this far (a monthly schedule is due within 31 days)


def is_due(row: ReportSchedule, day: dt.date) -> bool:
    """Whether ``row``'s cadence sends on the tenant-local ``day``."""
    if row.cadence == "weekly":
        return day.weekday() == row.weekday
    if row.cadence == "monthly":
        return day.day == row.day_of_month
    return row.cadence == "daily"


def send_at(row: ReportSchedule, day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """The instant (UTC) of ``row``'s send on the local ``day``: ``send_hour`` local time.

    A wall time the clocks skip (02:00 on the spring day in Jerusalem) is taken with the
    offset before the change (fold=0), i.e. the instant the clocks jump over it: 03:00
    local. A wall time that happens twice (01:00 on the autumn day) is its first occurrence.
    """
    local = dt.datetime.combine(day, dt.time(row.send_hour), tzinfo=zone)
    return local.astimezone(dt.UTC)


def should_send(row: ReportSchedule, now: dt.datetime, zone: ZoneInfo) -> bool:
    """Whether a tick at ``now`` sends ``row``: active, due on the local date, its send
    time come, and not yet sent that local date."""
    today = now.astimezone(zone).date()
    return (
        row.active
        and (row.last_sent_on is None or row.last_sent_on < today)
        and is_due(row, today)
        and now >= send_at(row, today, zone)
    )


def next_send_at(row: ReportSchedule, now: dt.datetime, zone: ZoneInfo) -> dt.datetime | None:
    """When the job will next send ``row``: its send time on the first due local day not yet
    sent (today's, even when already past, until the next tick sends it); None when inactive."""
    if not row.active:
        return None
    day = now.astimezone(zone).date()
    for _ in range(LOOKAHEAD_DAYS):
        if (row.last_sent_on is None or row.last_sent_on < day) and is_due(row, day):
            return send_at(row, day, zone)
        day += dt.timedelta(days=1)
    return None


def _check_timing(
    v: Validator,
    *,
    send_hour: int | None,
    weekday: str | None,
    day_of_month: int | None,
) -> tuple[int | None, int | None, int | None]:
    """Validate the send-time fields given (None: not given) into the stored values."""
    hour = wd = dom = None
    if send_hour is not None:
        if not 0 <= send_hour <= 23:
            v.add("send_hour", "must be an hour 0-23 (tenant-local)")
        else:
            hour = send_hour
    if weekday is not None:
        name = weekday.strip().lower()
        if name not in WEEKDAYS:
            v.add("weekday", f"must be one of: {', '.join(WEEKDAYS)}")
        else:
            wd = WEEKDAYS.index(name)
    if day_of_month is not None:
        if not 1 <= day_of_month <= MAX_DAY_OF_MONTH:
            v.add("day_of_month", f"must be 1-{MAX_DAY_OF_MONTH} (every month has it)")
        else:
            dom = day_of_month
    return hour, wd, dom


def _check_recipients(v: Validator, recipients: list[str]) -> list[str]:
    emails: list[str] = []
    if not recipients:
        v.add("recipients", "at least one recipient is required")
    elif len(recipients) > MAX_RECIPIENTS:
        v.add("recipients", f"at most {MAX_RECIPIENTS} recipients")
    for i, raw in enumerate(recipients[:MAX_RECIPIENTS]):
        try:
            email = normalize_email(raw)
        except ValueError:
            v.add(f"recipients[{i}]", "not a valid email address")
            continue
        if email not in emails:
            emails.append(email)
    return emails


async def create_schedule(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    viewer: Viewer,
    kind: str,
    target_id: str,
    fmt: str,
    cadence: str,
    recipients: list[str],
    subject: str,
    send_hour: int | None = None,
    weekday: str = "",
    day_of_month: int = 0,
) -> ReportSchedule:
    """A new schedule; ``weekday`` only for weekly and ``day_of_month`` only for monthly
    ones (empty/0: the default Sunday / the 1st); ``send_hour`` None: 07:00."""
    v = Validator()
    if kind not in KINDS:
        v.add("kind", f"must be one of: {', '.join(KINDS)}")
    try:
        target = uuid.UUID(target_id)
    except ValueError:
        target = None
        v.add("target_id", "must be a UUID")
    if fmt not in FORMATS:
        v.add("format", f"must be one of: {', '.join(FORMATS)}")
    elif kind == "dashboard" and fmt == "csv":
        v.add("format", "a dashboard is sent as pdf or xlsx")
    if cadence not in CADENCES:
        v.add("cadence", f"must be one of: {', '.join(CADENCES)}")
    if weekday and cadence != "weekly":
        v.add("weekday", "only a weekly schedule has a weekday")
    if day_of_month and cadence != "monthly":
        v.add("day_of_month", "only a monthly schedule has a day of the month")
    hour, wd, dom = _check_timing(
        v, send_hour=send_hour, weekday=weekday or None, day_of_month=day_of_month or None
    )
    emails = _check_recipients(v, recipients)
    subject = subject.strip()
    if len(subject) > 200:
        v.add("subject", "must be at most 200 characters")
    v.raise_if_any("the report schedule is not valid")
    assert target is not None
    # The creator must see the target now (NotFound otherwise, as for the export itself).
    if kind == "report":
        found = await reports.get_report(
            session=session, tenant_id=tenant_id, viewer=viewer, report_id=target
        )
        title = found.name
    else:
        board, _ = await boards.get_dashboard(
            session=session, tenant_id=tenant_id, viewer=viewer, dashboard_id=target
        )
        title = board.name
    row = ReportSchedule(
        tenant_id=tenant_id,
        kind=kind,
        target_id=target,
        format=fmt,
        cadence=cadence,
        recipients=emails,
        subject=subject or title,
        created_by=viewer.user_id,
        send_hour=DEFAULT_SEND_HOUR if hour is None else hour,
        weekday=SUNDAY if wd is None else wd,
        day_of_month=1 if dom is None else dom,
    )
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def list_schedules(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    viewer: Viewer,
    page_size: int = 0,
    page_token: str = "",
) -> tuple[list[ReportSchedule], str]:
    """One page (newest first) of the schedules: an admin's all, others' their own."""
    page = paging.page_request(page_size, page_token)
    stmt = sa.select(ReportSchedule).where(ReportSchedule.tenant_id == tenant_id)
    if not viewer.is_admin:
        stmt = stmt.where(ReportSchedule.created_by == viewer.user_id)
    rows = list((await session.execute(paging.keyset(stmt, ReportSchedule.id, page))).scalars())
    return paging.cut(rows, page)


@dataclass(frozen=True, slots=True)
class ScheduleChanges:
    """The fields of an update; None: unchanged."""

    active: bool | None = None
    send_hour: int | None = None
    weekday: str | None = None
    day_of_month: int | None = None
    cadence: str | None = None
    format: str | None = None
    subject: str | None = None
    recipients: list[str] | None = None


async def update_schedule(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    viewer: Viewer,
    schedule_id: uuid.UUID,
    changes: ScheduleChanges,
) -> ReportSchedule:
    """Change the given fields of a schedule (its creator or an admin). All is validated
    before anything changes; a weekday/day_of_month must fit the (new) cadence."""
    row = await session.get(ReportSchedule, (tenant_id, schedule_id), with_for_update=True)
    if row is None or not (viewer.is_admin or row.created_by == viewer.user_id):
        raise NotFound(f"report schedule {schedule_id} not found")
    if not viewer.may_change(row.created_by):
        raise PermissionDenied("only the schedule's creator or an admin changes it")
    v = Validator()
    cadence = row.cadence if changes.cadence is None else changes.cadence
    if cadence not in CADENCES:
        v.add("cadence", f"must be one of: {', '.join(CADENCES)}")
    fmt = row.format if changes.format is None else changes.format
    if fmt not in FORMATS:
        v.add("format", f"must be one of: {', '.join(FORMATS)}")
    elif row.kind == "dashboard" and fmt == "csv":
        v.add("format", "a dashboard is sent as pdf or xlsx")
    if changes.weekday is not None and cadence != "weekly":
        v.add("weekday", "only a weekly schedule has a weekday")
    if changes.day_of_month is not None and cadence != "monthly":
        v.add("day_of_month", "only a monthly schedule has a day of the month")
    hour, wd, dom = _check_timing(
        v,
        send_hour=changes.send_hour,
        weekday=changes.weekday,
        day_of_month=changes.day_of_month,
    )
    emails = None if changes.recipients is None else _check_recipients(v, changes.recipients)
    subject = None if changes.subject is None else changes.subject.strip()
    if subject is not None and not 1 <= len(subject) <= 200:
        v.add("subject", "must be 1 to 200 characters")
    v.raise_if_any("the report schedule change is not valid")
    row.cadence, row.format = cadence, fmt
    if changes.active is not None:
        row.active = changes.active
    if hour is not None:
        row.send_hour = hour
    if wd is not None:
        row.weekday = wd
    if dom is not None:
        row.day_of_month = dom
    if emails is not None:
        row.recipients = emails
    if subject is not None:
        row.subject = subject
    await session.flush()
    return row


async def delete_schedule(
    *, session: AsyncSession, tenant_id: uuid.UUID, viewer: Viewer, schedule_id: uuid.UUID
) -> None:
    row = await session.get(ReportSchedule, (tenant_id, schedule_id))
    if row is None or not (viewer.is_admin or row.created_by == viewer.user_id):
        raise NotFound(f"report schedule {schedule_id} not found")
    if not viewer.may_change(row.created_by):
        raise PermissionDenied("only the schedule's creator or an admin deletes it")
    await session.delete(row)
    await session.flush()


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One e-mail for messaging: the file and where it goes."""

    idempotency_key: str
    to_address: str
    subject: str
    text: str
    file: ExportFile


# Sends one e-mail through messaging; raises on failure.
Sender = Callable[[uuid.UUID, Outgoing], Awaitable[None]]


def _runner(row: ReportSchedule) -> Viewer:
    """The job renders as the schedule's creator, with the records of the whole tenant:
    the creator could see the target when the schedule was made."""
    return Viewer(
        user_id=row.created_by,
        roles=(),
        scope=Scope(record_scope="all", user_id=row.created_by, team_member_ids=()),
    )


async def render(session: AsyncSession, tenant_id: uuid.UUID, row: ReportSchedule) -> ExportFile:
    viewer = _runner(row)
    if row.kind == "dashboard":
        run = await boards.run_dashboard(
            session=session, tenant_id=tenant_id, viewer=viewer, dashboard_id=row.target_id
        )
        if row.format == "xlsx":
            content, ctype, ext = dashboard_xlsx(run), xlsx_file.CONTENT_TYPE, "xlsx"
        else:
            content, ctype, ext = dashboard_pdf(run), pdf_file.CONTENT_TYPE, "pdf"
        return ExportFile(content, ctype, safe_filename(run.dashboard.name, ext))
    result = await reports.run_saved(
        session=session, tenant_id=tenant_id, viewer=viewer, report_id=row.target_id
    )
    return export_file(result, row.format, chart="bar" if row.format == "pdf" else None)


async def send_due(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    now: dt.datetime,
    zone: ZoneInfo,
    send: Sender,
) -> dict[str, int]:
    """Send every active schedule of the tenant due on its local date at ``now``, whose
    send time has come and not yet sent that day; a schedule whose target is gone is
    deactivated instead."""
    today = now.astimezone(zone).date()
    rows = (
        await session.execute(
            sa.select(ReportSchedule)
            .where(
                ReportSchedule.tenant_id == tenant_id,
                ReportSchedule.active.is_(True),
                sa.or_(ReportSchedule.last_sent_on.is_(None), ReportSchedule.last_sent_on < today),
            )
            .order_by(ReportSchedule.id)
            .with_for_update(skip_locked=True)
        )
    ).scalars()
    sent = dropped = 0
    for row in rows:
        if not should_send(row, now, zone):
            continue
        try:
            async with session.begin_nested():
                file = await render(session, tenant_id, row)
        except NotFound:
            row.active = False  # the report or dashboard was deleted
            dropped += 1
            continue
        key = f"report-schedule:{row.id}:{today.isoformat()}"
        for address in row.recipients:
            # SendMessage takes one address: one message per recipient, each its own key.
            await send(
                tenant_id,
                Outgoing(
                    idempotency_key=f"{key}:{address}",
                    to_address=address,
                    subject=row.subject,
                    text=f"{row.subject}\n{today.isoformat()}: מצורף הקובץ {file.filename}",
                    file=file,
                ),
            )
        row.last_sent_on = today
        sent += 1
    await session.flush()
    return {"sent": sent, "deactivated": dropped}
