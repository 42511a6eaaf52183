"""/v1/reports: leads by source and the canned reports R2-R6 (docs/reporting.md).

Periods are ``from`` and ``to`` tenant-local dates (YYYY-MM-DD, inclusive). Money is integer
agorot, rates are fractions (0.25 = 25%), ``null`` where a figure is undefined (no leads, no
cost). Permissions are derived from the path like every router: GET needs reporting:read,
campaign costs reporting:create / reporting:delete.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Annotated, Any

import grpc
from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from crm.reporting.v1 import reporting_service_pb2 as pb
from crm.reporting.v1 import reports_service_pb2 as rpb
from crm.reporting.v1 import reports_service_pb2_grpc as rpb_grpc
from crm_common.grpc.errors import from_rpc_error
from crm_gateway.backends import Call, Services
from crm_gateway.problems import ProblemException
from crm_gateway.routers.leads import ts

router = APIRouter(prefix="/v1/reports", tags=["reports"])


class SourceRow(BaseModel):
    source: str
    leads: int
    last_captured_at: dt.datetime | None


class LeadsBySource(BaseModel):
    sources: list[SourceRow]
    total: int


@router.get("/leads-by-source", response_model=LeadsBySource, summary="Captured leads per source")
async def leads_by_source(call: Call, services: Services) -> LeadsBySource:
    resp = await services.reporting.GetLeadsBySource(
        pb.GetLeadsBySourceRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return LeadsBySource(
        sources=[
            SourceRow(
                source=r.source,
                leads=r.leads,
                last_captured_at=ts(r.last_captured_at, r.HasField("last_captured_at")),
            )
            for r in resp.sources
        ],
        total=resp.total,
    )


# --------------------------------------------------------------------------- R2-R6

FromDate = Annotated[
    str, Query(alias="from", max_length=10, description="first day, YYYY-MM-DD (tenant-local)")
]
ToDate = Annotated[
    str, Query(alias="to", max_length=10, description="last day, YYYY-MM-DD (inclusive)")
]
_FIELD_OF = {"from_date": "from", "to_date": "to"}
_TIMESTAMP = "google.protobuf.Timestamp"


def _stub(services: Services) -> rpb_grpc.ReportsServiceStub:
    return services.stub("reporting", rpb_grpc.ReportsServiceStub)


async def _call(services: Services, call: Call, rpc: str, request: Any) -> Any:
    """One ReportsService call; period violations are named like the query parameters."""
    try:
        return await getattr(_stub(services), rpc)(
            request, metadata=call.metadata, timeout=call.timeout
        )
    except grpc.aio.AioRpcError as err:
        if err.code() != grpc.StatusCode.INVALID_ARGUMENT:
            raise
        remote = from_rpc_error(err)
        raise ProblemException(
            422,
            remote.message,
            kind=remote.reason or "INVALID_ARGUMENT",
            errors=[
                {"field": _FIELD_OF.get(v.field, v.field), "detail": v.description}
                for v in remote.violations
            ]
            or None,
        ) from None


def _from_pb(model: type[BaseModel], msg: Any) -> Any:
    """A response model filled from the proto message of the same field names; an optional
    proto field that is not set becomes null."""
    values: dict[str, Any] = {}
    hints = typing.get_type_hints(model)
    for name in model.model_fields:
        value = getattr(msg, name)
        field = msg.DESCRIPTOR.fields_by_name[name]
        hint = hints[name]
        inner = typing.get_args(hint)[0] if typing.get_origin(hint) is list else hint
        if field.has_presence and field.message_type is None and not msg.HasField(name):
            values[name] = None
        elif field.message_type is not None and field.message_type.full_name == _TIMESTAMP:
            values[name] = ts(value, msg.HasField(name))
        elif isinstance(inner, type) and issubclass(inner, BaseModel):
            if typing.get_origin(hint) is list:
                values[name] = [_from_pb(inner, v) for v in value]
            else:
                values[name] = _from_pb(inner, value)
        elif typing.get_origin(hint) is list:
            values[name] = list(value)
        else:
            values[name] = value
    return model(**values)


class Period(BaseModel):
    from_date: str
    to_date: str
    time_zone: str


class MarketingRow(BaseModel):
    source: str
    campaign: str
    leads: int
    duplicates: int
    qualified: int
    converted: int
    won_deals: int
    won_value_agorot: int
    invoiced_agorot: int = Field(description="invoices minus credit notes, with VAT")
    invoiced_net_agorot: int = Field(description="invoices minus credit notes, net of VAT")
    collected_agorot: int
    qualified_rate: float | None
    converted_rate: float | None
    won_rate: float | None
    cost_agorot: int | None = Field(description="campaign cost prorated to the period's days")
    cost_per_lead_agorot: int | None
    roi: float | None = Field(description="(net revenue - cost) / cost")


class MarketingReport(BaseModel):
    period: Period
    rows: list[MarketingRow]
    total: MarketingRow


class TargetRow(BaseModel):
    target_id: str
    owner_id: str
    team_id: str
    period: str
    period_start: str
    period_end: str
    target_amount_agorot: int
    target_deal_count: int
    actual_amount_agorot: int
    actual_deal_count: int
    amount_achieved_percent: float | None
    deal_count_achieved_percent: float | None


class TargetsReport(BaseModel):
    period: Period
    targets: list[TargetRow]


class RepPerformanceRow(BaseModel):
    owner_id: str
    leads_handled: int
    leads_responded: int
    median_response_seconds: float | None
    average_response_seconds: float | None
    calls: int
    answered_calls: int
    messages_sent: int
    deals_won: int
    deals_lost: int
    won_amount_agorot: int
    revenue_net_agorot: int
    win_rate: float | None


class PerformanceReport(BaseModel):
    period: Period
    reps: list[RepPerformanceRow]


class FunnelStage(BaseModel):
    stage_id: str
    stage_name: str
    probability: int
    deals_entered: int
    deals_in_stage_now: int
    conversion_to_next: float | None
    average_seconds_in_stage: float | None
    completed_stays: int


class FunnelReport(BaseModel):
    period: Period
    deals_created: int
    deals_won: int
    deals_lost: int
    win_rate: float | None
    stages: list[FunnelStage]


class Aging(BaseModel):
    days_0_30_agorot: int
    days_31_60_agorot: int
    days_61_90_agorot: int
    days_over_90_agorot: int


class FinanceRow(BaseModel):
    key: str = Field(description="party id, owner id or source")
    name: str
    invoiced_agorot: int
    revenue_net_agorot: int
    credited_agorot: int
    collected_agorot: int
    open_balance_agorot: int
    aging: Aging


class RecencyCustomer(BaseModel):
    party_id: str
    name: str
    last_invoice_date: str
    days_since: int | None
    bucket: str


class RecencyBucket(BaseModel):
    bucket: str
    customers: int


class FinanceReport(BaseModel):
    period: Period
    customers: list[FinanceRow]
    reps: list[FinanceRow]
    sources: list[FinanceRow]
    total: FinanceRow
    recency: list[RecencyCustomer]
    recency_buckets: list[RecencyBucket]
    customers_total: int = Field(description="customers before customer_limit")


class TaskRow(BaseModel):
    task_type_key: str
    assignee_user_id: str
    team_id: str
    created: int
    done: int
    overdue: int
    sla_breaches: int
    sla_met: int


class TasksReport(BaseModel):
    period: Period
    now: dt.datetime
    by_type: list[TaskRow]
    by_assignee: list[TaskRow]
    by_assignee_and_type: list[TaskRow]
    by_team: list[TaskRow]
    total: TaskRow


class CampaignCost(BaseModel):
    cost_id: str
    source: str
    campaign: str
    period_start: str
    period_end: str
    cost_agorot: int
    note: str
    created_at: dt.datetime | None


class CampaignCostList(BaseModel):
    costs: list[CampaignCost]


class NewCampaignCost(BaseModel):
    source: str = Field(max_length=50, description="lead source, e.g. facebook")
    campaign: str = Field("", max_length=100, description="empty: the source's leads without one")
    period_start: str = Field(max_length=10, description="YYYY-MM-DD")
    period_end: str = Field(max_length=10, description="YYYY-MM-DD, inclusive")
    cost_agorot: int = Field(ge=0, le=10**13)
    note: str = Field("", max_length=500)


def _cost(c: rpb.CampaignCost) -> CampaignCost:
    return CampaignCost(
        cost_id=c.cost_id,
        source=c.source,
        campaign=c.campaign,
        period_start=c.period_start,
        period_end=c.period_end,
        cost_agorot=c.cost_agorot,
        note=c.note,
        created_at=ts(c.created_at, c.HasField("created_at")),
    )


@router.get(
    "/marketing",
    response_model=MarketingReport,
    summary="R2: leads, conversions, revenue, cost per lead and ROI per source and campaign",
)
async def marketing_report(
    call: Call, services: Services, from_date: FromDate, to_date: ToDate
) -> MarketingReport:
    resp = await _call(
        services,
        call,
        "GetMarketingReport",
        rpb.GetMarketingReportRequest(from_date=from_date, to_date=to_date),
    )
    return _from_pb(MarketingReport, resp)


@router.get("/targets", response_model=TargetsReport, summary="R3: targets vs actual")
async def targets_report(
    call: Call, services: Services, from_date: FromDate, to_date: ToDate
) -> TargetsReport:
    resp = await _call(
        services,
        call,
        "GetTargetsReport",
        rpb.GetTargetsReportRequest(from_date=from_date, to_date=to_date),
    )
    return _from_pb(TargetsReport, resp)


@router.get("/performance", response_model=PerformanceReport, summary="R4: sales-rep performance")
async def performance_report(
    call: Call, services: Services, from_date: FromDate, to_date: ToDate
) -> PerformanceReport:
    resp = await _call(
        services,
        call,
        "GetPerformanceReport",
        rpb.GetPerformanceReportRequest(from_date=from_date, to_date=to_date),
    )
    return _from_pb(PerformanceReport, resp)


@router.get("/funnel", response_model=FunnelReport, summary="R4: pipeline funnel by stage")
async def funnel_report(
    call: Call,
    services: Services,
    from_date: FromDate,
    to_date: ToDate,
    pipeline_id: Annotated[str, Query(max_length=36)] = "",
) -> FunnelReport:
    resp = await _call(
        services,
        call,
        "GetFunnelReport",
        rpb.GetFunnelReportRequest(from_date=from_date, to_date=to_date, pipeline_id=pipeline_id),
    )
    return _from_pb(FunnelReport, resp)


@router.get(
    "/finance",
    response_model=FinanceReport,
    summary="R5: revenue, open balance and aging per customer, rep and source; recency",
)
async def finance_report(
    call: Call,
    services: Services,
    from_date: FromDate,
    to_date: ToDate,
    customer_limit: Annotated[
        int, Query(ge=1, le=5000, description="rows of the customer and recency lists")
    ] = 200,
) -> FinanceReport:
    resp = await _call(
        services,
        call,
        "GetFinanceReport",
        rpb.GetFinanceReportRequest(
            from_date=from_date, to_date=to_date, customer_limit=customer_limit
        ),
    )
    return _from_pb(FinanceReport, resp)


@router.get(
    "/tasks",
    response_model=TasksReport,
    summary="R6: tasks created, done, overdue and SLA breaches per type, assignee and team",
)
async def tasks_report(
    call: Call,
    services: Services,
    from_date: FromDate,
    to_date: ToDate,
    now: Annotated[
        dt.datetime | None, Query(description="judge overdue as of this instant (default: now)")
    ] = None,
) -> TasksReport:
    request = rpb.GetTasksReportRequest(from_date=from_date, to_date=to_date)
    if now is not None:
        if now.tzinfo is None:
            raise ProblemException(
                422,
                "the request is not valid",
                kind="validation-error",
                errors=[{"field": "now", "detail": "must carry a time zone offset"}],
            )
        request.now.FromDatetime(now.astimezone(dt.UTC))
    resp = await _call(services, call, "GetTasksReport", request)
    return _from_pb(TasksReport, resp)


@router.get("/campaign-costs", response_model=CampaignCostList, summary="Campaign costs (R2)")
async def list_campaign_costs(
    call: Call,
    services: Services,
    source: Annotated[str, Query(max_length=50)] = "",
) -> CampaignCostList:
    resp = await _call(
        services, call, "ListCampaignCosts", rpb.ListCampaignCostsRequest(source=source)
    )
    return CampaignCostList(costs=[_cost(c) for c in resp.costs])


@router.post(
    "/campaign-costs",
    response_model=CampaignCost,
    status_code=201,
    summary="Enter what a campaign cost over a period (R2 cost per lead and ROI)",
)
async def create_campaign_cost(
    body: NewCampaignCost, call: Call, services: Services
) -> CampaignCost:
    resp = await _call(
        services,
        call,
        "CreateCampaignCost",
        rpb.CreateCampaignCostRequest(**body.model_dump()),
    )
    return _cost(resp.cost)


@router.delete("/campaign-costs/{cost_id}", status_code=204, summary="Delete a campaign cost")
async def delete_campaign_cost(cost_id: str, call: Call, services: Services) -> Response:
    await _call(
        services, call, "DeleteCampaignCost", rpb.DeleteCampaignCostRequest(cost_id=cost_id)
    )
    return Response(status_code=204)
