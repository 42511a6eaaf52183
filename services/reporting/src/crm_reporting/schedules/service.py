"""R7 report schedules: create/list/delete, and the per-tenant send of the due ones.

A schedule is due on a tenant-local date when its cadence says so (daily: every day;
weekly: Sundays, the first working day in Israel; monthly: the 1st) and ``last_sent_on``
is not that date. The send renders the same file as the export RPCs (a PDF draws the
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

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import NotFound, PermissionDenied, Validator
from crm_common.normalize import normalize_email
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


def is_due(cadence: str, day: dt.date) -> bool:
    if cadence == "weekly":
        return day.weekday() == SUNDAY
    if cadence == "monthly":
        return day.day == 1
    return cadence == "daily"


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
) -> ReportSchedule:
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
    )
    session.add(row)
    await session.flush()
    await session.refresh(row)
    return row


async def list_schedules(
    *, session: AsyncSession, tenant_id: uuid.UUID, viewer: Viewer
) -> list[ReportSchedule]:
    stmt = sa.select(ReportSchedule).where(ReportSchedule.tenant_id == tenant_id)
    if not viewer.is_admin:
        stmt = stmt.where(ReportSchedule.created_by == viewer.user_id)
    stmt = stmt.order_by(ReportSchedule.id).limit(1000)
    return list((await session.execute(stmt)).scalars())


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
    today: dt.date,
    send: Sender,
) -> dict[str, int]:
    """Send every active schedule of the tenant due on ``today`` (tenant-local) and not yet
    sent that day; a schedule whose target is gone is deactivated instead."""
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
        if not is_due(row.cadence, today):
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
