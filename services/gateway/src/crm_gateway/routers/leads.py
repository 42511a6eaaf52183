"""/v1/leads: capture, list with filters, lifecycle (qualify, assign, merge, convert), timeline."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query, Response
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel, ConfigDict, Field

from crm.leads.v1 import leads_service_pb2 as pb
from crm_gateway.backends import Call, Services

router = APIRouter(prefix="/v1/leads", tags=["leads"])


class LeadStatus(StrEnum):
    new = "new"
    qualified = "qualified"
    disqualified = "disqualified"
    converted = "converted"
    merged = "merged"


_STATUS = {
    pb.LEAD_STATUS_NEW: LeadStatus.new,
    pb.LEAD_STATUS_CONVERTED: LeadStatus.converted,
    pb.LEAD_STATUS_QUALIFIED: LeadStatus.qualified,
    pb.LEAD_STATUS_DISQUALIFIED: LeadStatus.disqualified,
    pb.LEAD_STATUS_MERGED: LeadStatus.merged,
}
_STATUS_PB = {v: k for k, v in _STATUS.items()}
CHANNELS = {
    pb.CAPTURE_CHANNEL_API: "api",
    pb.CAPTURE_CHANNEL_WEB_FORM: "web_form",
    pb.CAPTURE_CHANNEL_WEBHOOK: "webhook",
    pb.CAPTURE_CHANNEL_IMPORT: "import",
    pb.CAPTURE_CHANNEL_MANUAL: "manual",
}
_CHANNELS_PB = {v: k for k, v in CHANNELS.items()}


class Utm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(default=None, max_length=200)
    medium: str | None = Field(default=None, max_length=200)
    campaign: str | None = Field(default=None, max_length=200)
    term: str | None = Field(default=None, max_length=200)
    content: str | None = Field(default=None, max_length=200)


class LeadIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "name": "דנה לוי",
                    "phone": "050-7654321",
                    "email": "dana@example.co.il",
                    "source": "web",
                    "campaign": "spring-2027",
                    "utm": {"source": "google", "medium": "cpc"},
                    "city": "חיפה",
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=40, description="any Israeli format")
    email: str | None = Field(default=None, max_length=320)
    company_name: str | None = Field(default=None, max_length=200)
    source: str = Field(min_length=1, max_length=50, description="one of GET /v1/lead-sources")
    campaign: str | None = Field(default=None, max_length=200)
    product_interest: str | None = Field(default=None, max_length=100)
    city: str | None = Field(default=None, max_length=100)
    language: str | None = Field(default=None, max_length=20)
    utm: Utm | None = None
    channel: Literal["api", "manual"] = "api"
    owner_id: str | None = Field(default=None, description="assign directly, skipping routing")
    note: str | None = Field(default=None, max_length=5000)

    def to_pb(self, channel: str | None = None) -> pb.CreateLeadRequest:
        data = self.model_dump(exclude_none=True, exclude={"utm", "channel"})
        return pb.CreateLeadRequest(
            **data,
            utm=pb.Utm(**self.utm.model_dump(exclude_none=True)) if self.utm else None,
            channel=_CHANNELS_PB[channel or self.channel],
        )


class UtmOut(BaseModel):
    source: str | None
    medium: str | None
    campaign: str | None
    term: str | None
    content: str | None


class LeadOut(BaseModel):
    id: str
    party_id: str
    name: str
    phone: str | None
    email: str | None
    company_name: str | None
    source: str
    campaign: str | None
    status: LeadStatus
    created_at: dt.datetime
    converted_at: dt.datetime | None
    owner_id: str | None = None
    team_id: str | None = None
    product_interest: str | None = None
    city: str | None = None
    language: str | None = None
    utm: UtmOut | None = None
    channel: str | None = None
    merged_into_id: str | None = None
    disqualify_reason: str | None = None
    version: int = 1


class DuplicateOut(BaseModel):
    kind: Literal["lead", "customer"]
    lead_id: str | None
    party_id: str
    name: str
    matched_on: str


class AssignmentOut(BaseModel):
    owner_id: str
    team_id: str | None
    rule_id: str | None
    strategy: str


class LeadCaptured(LeadOut):
    duplicates: list[DuplicateOut] = []
    assignment: AssignmentOut | None = None


class LeadPage(BaseModel):
    items: list[LeadOut]
    next_page_token: str | None


def ts(value: Timestamp, present: bool = True) -> dt.datetime | None:
    return value.ToDatetime(tzinfo=dt.UTC) if present else None


def _n(v: str) -> str | None:
    return v or None


def lead_out(lead: pb.Lead) -> LeadOut:
    return LeadOut(**_lead_fields(lead))


def _lead_fields(lead: pb.Lead) -> dict:
    u = lead.utm
    return dict(
        id=lead.id,
        party_id=lead.party_id,
        name=lead.name,
        phone=_n(lead.phone),
        email=_n(lead.email),
        company_name=_n(lead.company_name),
        source=lead.source,
        campaign=_n(lead.campaign),
        status=_STATUS[lead.status],
        created_at=ts(lead.created_at),
        converted_at=ts(lead.converted_at, lead.HasField("converted_at")),
        owner_id=_n(lead.owner_id),
        team_id=_n(lead.team_id),
        product_interest=_n(lead.product_interest),
        city=_n(lead.city),
        language=_n(lead.language),
        utm=UtmOut(
            source=_n(u.source),
            medium=_n(u.medium),
            campaign=_n(u.campaign),
            term=_n(u.term),
            content=_n(u.content),
        )
        if any((u.source, u.medium, u.campaign, u.term, u.content))
        else None,
        channel=CHANNELS.get(lead.channel),
        merged_into_id=_n(lead.merged_into_id),
        disqualify_reason=_n(lead.disqualify_reason),
        version=lead.version,
    )


def captured_out(lead: pb.Lead, duplicates, assignment: pb.Assignment | None) -> LeadCaptured:
    return LeadCaptured(
        **_lead_fields(lead),
        duplicates=[
            DuplicateOut(
                kind="lead" if d.kind == pb.DUPLICATE_KIND_LEAD else "customer",
                lead_id=_n(d.lead_id),
                party_id=d.party_id,
                name=d.name,
                matched_on=d.matched_on,
            )
            for d in duplicates
        ],
        assignment=AssignmentOut(
            owner_id=assignment.owner_id,
            team_id=_n(assignment.team_id),
            rule_id=_n(assignment.rule_id),
            strategy=assignment.strategy,
        )
        if assignment is not None and assignment.owner_id
        else None,
    )


@router.post(
    "",
    status_code=201,
    response_model=LeadCaptured,
    summary="Capture a lead (duplicate check and routing in the same transaction)",
)
async def create_lead(
    body: LeadIn, call: Call, services: Services, response: Response
) -> LeadCaptured:
    resp = await services.leads.CreateLead(
        body.to_pb(), metadata=call.metadata, timeout=call.timeout
    )
    response.headers["Location"] = f"/v1/leads/{resp.lead.id}"
    return captured_out(
        resp.lead, resp.duplicates, resp.assignment if resp.HasField("assignment") else None
    )


def _pb_ts(value: dt.datetime | None) -> Timestamp | None:
    if value is None:
        return None
    out = Timestamp()
    out.FromDatetime(value if value.tzinfo else value.replace(tzinfo=dt.UTC))
    return out


@router.get("", response_model=LeadPage, summary="List leads with filters, sorting and a cursor")
async def list_leads(
    call: Call,
    services: Services,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=500)] = None,
    status: LeadStatus | None = None,
    owner_id: Annotated[str | None, Query(max_length=36)] = None,
    mine: Annotated[bool, Query(description="only the calling user's leads")] = False,
    source: Annotated[str | None, Query(max_length=50)] = None,
    stage_id: Annotated[str | None, Query(max_length=36)] = None,
    created_after: dt.datetime | None = None,
    created_before: dt.datetime | None = None,
    q: Annotated[str | None, Query(max_length=200, description="name, phone or email")] = None,
    order_by: Annotated[
        Literal["created_at", "created_at asc", "created_at desc", "name", "name asc", "name desc"],
        Query(),
    ] = "created_at",
) -> LeadPage:
    resp = await services.leads.ListLeads(
        pb.ListLeadsRequest(
            page_size=page_size,
            page_token=page_token or "",
            status=_STATUS_PB[status] if status else pb.LEAD_STATUS_UNSPECIFIED,
            owner_id=owner_id or "",
            mine=mine,
            source=source or "",
            stage_id=stage_id or "",
            created_after=_pb_ts(created_after),
            created_before=_pb_ts(created_before),
            query=q or "",
            order_by=order_by,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return LeadPage(
        items=[lead_out(x) for x in resp.leads], next_page_token=resp.next_page_token or None
    )


@router.get("/{lead_id}", response_model=LeadOut, summary="Get a lead")
async def get_lead(lead_id: str, call: Call, services: Services) -> LeadOut:
    resp = await services.leads.GetLead(
        pb.GetLeadRequest(lead_id=lead_id), metadata=call.metadata, timeout=call.timeout
    )
    return lead_out(resp.lead)


class DealDraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(default="", max_length=200)
    amount_agorot: int = Field(ge=0, description="ILS in agorot")
    pipeline_id: str | None = None
    expected_close_date: dt.date | None = None


class ConvertIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    create_account: bool = False
    account_name: str | None = Field(default=None, max_length=200)
    deal: DealDraftIn | None = None


class ConvertOut(LeadOut):
    deal_id: str | None = None


@router.post(
    "/{lead_id}:convert",
    response_model=ConvertOut,
    summary="Convert a lead into a customer with the same party_id (optionally account + deal)",
    responses={409: {"description": "the lead was already converted"}},
)
async def convert_lead(
    lead_id: str, call: Call, services: Services, body: Annotated[ConvertIn | None, Body()] = None
) -> ConvertOut:
    body = body or ConvertIn()
    deal = None
    if body.deal is not None:
        deal = pb.DealDraft(
            title=body.deal.title,
            amount_agorot=body.deal.amount_agorot,
            pipeline_id=body.deal.pipeline_id or "",
            expected_close_date=body.deal.expected_close_date.isoformat()
            if body.deal.expected_close_date
            else "",
        )
    resp = await services.leads.ConvertLead(
        pb.ConvertLeadRequest(
            lead_id=lead_id,
            create_account=body.create_account,
            account_name=body.account_name or "",
            deal=deal,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return ConvertOut(
        **_lead_fields(resp.lead), deal_id=resp.deal.id if resp.HasField("deal") else None
    )


class QualifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    qualified: bool = True
    reason: str = Field(default="", max_length=200)


@router.post("/{lead_id}:qualify", response_model=LeadOut, summary="Qualify or disqualify a lead")
async def qualify_lead(lead_id: str, body: QualifyIn, call: Call, services: Services) -> LeadOut:
    resp = await services.leads.QualifyLead(
        pb.QualifyLeadRequest(lead_id=lead_id, qualified=body.qualified, reason=body.reason),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return lead_out(resp.lead)


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    owner_id: str = Field(max_length=36)


@router.post("/{lead_id}:assign", response_model=LeadOut, summary="Hand a lead to another rep")
async def assign_lead(lead_id: str, body: AssignIn, call: Call, services: Services) -> LeadOut:
    resp = await services.leads.AssignLead(
        pb.AssignLeadRequest(lead_id=lead_id, owner_id=body.owner_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return lead_out(resp.lead)


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    duplicate_lead_id: str = Field(max_length=36)


@router.post(
    "/{lead_id}:merge",
    response_model=LeadOut,
    summary="Merge a duplicate into this lead; both histories are kept",
)
async def merge_leads(lead_id: str, body: MergeIn, call: Call, services: Services) -> LeadOut:
    resp = await services.leads.MergeLeads(
        pb.MergeLeadsRequest(lead_id=lead_id, duplicate_lead_id=body.duplicate_lead_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return lead_out(resp.lead)


class ActivityIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["note", "call", "meeting", "email", "whatsapp", "sms", "task"]
    body: str = Field(min_length=1, max_length=5000)


class ActivityOut(BaseModel):
    id: str
    kind: str
    body: str
    actor_id: str | None
    created_at: dt.datetime


def _activity(a: pb.LeadActivity) -> ActivityOut:
    return ActivityOut(
        id=a.id, kind=a.kind, body=a.body, actor_id=_n(a.actor_id), created_at=ts(a.created_at)
    )


@router.post(
    "/{lead_id}/activities",
    status_code=201,
    response_model=ActivityOut,
    summary="Record an interaction on the lead's timeline",
)
async def add_activity(
    lead_id: str, body: ActivityIn, call: Call, services: Services
) -> ActivityOut:
    resp = await services.leads.AddLeadActivity(
        pb.AddLeadActivityRequest(lead_id=lead_id, kind=body.kind, body=body.body),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return _activity(resp.activity)


@router.get(
    "/{lead_id}/activities", response_model=list[ActivityOut], summary="The lead's timeline"
)
async def list_activities(lead_id: str, call: Call, services: Services) -> list[ActivityOut]:
    resp = await services.leads.ListLeadActivities(
        pb.ListLeadActivitiesRequest(lead_id=lead_id), metadata=call.metadata, timeout=call.timeout
    )
    return [_activity(a) for a in resp.activities]
