"""/v1/reports"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel

from crm.reporting.v1 import reporting_service_pb2 as pb
from crm_gateway.backends import Call, Services
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
