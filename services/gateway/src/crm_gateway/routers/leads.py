"""/v1/leads"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Response
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel, ConfigDict, Field

from crm.leads.v1 import leads_service_pb2 as pb
from crm_gateway.backends import Call, Services

router = APIRouter(prefix="/v1/leads", tags=["leads"])


class LeadStatus(StrEnum):
    new = "new"
    converted = "converted"


_STATUS = {pb.LEAD_STATUS_NEW: LeadStatus.new, pb.LEAD_STATUS_CONVERTED: LeadStatus.converted}
_STATUS_PB = {v: k for k, v in _STATUS.items()}


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
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=40, description="any Israeli format")
    email: str | None = Field(default=None, max_length=320)
    company_name: str | None = Field(default=None, max_length=200)
    source: str = Field(min_length=1, max_length=50, description="web, radio, referral, ...")
    campaign: str | None = Field(default=None, max_length=200)


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


class LeadPage(BaseModel):
    items: list[LeadOut]
    next_page_token: str | None


def ts(value: Timestamp, present: bool = True) -> dt.datetime | None:
    return value.ToDatetime(tzinfo=dt.UTC) if present else None


def lead_out(lead: pb.Lead) -> LeadOut:
    return LeadOut(
        id=lead.id,
        party_id=lead.party_id,
        name=lead.name,
        phone=lead.phone or None,
        email=lead.email or None,
        company_name=lead.company_name or None,
        source=lead.source,
        campaign=lead.campaign or None,
        status=_STATUS[lead.status],
        created_at=ts(lead.created_at),
        converted_at=ts(lead.converted_at, lead.HasField("converted_at")),
    )


@router.post("", status_code=201, response_model=LeadOut, summary="Capture a lead")
async def create_lead(body: LeadIn, call: Call, services: Services, response: Response) -> LeadOut:
    resp = await services.leads.CreateLead(
        pb.CreateLeadRequest(**body.model_dump(exclude_none=True)),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    response.headers["Location"] = f"/v1/leads/{resp.lead.id}"
    return lead_out(resp.lead)


@router.get("", response_model=LeadPage, summary="List leads, newest first")
async def list_leads(
    call: Call,
    services: Services,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=100)] = None,
    status: LeadStatus | None = None,
) -> LeadPage:
    resp = await services.leads.ListLeads(
        pb.ListLeadsRequest(
            page_size=page_size,
            page_token=page_token or "",
            status=_STATUS_PB[status] if status else pb.LEAD_STATUS_UNSPECIFIED,
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


@router.post(
    "/{lead_id}:convert",
    response_model=LeadOut,
    summary="Convert a lead into a customer with the same party_id",
    responses={409: {"description": "the lead was already converted"}},
)
async def convert_lead(lead_id: str, call: Call, services: Services) -> LeadOut:
    resp = await services.leads.ConvertLead(
        pb.ConvertLeadRequest(lead_id=lead_id), metadata=call.metadata, timeout=call.timeout
    )
    return lead_out(resp.lead)
