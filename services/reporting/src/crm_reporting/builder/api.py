"""gRPC ReportBuilderService: proto in, use case, proto out (no queries, no commits here)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import grpc
from google.protobuf import json_format, struct_pb2

from crm.reporting.v1 import builder_service_pb2 as pb
from crm.reporting.v1 import builder_service_pb2_grpc as pb_grpc
from crm_common.context import current_context
from crm_common.db import current_session
from crm_common.errors import FieldViolation, InvalidArgument
from crm_common.protoutil import parse_uuid, timestamp
from crm_common.tenants import zone_or_default
from crm_reporting.builder import service
from crm_reporting.builder.models import SavedReport
from crm_reporting.builder.service import Viewer
from crm_reporting.dashboards import service as boards
from crm_reporting.dashboards.export import dashboard_pdf, dashboard_xlsx
from crm_reporting.dashboards.models import Dashboard, DashboardItem
from crm_reporting.exports import pdf_file, xlsx_file
from crm_reporting.exports.files import export_file
from crm_reporting.exports.formatting import safe_filename
from crm_reporting.exports.result import ReportResult, to_json_value
from crm_reporting.schedules import service as schedules
from crm_reporting.schedules.models import ReportSchedule

CHART_NAMES = {
    pb.CHART_KIND_BAR: "bar",
    pb.CHART_KIND_LINE: "line",
    pb.CHART_KIND_PIE: "pie",
    pb.CHART_KIND_NUMBER: "number",
    pb.CHART_KIND_TABLE: "table",
}
CHART_KINDS = {v: k for k, v in CHART_NAMES.items()}


def result_to_pb(result: ReportResult) -> pb.ReportResult:
    out = pb.ReportResult(
        title=result.title, time_zone=result.time_zone, truncated=result.truncated
    )
    for c in result.columns:
        out.columns.add(
            key=c.key, label=c.label, kind=c.kind, dimension=c.dimension, unit=c.unit or ""
        )
    for row in result.rows:
        lv = out.rows.add()
        lv.extend([to_json_value(c.kind, v) for c, v in zip(result.columns, row, strict=True)])
    return out


def _struct(value: dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(value)
    return s


def _definition(msg: struct_pb2.Struct, present: bool) -> dict[str, Any]:
    if not present:
        raise InvalidArgument(
            "a report definition is required",
            violations=[FieldViolation("definition", "is required")],
        )
    return json_format.MessageToDict(msg)


def report_to_pb(r: SavedReport) -> pb.ReportDefinition:
    return pb.ReportDefinition(
        id=str(r.id),
        name=r.name,
        description=r.description or "",
        definition=_struct(r.definition),
        owner_id=str(r.owner_id) if r.owner_id else "",
        shared_roles=list(r.shared_roles),
        created_at=timestamp(r.created_at),
        updated_at=timestamp(r.updated_at),
    )


def item_to_pb(i: DashboardItem) -> pb.DashboardItem:
    return pb.DashboardItem(
        id=str(i.id),
        report_id=str(i.report_id),
        title=i.title or "",
        chart=CHART_KINDS[i.chart],
        x=i.x,
        y=i.y,
        w=i.w,
        h=i.h,
    )


def dashboard_to_pb(d: Dashboard, items: list[DashboardItem]) -> pb.Dashboard:
    return pb.Dashboard(
        id=str(d.id),
        name=d.name,
        owner_id=str(d.owner_id) if d.owner_id else "",
        shared_roles=list(d.shared_roles),
        items=[item_to_pb(i) for i in items],
        created_at=timestamp(d.created_at),
        updated_at=timestamp(d.updated_at),
    )


def schedule_to_pb(r: ReportSchedule, zone: ZoneInfo, now: dt.datetime) -> pb.ReportSchedule:
    upcoming = schedules.next_send_at(r, now, zone)
    return pb.ReportSchedule(
        id=str(r.id),
        kind=r.kind,
        target_id=str(r.target_id),
        format=r.format,
        cadence=r.cadence,
        recipients=list(r.recipients),
        subject=r.subject,
        created_by=str(r.created_by) if r.created_by else "",
        last_sent_on=r.last_sent_on.isoformat() if r.last_sent_on else "",
        active=r.active,
        created_at=timestamp(r.created_at),
        send_hour=r.send_hour,
        weekday=schedules.WEEKDAYS[r.weekday] if r.cadence == "weekly" else "",
        day_of_month=r.day_of_month if r.cadence == "monthly" else 0,
        next_send_at=timestamp(upcoming) if upcoming else None,
    )


async def _zone(session, tenant: uuid.UUID) -> ZoneInfo:
    return zone_or_default(await service.tenant_time_zone(session, tenant))


def _items(items) -> list[boards.ItemInput]:
    return [
        boards.ItemInput(
            report_id=i.report_id,
            chart=CHART_NAMES.get(i.chart, ""),
            title=i.title or None,
            x=i.x,
            y=i.y,
            w=i.w or 6,
            h=i.h or 4,
        )
        for i in items
    ]


def _ctx() -> tuple[Any, uuid.UUID, Viewer]:
    ctx = current_context()
    return current_session(), ctx.tenant_id, Viewer.of(ctx)


class ReportBuilderServicer(pb_grpc.ReportBuilderServiceServicer):
    async def _run(self, request) -> ReportResult:
        session, tenant, viewer = _ctx()
        if request.WhichOneof("source") == "report_id":
            return await service.run_saved(
                session=session,
                tenant_id=tenant,
                viewer=viewer,
                report_id=parse_uuid(request.report_id, "report_id"),
            )
        raw = _definition(request.definition, request.HasField("definition"))
        return await service.run_definition(
            session=session, tenant_id=tenant, raw=raw, viewer=viewer
        )

    async def RunReport(self, request: pb.RunReportRequest, context) -> pb.RunReportResponse:
        return pb.RunReportResponse(result=result_to_pb(await self._run(request)))

    async def CreateReportDefinition(self, request, context):
        session, tenant, viewer = _ctx()
        report = await service.create_report(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            name=request.name,
            description=request.description or None,
            definition=_definition(request.definition, request.HasField("definition")),
            shared_roles=list(request.shared_roles),
        )
        return pb.CreateReportDefinitionResponse(report=report_to_pb(report))

    async def GetReportDefinition(self, request, context):
        session, tenant, viewer = _ctx()
        report = await service.get_report(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            report_id=parse_uuid(request.report_id, "report_id"),
        )
        return pb.GetReportDefinitionResponse(report=report_to_pb(report))

    async def ListReportDefinitions(self, request, context):
        session, tenant, viewer = _ctx()
        found, token = await service.list_reports(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListReportDefinitionsResponse(
            reports=[report_to_pb(r) for r in found], next_page_token=token
        )

    async def UpdateReportDefinition(self, request, context):
        session, tenant, viewer = _ctx()
        report = await service.update_report(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            report_id=parse_uuid(request.report_id, "report_id"),
            name=request.name,
            description=request.description,
            definition=_definition(request.definition, request.HasField("definition")),
            shared_roles=list(request.shared_roles),
        )
        return pb.UpdateReportDefinitionResponse(report=report_to_pb(report))

    async def DeleteReportDefinition(self, request, context):
        session, tenant, viewer = _ctx()
        await service.delete_report(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            report_id=parse_uuid(request.report_id, "report_id"),
        )
        return pb.DeleteReportDefinitionResponse()

    async def ExportReport(self, request: pb.ExportReportRequest, context):
        fmt = request.format
        if fmt == pb.EXPORT_FORMAT_UNSPECIFIED:
            raise InvalidArgument(
                "an export format is required",
                violations=[FieldViolation("format", "must be csv, xlsx or pdf")],
            )
        result = await self._run(request)
        fmt_name = {
            pb.EXPORT_FORMAT_CSV: "csv",
            pb.EXPORT_FORMAT_XLSX: "xlsx",
            pb.EXPORT_FORMAT_PDF: "pdf",
        }.get(fmt, "?")
        out = export_file(result, fmt_name, chart=CHART_NAMES.get(request.chart))
        return pb.ExportReportResponse(
            content=out.content, content_type=out.content_type, filename=out.filename
        )

    async def CreateDashboard(self, request, context):
        session, tenant, viewer = _ctx()
        board, items = await boards.create_dashboard(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            name=request.name,
            shared_roles=list(request.shared_roles),
            items=_items(request.items),
        )
        return pb.CreateDashboardResponse(dashboard=dashboard_to_pb(board, items))

    async def GetDashboard(self, request, context):
        session, tenant, viewer = _ctx()
        board, items = await boards.get_dashboard(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            dashboard_id=parse_uuid(request.dashboard_id, "dashboard_id"),
        )
        return pb.GetDashboardResponse(dashboard=dashboard_to_pb(board, items))

    async def ListDashboards(self, request, context):
        session, tenant, viewer = _ctx()
        found, token = await boards.list_dashboards(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListDashboardsResponse(
            dashboards=[dashboard_to_pb(b, i) for b, i in found], next_page_token=token
        )

    async def UpdateDashboard(self, request, context):
        session, tenant, viewer = _ctx()
        board, items = await boards.update_dashboard(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            dashboard_id=parse_uuid(request.dashboard_id, "dashboard_id"),
            name=request.name,
            shared_roles=list(request.shared_roles),
            items=_items(request.items),
        )
        return pb.UpdateDashboardResponse(dashboard=dashboard_to_pb(board, items))

    async def DeleteDashboard(self, request, context):
        session, tenant, viewer = _ctx()
        await boards.delete_dashboard(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            dashboard_id=parse_uuid(request.dashboard_id, "dashboard_id"),
        )
        return pb.DeleteDashboardResponse()

    async def _run_board(self, dashboard_id: str) -> boards.DashboardRun:
        session, tenant, viewer = _ctx()
        return await boards.run_dashboard(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            dashboard_id=parse_uuid(dashboard_id, "dashboard_id"),
        )

    async def RunDashboard(self, request, context):
        run = await self._run_board(request.dashboard_id)
        return pb.RunDashboardResponse(
            dashboard=dashboard_to_pb(run.dashboard, run.items),
            items=[
                pb.DashboardItemResult(
                    item=item_to_pb(r.item),
                    title=r.title,
                    result=result_to_pb(r.result) if r.result else None,
                    chart_svg=r.svg,
                    error=r.error,
                )
                for r in run.runs
            ],
        )

    async def ExportDashboard(self, request, context):
        if request.format not in (
            pb.EXPORT_FORMAT_PDF,
            pb.EXPORT_FORMAT_XLSX,
            pb.EXPORT_FORMAT_UNSPECIFIED,
        ):
            raise InvalidArgument(
                "dashboards export as PDF or XLSX",
                violations=[FieldViolation("format", "must be pdf or xlsx")],
            )
        run = await self._run_board(request.dashboard_id)
        if request.format == pb.EXPORT_FORMAT_XLSX:
            content, ctype, ext = dashboard_xlsx(run), xlsx_file.CONTENT_TYPE, "xlsx"
        else:
            content, ctype, ext = dashboard_pdf(run), pdf_file.CONTENT_TYPE, "pdf"
        return pb.ExportDashboardResponse(
            content=content,
            content_type=ctype,
            filename=safe_filename(run.dashboard.name, ext),
        )

    async def CreateReportSchedule(self, request, context):
        session, tenant, viewer = _ctx()
        row = await schedules.create_schedule(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            kind=request.kind,
            target_id=request.target_id,
            fmt=request.format,
            cadence=request.cadence,
            recipients=list(request.recipients),
            subject=request.subject,
            send_hour=request.send_hour if request.HasField("send_hour") else None,
            weekday=request.weekday,
            day_of_month=request.day_of_month,
        )
        zone, now = await _zone(session, tenant), dt.datetime.now(dt.UTC)
        return pb.CreateReportScheduleResponse(schedule=schedule_to_pb(row, zone, now))

    async def ListReportSchedules(self, request, context):
        session, tenant, viewer = _ctx()
        rows, token = await schedules.list_schedules(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            page_size=request.page_size,
            page_token=request.page_token,
        )
        zone, now = await _zone(session, tenant), dt.datetime.now(dt.UTC)
        return pb.ListReportSchedulesResponse(
            schedules=[schedule_to_pb(r, zone, now) for r in rows], next_page_token=token
        )

    async def UpdateReportSchedule(self, request, context):
        session, tenant, viewer = _ctx()

        def opt(name: str):
            return getattr(request, name) if request.HasField(name) else None

        row = await schedules.update_schedule(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            schedule_id=parse_uuid(request.schedule_id, "schedule_id"),
            changes=schedules.ScheduleChanges(
                active=opt("active"),
                send_hour=opt("send_hour"),
                weekday=opt("weekday"),
                day_of_month=opt("day_of_month"),
                cadence=opt("cadence"),
                format=opt("format"),
                subject=opt("subject"),
                recipients=(
                    list(request.recipients.addresses) if request.HasField("recipients") else None
                ),
            ),
        )
        zone, now = await _zone(session, tenant), dt.datetime.now(dt.UTC)
        return pb.UpdateReportScheduleResponse(schedule=schedule_to_pb(row, zone, now))

    async def DeleteReportSchedule(self, request, context):
        session, tenant, viewer = _ctx()
        await schedules.delete_schedule(
            session=session,
            tenant_id=tenant,
            viewer=viewer,
            schedule_id=parse_uuid(request.schedule_id, "schedule_id"),
        )
        return pb.DeleteReportScheduleResponse()


def register(server: grpc.aio.Server) -> None:
    pb_grpc.add_ReportBuilderServiceServicer_to_server(ReportBuilderServicer(), server)


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ReportBuilderService"].full_name
