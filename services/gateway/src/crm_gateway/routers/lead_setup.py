"""Lead set-up: sources (/v1/lead-sources), CSV/XLSX imports (/v1/lead-imports),
sales teams (/v1/sales-teams) and routing rules (/v1/routing-rules)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from crm.leads.v1 import leads_service_pb2 as pb
from crm_gateway.backends import Call, Services

router = APIRouter(tags=["lead set-up"])


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=50)
    label: str = Field(min_length=1, max_length=100)


class SourceOut(BaseModel):
    code: str
    label: str


@router.get("/v1/lead-sources", response_model=list[SourceOut], summary="The tenant's lead sources")
async def list_sources(call: Call, services: Services) -> list[SourceOut]:
    resp = await services.leads.ListLeadSources(
        pb.ListLeadSourcesRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return [SourceOut(code=s.code, label=s.label) for s in resp.sources]


@router.post(
    "/v1/lead-sources", status_code=201, response_model=SourceOut, summary="Add a lead source"
)
async def add_source(body: SourceIn, call: Call, services: Services) -> SourceOut:
    resp = await services.leads.AddLeadSource(
        pb.AddLeadSourceRequest(code=body.code, label=body.label),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return SourceOut(code=resp.source.code, label=resp.source.label)


class RowError(BaseModel):
    row: int
    field: str
    message: str


class ImportOut(BaseModel):
    id: str
    filename: str
    status: str
    columns: list[str]
    mapping: dict[str, str]
    total_rows: int
    processed_rows: int
    imported_rows: int
    failed_rows: int
    progress_percent: int
    default_source: str
    errors: list[RowError]
    preview: list[dict[str, str]]


def _import_out(i: pb.LeadImport) -> ImportOut:
    return ImportOut(
        id=i.id,
        filename=i.filename,
        status=i.status,
        columns=list(i.columns),
        mapping=dict(i.mapping),
        total_rows=i.total_rows,
        processed_rows=i.processed_rows,
        imported_rows=i.imported_rows,
        failed_rows=i.failed_rows,
        progress_percent=i.progress_percent,
        default_source=i.default_source,
        errors=[RowError(row=e.row, field=e.field, message=e.message) for e in i.errors],
        preview=[dict(r.values) for r in i.preview],
    )


@router.post(
    "/v1/lead-imports",
    openapi_extra={"x-permission": "leads:create"},
    status_code=201,
    response_model=ImportOut,
    summary="Upload a CSV or XLSX file (raw body); returns a preview and a suggested mapping",
)
async def create_import(
    request: Request,
    call: Call,
    services: Services,
    filename: Annotated[str, Query(min_length=1, max_length=300)],
    default_source: Annotated[str, Query(max_length=50)] = "other",
) -> ImportOut:
    content = await request.body()
    if len(content) > 10 * 1024 * 1024:
        raise HTTPException(413, "the file is larger than 10 MB")
    resp = await services.leads.CreateLeadImport(
        pb.CreateLeadImportRequest(
            filename=filename, content=content, default_source=default_source
        ),
        metadata=call.metadata,
        timeout=max(call.timeout, 30),
    )
    return _import_out(resp.lead_import)


class RunIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mapping: dict[str, str] = Field(default_factory=dict, description="file column -> lead field")
    max_rows: int = Field(default=1000, ge=1, le=5000)


@router.post(
    "/v1/lead-imports/{import_id}:run",
    openapi_extra={"x-permission": "leads:create"},
    response_model=ImportOut,
    summary="Import the next rows with a column mapping; call until status is done",
)
async def run_import(import_id: str, body: RunIn, call: Call, services: Services) -> ImportOut:
    resp = await services.leads.RunLeadImport(
        pb.RunLeadImportRequest(import_id=import_id, mapping=body.mapping, max_rows=body.max_rows),
        metadata=call.metadata,
        timeout=max(call.timeout, 60),
    )
    return _import_out(resp.lead_import)


@router.get(
    "/v1/lead-imports/{import_id}",
    openapi_extra={"x-permission": "leads:read"},
    response_model=ImportOut,
    summary="Import progress",
)
async def get_import(import_id: str, call: Call, services: Services) -> ImportOut:
    resp = await services.leads.GetLeadImport(
        pb.GetLeadImportRequest(import_id=import_id), metadata=call.metadata, timeout=call.timeout
    )
    return _import_out(resp.lead_import)


class TeamIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    strategy: Literal["round_robin", "least_open"] = "round_robin"
    member_ids: list[str] = Field(min_length=1, max_length=500)


class TeamOut(BaseModel):
    id: str
    name: str
    strategy: str
    member_ids: list[str]


def _team(t: pb.SalesTeam) -> TeamOut:
    return TeamOut(id=t.id, name=t.name, strategy=t.strategy, member_ids=list(t.member_ids))


@router.post(
    "/v1/sales-teams",
    openapi_extra={"x-permission": "leads:create"},
    status_code=201,
    response_model=TeamOut,
    summary="Make a sales team",
)
async def create_team(body: TeamIn, call: Call, services: Services) -> TeamOut:
    resp = await services.leads.CreateSalesTeam(
        pb.CreateSalesTeamRequest(
            name=body.name, strategy=body.strategy, member_ids=body.member_ids
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _team(resp.team)


@router.get(
    "/v1/sales-teams",
    openapi_extra={"x-permission": "leads:read"},
    response_model=list[TeamOut],
    summary="Sales teams",
)
async def list_teams(call: Call, services: Services) -> list[TeamOut]:
    resp = await services.leads.ListSalesTeams(
        pb.ListSalesTeamsRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return [_team(t) for t in resp.teams]


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: int = Field(ge=0)
    name: str = Field(min_length=1, max_length=200)
    source: str | None = Field(default=None, max_length=50)
    product_interest: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=20)
    team_id: str | None = None
    owner_id: str | None = None


class RuleOut(BaseModel):
    id: str
    position: int
    name: str
    source: str | None
    product_interest: str | None
    city: str | None
    language: str | None
    team_id: str | None
    owner_id: str | None


def _rule(r: pb.RoutingRule) -> RuleOut:
    return RuleOut(
        id=r.id,
        position=r.position,
        name=r.name,
        source=r.source or None,
        product_interest=r.product_interest or None,
        city=r.city or None,
        language=r.language or None,
        team_id=r.team_id or None,
        owner_id=r.owner_id or None,
    )


@router.post(
    "/v1/routing-rules",
    openapi_extra={"x-permission": "leads:create"},
    status_code=201,
    response_model=RuleOut,
    summary="Add a routing rule (lowest position is tried first)",
)
async def create_rule(body: RuleIn, call: Call, services: Services) -> RuleOut:
    resp = await services.leads.CreateRoutingRule(
        pb.CreateRoutingRuleRequest(**body.model_dump(exclude_none=True)),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _rule(resp.rule)


@router.get(
    "/v1/routing-rules",
    openapi_extra={"x-permission": "leads:read"},
    response_model=list[RuleOut],
    summary="Routing rules in order",
)
async def list_rules(call: Call, services: Services) -> list[RuleOut]:
    resp = await services.leads.ListRoutingRules(
        pb.ListRoutingRulesRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return [_rule(r) for r in resp.rules]
