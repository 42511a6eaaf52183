"""``Idempotency-Key`` on POST: the first result is stored and replayed.

Keys are scoped by tenant and credential. The stored request digest covers
method, path and body: the same key with another request is refused (422).
A request still running under the key answers 409; a 5xx result is not kept
(the client may retry with the same key).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from crm_gateway.db import Database, idempotency_keys

# A request that started this long ago without finishing (a crashed replica) no
# longer blocks its key.
STALE_IN_PROGRESS = dt.timedelta(minutes=2)
KEPT_HEADERS = ("content-type", "location")


def request_digest(method: str, path: str, body: bytes) -> bytes:
    h = hashlib.sha256()
    for part in (method.encode(), b"\0", path.encode(), b"\0", body):
        h.update(part)
    return h.digest()


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: Literal["new", "replay", "mismatch", "in_progress"]
    status: int | None = None
    headers: dict[str, str] | None = None
    body: bytes | None = None


async def begin(
    db: Database,
    tenant_id: uuid.UUID,
    principal: str,
    key: str,
    digest: bytes,
    ttl_s: int,
) -> Outcome:
    c = idempotency_keys.c
    async with db.tx(tenant_id) as s:
        inserted = (
            await s.execute(
                insert(idempotency_keys)
                .values(tenant_id=tenant_id, principal=principal, key=key, request_digest=digest)
                .on_conflict_do_nothing()
                .returning(c.key)
            )
        ).first()
        if inserted is not None:
            return Outcome("new")
        where = (c.tenant_id == tenant_id) & (c.principal == principal) & (c.key == key)
        row = (await s.execute(sa.select(idempotency_keys).where(where).with_for_update())).one()
        now = dt.datetime.now(dt.UTC)
        expired = row.created_at < now - dt.timedelta(seconds=ttl_s)
        stale = row.status is None and row.created_at < now - STALE_IN_PROGRESS
        if expired or stale:
            await s.execute(
                sa.update(idempotency_keys)
                .where(where)
                .values(
                    request_digest=digest,
                    status=None,
                    response_headers=None,
                    response_body=None,
                    created_at=sa.func.now(),
                )
            )
            return Outcome("new")
        if row.request_digest != digest:
            return Outcome("mismatch")
        if row.status is None:
            return Outcome("in_progress")
        return Outcome("replay", row.status, dict(row.response_headers or {}), row.response_body)


async def finish(
    db: Database,
    tenant_id: uuid.UUID,
    principal: str,
    key: str,
    status: int,
    headers: dict[str, str],
    body: bytes,
) -> None:
    c = idempotency_keys.c
    where = (c.tenant_id == tenant_id) & (c.principal == principal) & (c.key == key)
    async with db.tx(tenant_id) as s:
        if status >= 500:
            await s.execute(sa.delete(idempotency_keys).where(where))
            return
        kept = {k: v for k, v in headers.items() if k in KEPT_HEADERS}
        await s.execute(
            sa.update(idempotency_keys)
            .where(where)
            .values(status=status, response_headers=kept, response_body=body)
        )
