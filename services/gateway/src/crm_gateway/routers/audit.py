"""/v1/audit: the tenant's audit trail (read only; admins)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query
from pydantic import BaseModel

from crm_common.normalize import decode_page_token, encode_page_token
from crm_gateway.access.routes import requires
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
