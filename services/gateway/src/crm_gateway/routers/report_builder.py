"""R1 report builder and R7 exports and dashboards: /v1/report-definitions, /v1/dashboards.

A report definition is JSON (docs/reporting.md, "Builder and exports"); reporting
validates it and answers 422 with the path of every bad field. Results are
``{columns: [{key, label, kind, dimension}], rows: [[...]]}``: money in agorot, times
ISO 8601. Exports are files (CSV with a BOM, XLSX right to left, PDF in Hebrew).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query, Response
from google.protobuf import json_format, struct_pb2
from pydantic import BaseModel, Field

from crm.reporting.v1 import builder_service_pb2 as pb
from crm.reporting.v1 import builder_service_pb2_grpc as pb_grpc
from crm_gateway.access.routes import requires
from crm_gateway.backends import Call, Services
from crm_gateway.problems import ProblemException
from crm_gateway.routers.leads import ts

router = APIRouter(tags=["report builder"])

ChartName = Literal["bar", "line", "pie", "number", "table"]
FormatName = Literal["csv", "xlsx", "pdf"]
_CHART = {
    "bar": pb.CHART_KIND_BAR,
    "line": pb.CHART_KIND_LINE,
    "pie": pb.CHART_KIND_PIE,
    "number": pb.CHART_KIND_NUMBER,
    "table": pb.CHART_KIND_TABLE,
}
_CHART_NAME = {v: k for k, v in _CHART.items()}
_FORMAT = {
    "csv": pb.EXPORT_FORMAT_CSV,
    "xlsx": pb.EXPORT_FORMAT_XLSX,
    "pdf": pb.EXPORT_FORMAT_PDF,
}
# Exports render files (a PDF of 500 rows takes seconds): they get a longer deadline.
EXPORT_TIMEOUT_S = 60.0
_FILE = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            },
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "the file (Content-Disposition: attachment)",
    }
}
_BOARD_FILE = {
    200: {
        "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                "schema": {"type": "string", "format": "binary"}
            },
        },
        "description": "the PDF or workbook (Content-Disposition: attachment)",
    }
}


def _stub(services: Services) -> pb_grpc.ReportBuilderServiceStub:
    return services.stub("reporting", pb_grpc.ReportBuilderServiceStub)


def _struct(value: dict[str, Any]) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    try:
        s.update(value)
    except (ValueError, TypeError, OverflowError):  # e.g. an integer beyond a double
        raise ProblemException(
            422,
            "the report definition is not valid",
            kind="validation-error",
            errors=[{"field": "definition", "detail": "numbers must fit a double"}],
        ) from None
    return s


# --- bodies and answers -----------------------------------------------------------------


class DefinitionBody(BaseModel):
    definition: dict[str, Any] = Field(
        description="subject, fields | group_by + time_bucket + measures, filters, sort, limit",
        examples=[
            {
                "subject": "leads",
                "group_by": ["source"],
                "time_bucket": {"field": "captured_at", "unit": "month"},
                "measures": [{"op": "count"}],
            }
        ],
    )


class ReportIn(DefinitionBody):
    name: str
    description: str | None = None
    shared_roles: list[str] = Field(default_factory=list, description="role keys that see it")


class ReportOut(BaseModel):
    id: str
    name: str
    description: str | None
    definition: dict[str, Any]
    owner_id: str | None
    shared_roles: list[str]
    created_at: dt.datetime | None
    updated_at: dt.datetime | None


class ResultColumn(BaseModel):
    key: str
    label: str
    kind: str
    dimension: bool
    unit: str | None = Field(
        default=None, description="the period's bucket: day|week|month|quarter"
    )


class ResultOut(BaseModel):
    title: str
    columns: list[ResultColumn]
    rows: list[list[Any]]
    time_zone: str
    truncated: bool


class ItemIn(BaseModel):
    report_id: str
    chart: ChartName
    title: str | None = None
    x: int = Field(default=0, ge=0, le=11, description="first grid column (12 columns)")
    y: int = Field(default=0, ge=0, le=1000, description="first grid row")
    w: int = Field(default=6, ge=1, le=12, description="width in grid columns")
    h: int = Field(default=4, ge=1, le=24, description="height in grid rows")


class ItemOut(ItemIn):
    id: str


class DashboardIn(BaseModel):
    name: str
    shared_roles: list[str] = Field(default_factory=list)
    items: list[ItemIn] = Field(default_factory=list)


class DashboardOut(BaseModel):
    id: str
    name: str
    owner_id: str | None
    shared_roles: list[str]
    items: list[ItemOut]
    created_at: dt.datetime | None
    updated_at: dt.datetime | None


class ItemResultOut(BaseModel):
    item: ItemOut
    title: str
    result: ResultOut | None
    chart_svg: str | None
    error: str | None


class DashboardDataOut(BaseModel):
    dashboard: DashboardOut
    items: list[ItemResultOut]


def _result(r: pb.ReportResult) -> ResultOut:
    kinds = [c.kind for c in r.columns]
    rows = []
    for row in r.rows:
        cells = json_format.MessageToDict(row)
        rows.append(
            [
                int(v) if k in ("int", "money") and isinstance(v, float) else v
                for k, v in zip(kinds, cells, strict=True)
            ]
        )
    return ResultOut(
        title=r.title,
        columns=[
            ResultColumn(
                key=c.key, label=c.label, kind=c.kind, dimension=c.dimension, unit=c.unit or None
            )
            for c in r.columns
        ],
        rows=rows,
        time_zone=r.time_zone,
        truncated=r.truncated,
    )


class ReportPage(BaseModel):
    items: list[ReportOut]
    next_page_token: str | None


class DashboardPage(BaseModel):
    items: list[DashboardOut]
    next_page_token: str | None


PageSize = Annotated[int, Query(ge=1, le=200, description="items per page (newest first)")]
PageToken = Annotated[
    str | None, Query(max_length=500, description="next_page_token of the previous page")
]


def _report(r: pb.ReportDefinition) -> ReportOut:
    return ReportOut(
        id=r.id,
        name=r.name,
        description=r.description or None,
        definition=json_format.MessageToDict(r.definition),
        owner_id=r.owner_id or None,
        shared_roles=list(r.shared_roles),
        created_at=ts(r.created_at, r.HasField("created_at")),
        updated_at=ts(r.updated_at, r.HasField("updated_at")),
    )


def _item(i: pb.DashboardItem) -> ItemOut:
    return ItemOut(
        id=i.id,
        report_id=i.report_id,
        chart=_CHART_NAME.get(i.chart, "table"),
        title=i.title or None,
        x=i.x,
        y=i.y,
        w=i.w,
        h=i.h,
    )


def _dashboard(d: pb.Dashboard) -> DashboardOut:
    return DashboardOut(
        id=d.id,
        name=d.name,
        owner_id=d.owner_id or None,
        shared_roles=list(d.shared_roles),
        items=[_item(i) for i in d.items],
        created_at=ts(d.created_at, d.HasField("created_at")),
        updated_at=ts(d.updated_at, d.HasField("updated_at")),
    )


def _items_pb(items: list[ItemIn]) -> list[pb.DashboardItem]:
    return [
        pb.DashboardItem(
            report_id=i.report_id,
            chart=_CHART[i.chart],
            title=i.title or "",
            x=i.x,
            y=i.y,
            w=i.w,
            h=i.h,
        )
        for i in items
    ]


def _file(content: bytes, content_type: str, filename: str) -> Response:
    return Response(
        content=content,
        media_type=content_type,
        headers={
            "Content-Disposition": (
                f'attachment; filename="{filename.encode("ascii", "replace").decode()}"; '
                f"filename*=UTF-8''{quote(filename)}"
            )
        },
    )


# --- report definitions -----------------------------------------------------------------


@router.post(
    "/v1/report-definitions:run",
    response_model=ResultOut,
    summary="Run a report definition without saving it",
    openapi_extra=requires("reporting:read"),
)
async def run_definition(body: DefinitionBody, call: Call, services: Services) -> ResultOut:
    resp = await _stub(services).RunReport(
        pb.RunReportRequest(definition=_struct(body.definition)),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _result(resp.result)


@router.post(
    "/v1/report-definitions:export",
    response_class=Response,
    responses=_FILE,
    summary="Export a report definition as CSV, XLSX or PDF",
    openapi_extra=requires("reporting:export"),
)
async def export_definition(
    body: DefinitionBody,
    call: Call,
    services: Services,
    format: Annotated[FormatName, Query()] = "xlsx",
    chart: Annotated[ChartName | None, Query(description="PDF: chart above the table")] = None,
) -> Response:
    resp = await _stub(services).ExportReport(
        pb.ExportReportRequest(
            definition=_struct(body.definition),
            format=_FORMAT[format],
            chart=_CHART.get(chart or "", pb.CHART_KIND_UNSPECIFIED),
        ),
        metadata=call.metadata,
        timeout=max(call.timeout, EXPORT_TIMEOUT_S),
    )
    return _file(resp.content, resp.content_type, resp.filename)


@router.post(
    "/v1/report-definitions",
    status_code=201,
    response_model=ReportOut,
    summary="Save a report definition",
    openapi_extra=requires("reporting:create"),
)
async def create_report(body: ReportIn, call: Call, services: Services) -> ReportOut:
    resp = await _stub(services).CreateReportDefinition(
        pb.CreateReportDefinitionRequest(
            name=body.name,
            description=body.description or "",
            definition=_struct(body.definition),
            shared_roles=body.shared_roles,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _report(resp.report)


@router.get(
    "/v1/report-definitions",
    response_model=ReportPage,
    summary="Saved reports the caller may see, a page at a time (newest first)",
    openapi_extra=requires("reporting:read"),
)
async def list_reports(
    call: Call, services: Services, page_size: PageSize = 50, page_token: PageToken = None
) -> ReportPage:
    resp = await _stub(services).ListReportDefinitions(
        pb.ListReportDefinitionsRequest(page_size=page_size, page_token=page_token or ""),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return ReportPage(
        items=[_report(r) for r in resp.reports], next_page_token=resp.next_page_token or None
    )


@router.get(
    "/v1/report-definitions/{report_id}",
    response_model=ReportOut,
    summary="A saved report",
    openapi_extra=requires("reporting:read"),
)
async def get_report(report_id: str, call: Call, services: Services) -> ReportOut:
    resp = await _stub(services).GetReportDefinition(
        pb.GetReportDefinitionRequest(report_id=report_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _report(resp.report)


@router.put(
    "/v1/report-definitions/{report_id}",
    response_model=ReportOut,
    summary="Replace a saved report (owner or admin)",
    openapi_extra=requires("reporting:update"),
)
async def update_report(
    report_id: str, body: ReportIn, call: Call, services: Services
) -> ReportOut:
    resp = await _stub(services).UpdateReportDefinition(
        pb.UpdateReportDefinitionRequest(
            report_id=report_id,
            name=body.name,
            description=body.description or "",
            definition=_struct(body.definition),
            shared_roles=body.shared_roles,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _report(resp.report)


@router.delete(
    "/v1/report-definitions/{report_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a saved report that no dashboard shows",
    openapi_extra=requires("reporting:delete"),
)
async def delete_report(report_id: str, call: Call, services: Services) -> Response:
    await _stub(services).DeleteReportDefinition(
        pb.DeleteReportDefinitionRequest(report_id=report_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return Response(status_code=204)


@router.get(
    "/v1/report-definitions/{report_id}/result",
    response_model=ResultOut,
    summary="Run a saved report",
    openapi_extra=requires("reporting:read"),
)
async def run_report(report_id: str, call: Call, services: Services) -> ResultOut:
    resp = await _stub(services).RunReport(
        pb.RunReportRequest(report_id=report_id), metadata=call.metadata, timeout=call.timeout
    )
    return _result(resp.result)


@router.get(
    "/v1/report-definitions/{report_id}/export",
    response_class=Response,
    responses=_FILE,
    summary="Export a saved report as CSV, XLSX or PDF",
    openapi_extra=requires("reporting:export"),
)
async def export_report(
    report_id: str,
    call: Call,
    services: Services,
    format: Annotated[FormatName, Query()] = "xlsx",
    chart: Annotated[ChartName | None, Query(description="PDF: chart above the table")] = None,
) -> Response:
    resp = await _stub(services).ExportReport(
        pb.ExportReportRequest(
            report_id=report_id,
            format=_FORMAT[format],
            chart=_CHART.get(chart or "", pb.CHART_KIND_UNSPECIFIED),
        ),
        metadata=call.metadata,
        timeout=max(call.timeout, EXPORT_TIMEOUT_S),
    )
    return _file(resp.content, resp.content_type, resp.filename)


# --- dashboards -------------------------------------------------------------------------


@router.post(
    "/v1/dashboards",
    status_code=201,
    response_model=DashboardOut,
    summary="Save a dashboard of saved reports",
    openapi_extra=requires("reporting:create"),
)
async def create_dashboard(body: DashboardIn, call: Call, services: Services) -> DashboardOut:
    resp = await _stub(services).CreateDashboard(
        pb.CreateDashboardRequest(
            name=body.name, shared_roles=body.shared_roles, items=_items_pb(body.items)
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _dashboard(resp.dashboard)


@router.get(
    "/v1/dashboards",
    response_model=DashboardPage,
    summary="Dashboards the caller may see, a page at a time (newest first)",
    openapi_extra=requires("reporting:read"),
)
async def list_dashboards(
    call: Call, services: Services, page_size: PageSize = 50, page_token: PageToken = None
) -> DashboardPage:
    resp = await _stub(services).ListDashboards(
        pb.ListDashboardsRequest(page_size=page_size, page_token=page_token or ""),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return DashboardPage(
        items=[_dashboard(d) for d in resp.dashboards],
        next_page_token=resp.next_page_token or None,
    )


@router.get(
    "/v1/dashboards/{dashboard_id}",
    response_model=DashboardOut,
    summary="A dashboard",
    openapi_extra=requires("reporting:read"),
)
async def get_dashboard(dashboard_id: str, call: Call, services: Services) -> DashboardOut:
    resp = await _stub(services).GetDashboard(
        pb.GetDashboardRequest(dashboard_id=dashboard_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _dashboard(resp.dashboard)


@router.put(
    "/v1/dashboards/{dashboard_id}",
    response_model=DashboardOut,
    summary="Replace a dashboard and its items (owner or admin)",
    openapi_extra=requires("reporting:update"),
)
async def update_dashboard(
    dashboard_id: str, body: DashboardIn, call: Call, services: Services
) -> DashboardOut:
    resp = await _stub(services).UpdateDashboard(
        pb.UpdateDashboardRequest(
            dashboard_id=dashboard_id,
            name=body.name,
            shared_roles=body.shared_roles,
            items=_items_pb(body.items),
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _dashboard(resp.dashboard)


@router.delete(
    "/v1/dashboards/{dashboard_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a dashboard",
    openapi_extra=requires("reporting:delete"),
)
async def delete_dashboard(dashboard_id: str, call: Call, services: Services) -> Response:
    await _stub(services).DeleteDashboard(
        pb.DeleteDashboardRequest(dashboard_id=dashboard_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return Response(status_code=204)


async def _run_dashboard(dashboard_id: str, call, services) -> pb.RunDashboardResponse:
    return await _stub(services).RunDashboard(
        pb.RunDashboardRequest(dashboard_id=dashboard_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )


@router.get(
    "/v1/dashboards/{dashboard_id}/data",
    response_model=DashboardDataOut,
    summary="Every item's result rows and server-rendered SVG chart",
    openapi_extra=requires("reporting:read"),
)
async def dashboard_data(dashboard_id: str, call: Call, services: Services) -> DashboardDataOut:
    resp = await _run_dashboard(dashboard_id, call, services)
    return DashboardDataOut(
        dashboard=_dashboard(resp.dashboard),
        items=[
            ItemResultOut(
                item=_item(i.item),
                title=i.title,
                result=_result(i.result) if i.HasField("result") else None,
                chart_svg=i.chart_svg or None,
                error=i.error or None,
            )
            for i in resp.items
        ],
    )


@router.get(
    "/v1/dashboards/{dashboard_id}/items/{item_id}/chart.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "the chart"}},
    summary="One dashboard item's chart as SVG",
    openapi_extra=requires("reporting:read"),
)
async def dashboard_chart(
    dashboard_id: str, item_id: str, call: Call, services: Services
) -> Response:
    resp = await _run_dashboard(dashboard_id, call, services)
    for i in resp.items:
        if i.item.id == item_id and i.chart_svg:
            return Response(content=i.chart_svg, media_type="image/svg+xml")
    raise ProblemException(404, f"no chart for item {item_id} on this dashboard")


@router.get(
    "/v1/dashboards/{dashboard_id}/export",
    response_class=Response,
    responses=_BOARD_FILE,
    summary="Export a dashboard as PDF (charts and tables) or XLSX (a sheet per item)",
    openapi_extra=requires("reporting:export"),
)
async def export_dashboard(
    dashboard_id: str,
    call: Call,
    services: Services,
    format: Annotated[Literal["pdf", "xlsx"], Query()] = "pdf",
) -> Response:
    resp = await _stub(services).ExportDashboard(
        pb.ExportDashboardRequest(dashboard_id=dashboard_id, format=_FORMAT[format]),
        metadata=call.metadata,
        timeout=max(call.timeout, EXPORT_TIMEOUT_S),
    )
    return _file(resp.content, resp.content_type, resp.filename)


# --- report schedules (R7: e-mailed reports) --------------------------------------------


class ReportScheduleIn(BaseModel):
    kind: str = Field(description="`report` (a saved report) or `dashboard`")
    target_id: str = Field(description="the saved report's or the dashboard's id")
    format: str = Field(description="`pdf`, `xlsx` or `csv` (dashboards: pdf or xlsx)")
    cadence: str = Field(
        description="`daily`, `weekly` (on `weekday`) or `monthly` (on `day_of_month`), "
        "tenant-local"
    )
    recipients: list[str] = Field(description="1 to 20 e-mail addresses")
    subject: str = Field(default="", description="defaults to the report's or dashboard's name")
    send_hour: int = Field(default=7, description="tenant-local hour of the send, 0-23")
    weekday: str | None = Field(
        default=None, description="weekly only: `sunday` (default) .. `saturday`"
    )
    day_of_month: int | None = Field(default=None, description="monthly only: 1-28 (default 1)")


class ReportSchedulePatch(BaseModel):
    """Only the fields present change."""

    active: bool | None = None
    send_hour: int | None = Field(default=None, description="0-23, tenant-local")
    weekday: str | None = Field(default=None, description="weekly: `sunday` .. `saturday`")
    day_of_month: int | None = Field(default=None, description="monthly: 1-28")
    cadence: str | None = None
    format: str | None = None
    subject: str | None = None
    recipients: list[str] | None = None


class ReportScheduleOut(BaseModel):
    id: str
    kind: str
    target_id: str
    format: str
    cadence: str
    recipients: list[str]
    subject: str
    created_by: str | None
    last_sent_on: dt.date | None
    active: bool
    created_at: dt.datetime | None
    send_hour: int
    weekday: str | None
    day_of_month: int | None
    next_send_at: dt.datetime | None = Field(
        description="when the next send is due (the first hourly tick at/after it sends); "
        "null when inactive"
    )


class ReportSchedulePage(BaseModel):
    items: list[ReportScheduleOut]
    next_page_token: str | None


def _schedule(s: pb.ReportSchedule) -> ReportScheduleOut:
    return ReportScheduleOut(
        id=s.id,
        kind=s.kind,
        target_id=s.target_id,
        format=s.format,
        cadence=s.cadence,
        recipients=list(s.recipients),
        subject=s.subject,
        created_by=s.created_by or None,
        last_sent_on=dt.date.fromisoformat(s.last_sent_on) if s.last_sent_on else None,
        active=s.active,
        created_at=ts(s.created_at, s.HasField("created_at")),
        send_hour=s.send_hour,
        weekday=s.weekday or None,
        day_of_month=s.day_of_month or None,
        next_send_at=ts(s.next_send_at, s.HasField("next_send_at")),
    )


@router.post(
    "/v1/report-schedules",
    status_code=201,
    response_model=ReportScheduleOut,
    summary="E-mail a saved report or a dashboard as a file on a cadence",
    openapi_extra=requires("reporting:create"),
)
async def create_report_schedule(
    body: ReportScheduleIn, call: Call, services: Services
) -> ReportScheduleOut:
    resp = await _stub(services).CreateReportSchedule(
        pb.CreateReportScheduleRequest(
            kind=body.kind,
            target_id=body.target_id,
            format=body.format,
            cadence=body.cadence,
            recipients=body.recipients,
            subject=body.subject,
            send_hour=body.send_hour,
            weekday=body.weekday or "",
            day_of_month=body.day_of_month or 0,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _schedule(resp.schedule)


@router.get(
    "/v1/report-schedules",
    response_model=ReportSchedulePage,
    summary="Report schedules (an admin sees all, others their own), newest first",
    openapi_extra=requires("reporting:read"),
)
async def list_report_schedules(
    call: Call, services: Services, page_size: PageSize = 50, page_token: PageToken = None
) -> ReportSchedulePage:
    resp = await _stub(services).ListReportSchedules(
        pb.ListReportSchedulesRequest(page_size=page_size, page_token=page_token or ""),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return ReportSchedulePage(
        items=[_schedule(s) for s in resp.schedules],
        next_page_token=resp.next_page_token or None,
    )


@router.patch(
    "/v1/report-schedules/{schedule_id}",
    response_model=ReportScheduleOut,
    summary="Change a report schedule: pause/resume, send time, recipients, ...",
    openapi_extra=requires("reporting:update"),
)
async def update_report_schedule(
    schedule_id: str, body: ReportSchedulePatch, call: Call, services: Services
) -> ReportScheduleOut:
    req = pb.UpdateReportScheduleRequest(schedule_id=schedule_id)
    for name in ("active", "send_hour", "weekday", "day_of_month", "cadence", "format", "subject"):
        value = getattr(body, name)
        if value is not None:
            setattr(req, name, value)
    if body.recipients is not None:
        req.recipients.addresses.extend(body.recipients)
    resp = await _stub(services).UpdateReportSchedule(
        req, metadata=call.metadata, timeout=call.timeout
    )
    return _schedule(resp.schedule)


@router.delete(
    "/v1/report-schedules/{schedule_id}",
    status_code=204,
    response_class=Response,
    summary="Stop and remove a report schedule",
    openapi_extra=requires("reporting:delete"),
)
async def delete_report_schedule(schedule_id: str, call: Call, services: Services) -> Response:
    await _stub(services).DeleteReportSchedule(
        pb.DeleteReportScheduleRequest(schedule_id=schedule_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return Response(status_code=204)
