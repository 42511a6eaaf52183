"""Append-only audit trail of every mutating request, in the gateway database.

The table has a trigger refusing UPDATE, DELETE and TRUNCATE, and RLS per
tenant; the API offers only reads (``GET /v1/audit``, admins).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db import uuid7
from crm_gateway.db import Database, audit_log


@dataclass(frozen=True, slots=True)
class AuditEntry:
    tenant_id: uuid.UUID
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


async def record(db: Database, entry: AuditEntry) -> None:
    async with db.tx(entry.tenant_id) as s:
        await record_in(s, entry)


async def record_in(s: AsyncSession, entry: AuditEntry) -> None:
    """The audit record in the caller's transaction (tenant set)."""
    await s.execute(
        sa.insert(audit_log).values(
            id=uuid7(),
            tenant_id=entry.tenant_id,
            actor_type=entry.actor_type,
            actor_id=entry.actor_id[:100],
            actor_name=entry.actor_name[:200],
            user_id=entry.user_id,
            client_ip=(entry.client_ip or "")[:64] or None,
            user_agent=(entry.user_agent or "")[:300] or None,
            method=entry.method,
            route=entry.route[:300],
            path=entry.path[:1000],
            status=entry.status,
            trace_id=entry.trace_id,
            request_id=(entry.request_id or "")[:200] or None,
            idempotency_key=entry.idempotency_key,
            body_digest=entry.body_digest,
        )
    )
