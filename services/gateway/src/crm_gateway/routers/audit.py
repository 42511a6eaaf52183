"""/v1/audit: the tenant's audit trails (read only; admins).

``GET /v1/audit`` is the gateway's own trail (one record per mutating request);
``GET /v1/audit/records?service=leads`` reads a service's per-field trail
(``crm.audit.v1.AuditService``: who changed which field of which record, from
what to what). Neither trail has a route that changes or deletes a record.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Annotated, Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Query
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import BaseModel, Field

from crm.audit.v1 import audit_service_pb2 as apb
from crm.audit.v1 import audit_service_pb2_grpc as apb_grpc
from crm_common.normalize import decode_page_token, encode_page_token
from crm_gateway.access.routes import requires
from crm_gateway.backends import Call, Services
from crm_gateway.db import audit_log
from crm_gateway.identity.deps import Authorised, GatewayDb
from crm_gateway.problems import ProblemException

router = APIRouter(prefix="/v1/audit", tags=["audit"])


class AuditRecord(BaseModel):
    id: uuid.UUID
    at: dt.datetime
    actor_type: str
    actor_id: str
    actor_name: str
    user_id: uuid.UUID | None
    client_ip: str | None
    user_agent: str | None
    method: str
    route: str
    path: str
    status: int
    trace_id: str | None
    request_id: str | None
    idempotency_key: str | None
    body_digest: str | None


class AuditPage(BaseModel):
    items: list[AuditRecord]
    next_page_token: str | None


@router.get(
    "",
    response_model=AuditPage,
    summary="Audit records, newest first",
    openapi_extra=requires("settings:read_audit"),
)
async def list_audit(
    who: Authorised,
    db: GatewayDb,
    actor_id: Annotated[str | None, Query(max_length=100)] = None,
    user_id: uuid.UUID | None = None,
    route: Annotated[str | None, Query(max_length=300, description="route template")] = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
    page_token: Annotated[str | None, Query(max_length=100)] = None,
) -> AuditPage:
    c = audit_log.c
    q = sa.select(audit_log).order_by(c.id.desc()).limit(page_size + 1)
    if actor_id:
        q = q.where(c.actor_id == actor_id)
    if user_id:
        q = q.where(c.user_id == user_id)
    if route:
        q = q.where(c.route == route)
    if since:
        q = q.where(c.at >= since)
    if until:
        q = q.where(c.at < until)
    if page_token:
        try:
            q = q.where(c.id < decode_page_token(page_token))
        except ValueError:
            raise ProblemException(
                422,
                "invalid page token",
                kind="validation-error",
                errors=[{"field": "page_token", "detail": "invalid"}],
            ) from None
    async with db.tx(who.tenant_id) as s:
        rows = (await s.execute(q)).all()
    more = len(rows) > page_size
    rows = rows[:page_size]
    return AuditPage(
        items=[AuditRecord.model_validate(r._mapping) for r in rows],
        next_page_token=encode_page_token(rows[-1].id) if more else None,
    )


AUDITED_SERVICES = ("leads", "contacts", "billing", "messaging", "reporting")


class ChangeRecord(BaseModel):
    id: uuid.UUID
    occurred_at: dt.datetime
    actor_kind: str = Field(description="user | api_key | system")
    actor_id: str | None
    origin: str | None = Field(description="the client's address as the gateway saw it")
    request_id: str | None
    trace_id: str | None
    entity: str
    entity_id: str
    action: str
    changes: dict[str, Any] = Field(description="{field: [before, after]}")


class ChangePage(BaseModel):
    items: list[ChangeRecord]
    next_page_token: str | None


def _pb_ts(value: dt.datetime) -> Timestamp:
    ts = Timestamp()
    ts.FromDatetime(value if value.tzinfo else value.replace(tzinfo=dt.UTC))
    return ts


@router.get(
    "/records",
    response_model=ChangePage,
    summary="Per-field change records of one service, newest first",
    openapi_extra=requires("settings:read_audit"),
)
async def list_change_records(
    call: Call,
    services: Services,
    service: Annotated[Literal[AUDITED_SERVICES], Query(description="the service")],  # type: ignore[valid-type]
    entity: Annotated[str | None, Query(max_length=100, description="table, e.g. leads")] = None,
    entity_id: Annotated[str | None, Query(max_length=100)] = None,
    actor_id: Annotated[str | None, Query(max_length=100)] = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
    page_token: Annotated[str | None, Query(max_length=100)] = None,
) -> ChangePage:
    req = apb.ListAuditRecordsRequest(
        entity=entity or "",
        entity_id=entity_id or "",
        actor_id=actor_id or "",
        page_size=page_size,
        page_token=page_token or "",
    )
    if since is not None:
        req.from_time.CopyFrom(_pb_ts(since))
    if until is not None:
        req.to_time.CopyFrom(_pb_ts(until))
    stub = services.stub(service, apb_grpc.AuditServiceStub)
    resp = await stub.ListAuditRecords(req, metadata=call.metadata, timeout=call.timeout)
    return ChangePage(
        items=[
            ChangeRecord(
                id=uuid.UUID(r.id),
                occurred_at=r.occurred_at.ToDatetime(tzinfo=dt.UTC),
                actor_kind=r.actor_kind,
                actor_id=r.actor_id or None,
                origin=r.origin or None,
                request_id=r.request_id or None,
                trace_id=r.trace_id or None,
                entity=r.entity,
                entity_id=r.entity_id,
                action=r.action,
                changes=json.loads(r.changes_json or "{}"),
            )
            for r in resp.records
        ],
        next_page_token=resp.next_page_token or None,
    )
