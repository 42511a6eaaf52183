"""Sales pipeline: /v1/pipelines, /v1/lost-reasons, /v1/deals, /v1/sales-targets."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from crm.leads.v1 import leads_service_pb2 as pb
from crm_gateway.backends import Call, Services
from crm_gateway.routers.leads import ts

router = APIRouter(tags=["sales pipeline"])

_KIND = {pb.STAGE_KIND_OPEN: "open", pb.STAGE_KIND_WON: "won", pb.STAGE_KIND_LOST: "lost"}
_KIND_PB = {v: k for k, v in _KIND.items()}
_DEAL = {pb.DEAL_STATUS_OPEN: "open", pb.DEAL_STATUS_WON: "won", pb.DEAL_STATUS_LOST: "lost"}
_DEAL_PB = {v: k for k, v in _DEAL.items()}
_PERIOD = {pb.TARGET_PERIOD_MONTH: "month", pb.TARGET_PERIOD_QUARTER: "quarter"}
_PERIOD_PB = {v: k for k, v in _PERIOD.items()}


class StageOut(BaseModel):
    id: str
    name: str
    position: int
    probability: int
    kind: str


class PipelineOut(BaseModel):
    id: str
    name: str
    product_type: str | None
    is_default: bool
    stages: list[StageOut]


def _pipeline(p: pb.Pipeline) -> PipelineOut:
    return PipelineOut(
        id=p.id,
        name=p.name,
        product_type=p.product_type or None,
        is_default=p.is_default,
        stages=[
            StageOut(
                id=s.id,
                name=s.name,
                position=s.position,
                probability=s.probability,
                kind=_KIND[s.kind],
            )
            for s in p.stages
        ],
    )


class StageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100)
    probability: int = Field(ge=0, le=100)
    kind: Literal["open", "won", "lost"] = "open"


class PipelineIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    product_type: str = Field(default="", max_length=100)
    is_default: bool = False
    stages: list[StageIn] = Field(min_length=3, max_length=30)


@router.get("/v1/pipelines", response_model=list[PipelineOut], summary="Pipelines and their stages")
async def list_pipelines(call: Call, services: Services) -> list[PipelineOut]:
    resp = await services.leads.ListPipelines(
        pb.ListPipelinesRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return [_pipeline(p) for p in resp.pipelines]


@router.post(
    "/v1/pipelines", status_code=201, response_model=PipelineOut, summary="Make a pipeline"
)
async def create_pipeline(body: PipelineIn, call: Call, services: Services) -> PipelineOut:
    resp = await services.leads.CreatePipeline(
        pb.CreatePipelineRequest(
            name=body.name,
            product_type=body.product_type,
            is_default=body.is_default,
            stages=[
                pb.StageDraft(name=s.name, probability=s.probability, kind=_KIND_PB[s.kind])
                for s in body.stages
            ],
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _pipeline(resp.pipeline)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=200)


class ReasonOut(BaseModel):
    id: str
    label: str


@router.get(
    "/v1/lost-reasons",
    openapi_extra={"x-permission": "leads:read"},
    response_model=list[ReasonOut],
    summary="Lost reasons",
)
async def list_reasons(call: Call, services: Services) -> list[ReasonOut]:
    resp = await services.leads.ListLostReasons(
        pb.ListLostReasonsRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return [ReasonOut(id=r.id, label=r.label) for r in resp.reasons]


@router.post(
    "/v1/lost-reasons",
    openapi_extra={"x-permission": "leads:create"},
    status_code=201,
    response_model=ReasonOut,
    summary="Add a lost reason",
)
async def create_reason(body: ReasonIn, call: Call, services: Services) -> ReasonOut:
    resp = await services.leads.CreateLostReason(
        pb.CreateLostReasonRequest(label=body.label), metadata=call.metadata, timeout=call.timeout
    )
    return ReasonOut(id=resp.reason.id, label=resp.reason.label)


class StageChangeOut(BaseModel):
    from_stage_id: str | None
    to_stage_id: str
    changed_by: str | None
    changed_at: dt.datetime


class DealOut(BaseModel):
    id: str
    title: str
    pipeline_id: str
    stage_id: str
    lead_id: str | None
    party_id: str | None
    account_name: str | None
    amount_agorot: int
    currency: str
    expected_close_date: dt.date | None
    probability: int
    owner_id: str | None
    status: str
    lost_reason_id: str | None
    version: int
    created_at: dt.datetime
    closed_at: dt.datetime | None
    history: list[StageChangeOut]


def _deal(d: pb.Deal) -> DealOut:
    return DealOut(
        id=d.id,
        title=d.title,
        pipeline_id=d.pipeline_id,
        stage_id=d.stage_id,
        lead_id=d.lead_id or None,
        party_id=d.party_id or None,
        account_name=d.account_name or None,
        amount_agorot=d.amount_agorot,
        currency=d.currency,
        expected_close_date=dt.date.fromisoformat(d.expected_close_date)
        if d.expected_close_date
        else None,
        probability=d.probability,
        owner_id=d.owner_id or None,
        status=_DEAL[d.status],
        lost_reason_id=d.lost_reason_id or None,
        version=d.version,
        created_at=ts(d.created_at),
        closed_at=ts(d.closed_at, d.HasField("closed_at")),
        history=[
            StageChangeOut(
                from_stage_id=h.from_stage_id or None,
                to_stage_id=h.to_stage_id,
                changed_by=h.changed_by or None,
                changed_at=ts(h.changed_at),
            )
            for h in d.history
        ],
    )


class DealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    amount_agorot: int = Field(ge=0, description="ILS in agorot")
    pipeline_id: str | None = None
    lead_id: str | None = None
    party_id: str | None = None
    account_name: str | None = Field(default=None, max_length=200)
    expected_close_date: dt.date | None = None
    owner_id: str | None = None


@router.post("/v1/deals", status_code=201, response_model=DealOut, summary="Open a deal")
async def create_deal(body: DealIn, call: Call, services: Services, response: Response) -> DealOut:
    data = body.model_dump(exclude_none=True, exclude={"expected_close_date"})
    resp = await services.leads.CreateDeal(
        pb.CreateDealRequest(
            **data,
            expected_close_date=body.expected_close_date.isoformat()
            if body.expected_close_date
            else "",
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    response.headers["Location"] = f"/v1/deals/{resp.deal.id}"
    return _deal(resp.deal)


class DealPage(BaseModel):
    items: list[DealOut]
    next_page_token: str | None


@router.get("/v1/deals", response_model=DealPage, summary="List deals, newest first")
async def list_deals(
    call: Call,
    services: Services,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=100)] = None,
    status: Literal["open", "won", "lost"] | None = None,
    owner_id: Annotated[str | None, Query(max_length=36)] = None,
    mine: bool = False,
    stage_id: Annotated[str | None, Query(max_length=36)] = None,
    pipeline_id: Annotated[str | None, Query(max_length=36)] = None,
) -> DealPage:
    resp = await services.leads.ListDeals(
        pb.ListDealsRequest(
            page_size=page_size,
            page_token=page_token or "",
            status=_DEAL_PB[status] if status else pb.DEAL_STATUS_UNSPECIFIED,
            owner_id=owner_id or "",
            mine=mine,
            stage_id=stage_id or "",
            pipeline_id=pipeline_id or "",
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return DealPage(
        items=[_deal(d) for d in resp.deals], next_page_token=resp.next_page_token or None
    )


@router.get("/v1/deals/{deal_id}", response_model=DealOut, summary="A deal with its stage history")
async def get_deal(deal_id: str, call: Call, services: Services) -> DealOut:
    resp = await services.leads.GetDeal(
        pb.GetDealRequest(deal_id=deal_id), metadata=call.metadata, timeout=call.timeout
    )
    return _deal(resp.deal)


class MoveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage_id: str = Field(max_length=36)
    expected_version: int | None = Field(default=None, ge=1, description="optimistic lock")
    lost_reason_id: str | None = None
    note: str = Field(default="", max_length=2000)


@router.post(
    "/v1/deals/{deal_id}:move",
    response_model=DealOut,
    summary="Move a deal to a stage (won -> DealWon; lost needs a lost reason)",
    responses={409: {"description": "stale expected_version, or the deal is closed"}},
)
async def move_deal(deal_id: str, body: MoveIn, call: Call, services: Services) -> DealOut:
    resp = await services.leads.MoveDealStage(
        pb.MoveDealStageRequest(
            deal_id=deal_id,
            stage_id=body.stage_id,
            expected_version=body.expected_version or 0,
            lost_reason_id=body.lost_reason_id or "",
            note=body.note,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _deal(resp.deal)


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    owner_id: str | None = None
    team_id: str | None = None
    period: Literal["month", "quarter"]
    period_start: dt.date
    amount_agorot: int = Field(ge=0)
    deal_count: int = Field(ge=0)


class TargetOut(BaseModel):
    id: str
    owner_id: str | None
    team_id: str | None
    period: str
    period_start: dt.date
    amount_agorot: int
    deal_count: int
    actual_amount_agorot: int
    actual_deal_count: int


def _target(t: pb.SalesTarget) -> TargetOut:
    return TargetOut(
        id=t.id,
        owner_id=t.owner_id or None,
        team_id=t.team_id or None,
        period=_PERIOD[t.period],
        period_start=dt.date.fromisoformat(t.period_start),
        amount_agorot=t.amount_agorot,
        deal_count=t.deal_count,
        actual_amount_agorot=t.actual_amount_agorot,
        actual_deal_count=t.actual_deal_count,
    )


@router.put(
    "/v1/sales-targets",
    openapi_extra={"x-permission": "leads:update"},
    response_model=TargetOut,
    summary="Set a rep's or team's target",
)
async def set_target(body: TargetIn, call: Call, services: Services) -> TargetOut:
    resp = await services.leads.SetSalesTarget(
        pb.SetSalesTargetRequest(
            owner_id=body.owner_id or "",
            team_id=body.team_id or "",
            period=_PERIOD_PB[body.period],
            period_start=body.period_start.isoformat(),
            amount_agorot=body.amount_agorot,
            deal_count=body.deal_count,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _target(resp.target)


@router.get(
    "/v1/sales-targets",
    openapi_extra={"x-permission": "leads:read"},
    response_model=list[TargetOut],
    summary="Targets vs actuals",
)
async def list_targets(
    call: Call, services: Services, period_start: dt.date | None = None
) -> list[TargetOut]:
    resp = await services.leads.ListSalesTargets(
        pb.ListSalesTargetsRequest(period_start=period_start.isoformat() if period_start else ""),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return [_target(t) for t in resp.targets]
