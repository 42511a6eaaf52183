"""Outbound webhook deliveries.

* :func:`enqueue` turns one domain event of a tenant into one delivery per active
  subscription whose event types match (``*`` matches all), idempotently per
  (subscription, event id).
* :class:`Dispatcher` sends due deliveries: ``POST`` of the JSON body with

  ``CRM-Webhook-Id`` (event id), ``CRM-Webhook-Timestamp`` (unix seconds) and
  ``CRM-Webhook-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>``;

  any 2xx is success; otherwise the attempt is logged (status code or error,
  duration) and retried after ``BACKOFF_S[attempt]`` with jitter, up to
  ``len(BACKOFF_S) + 1`` attempts, then marked ``failed``. A subscription whose
  attempts failed ``disable_after`` times in a row is disabled, with the reason
  kept on the subscription and an audit record (the notice to the tenant's admins).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import random
import time
import uuid
from collections.abc import Awaitable, Callable

import httpx
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db import uuid7
from crm_gateway import audit
from crm_gateway.db import (
    Database,
    tenants,
    webhook_attempts,
    webhook_deliveries,
    webhook_subscriptions,
)

_log = logging.getLogger(__name__)
BACKOFF_S = (10, 60, 300, 1800, 7200, 21600)
SIGNATURE_HEADER = "CRM-Webhook-Signature"
TIMESTAMP_HEADER = "CRM-Webhook-Timestamp"
ID_HEADER = "CRM-Webhook-Id"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify(
    secret: str, header: str, timestamp: int, body: bytes, *, now: float, tolerance_s: int = 300
) -> bool:
    """What a receiver does (documented in docs/api.md): recompute, compare, check the age."""
    if abs(now - timestamp) > tolerance_s:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def _matches(event_types: list[str], event_type: str) -> bool:
    return "*" in event_types or event_type in event_types


async def enqueue(
    session: AsyncSession,
    *,
    tenant_id: uuid.UUID,
    event_id: uuid.UUID,
    event_type: str,
    occurred_at: dt.datetime,
    data: dict | Callable[[], dict],
) -> int:
    """Deliveries for one event, in the caller's transaction (tenant set). Returns how many.

    ``data`` may be a function making the payload: it is called only when a subscription
    wants the event (a 500-contact import batch costs ~170 ms to turn into JSON)."""
    subs = [
        s
        for s in (
            await session.execute(
                sa.select(webhook_subscriptions.c.id, webhook_subscriptions.c.event_types).where(
                    webhook_subscriptions.c.is_active.is_(True)
                )
            )
        ).all()
        if _matches(list(s.event_types), event_type)
    ]
    if not subs:
        return 0
    if callable(data):
        data = data()
    body = json.dumps(
        {
            "id": str(event_id),
            "type": event_type,
            "tenant_id": str(tenant_id),
            "occurred_at": occurred_at.isoformat(),
            "data": data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    rows = [
        {
            "id": uuid7(),
            "tenant_id": tenant_id,
            "subscription_id": s.id,
            "event_id": event_id,
            "event_type": event_type,
            "body": body,
            "status": "pending",
            "next_attempt_at": sa.func.now(),
        }
        for s in subs
    ]
    result = await session.execute(insert(webhook_deliveries).values(rows).on_conflict_do_nothing())
    return result.rowcount or 0


class Dispatcher:
    def __init__(
        self,
        db: Database,
        *,
        client: httpx.AsyncClient | None = None,
        timeout_s: float = 10.0,
        disable_after: int = 20,
        batch: int = 50,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.db = db
        self.client = client or httpx.AsyncClient(timeout=timeout_s, follow_redirects=False)
        self.disable_after = disable_after
        self.batch = batch
        self.clock = clock
        self.sleep = sleep

    async def run(self, stop: asyncio.Event, poll_s: float = 1.0) -> None:
        while not stop.is_set():
            sent = 0
            try:
                sent = await self.run_once()
            except Exception:
                _log.exception("webhook dispatch round failed")
            if not sent:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), poll_s)

    async def run_once(self, tenant_id: uuid.UUID | None = None) -> int:
        """One round over every tenant (or one) with due deliveries; returns attempts made."""
        if tenant_id is not None:
            return await self._tenant_round(tenant_id)
        async with self.db.tx(None) as s:
            tenant_ids = list((await s.execute(sa.select(tenants.c.id))).scalars())
        made = 0
        for tenant_id in tenant_ids:
            made += await self._tenant_round(tenant_id)
        return made

    async def _tenant_round(self, tenant_id: uuid.UUID) -> int:
        d, sub = webhook_deliveries.c, webhook_subscriptions.c
        async with self.db.tx(tenant_id) as s:
            due = (
                await s.execute(
                    sa.select(webhook_deliveries, sub.url, sub.secret)
                    .join(webhook_subscriptions, sub.id == d.subscription_id)
                    .where(
                        d.status == "pending",
                        d.next_attempt_at <= sa.func.now(),
                        sub.is_active.is_(True),
                    )
                    .order_by(d.next_attempt_at)
                    .limit(self.batch)
                    .with_for_update(of=webhook_deliveries, skip_locked=True)
                )
            ).all()
            for row in due:
                await self._attempt(s, tenant_id, row)
        return len(due)

    async def _attempt(self, s: AsyncSession, tenant_id: uuid.UUID, row) -> None:
        ts = int(self.clock())
        headers = {
            "Content-Type": "application/json",
            ID_HEADER: str(row.event_id),
            TIMESTAMP_HEADER: str(ts),
            SIGNATURE_HEADER: sign(row.secret, ts, row.body),
            "User-Agent": "crm-webhooks/1",
        }
        t0 = time.perf_counter()
        code: int | None = None
        error: str | None = None
        try:
            resp = await self.client.post(row.url, content=row.body, headers=headers)
            code = resp.status_code
            if not 200 <= code < 300:
                error = f"HTTP {code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        ms = int((time.perf_counter() - t0) * 1000)
        await s.execute(
            sa.insert(webhook_attempts).values(
                id=uuid7(),
                tenant_id=tenant_id,
                delivery_id=row.id,
                status_code=code,
                error=error,
                duration_ms=ms,
            )
        )
        attempts = row.attempts + 1
        d, sub = webhook_deliveries.c, webhook_subscriptions.c
        if error is None:
            await s.execute(
                sa.update(webhook_deliveries)
                .where(d.id == row.id)
                .values(
                    status="delivered",
                    attempts=attempts,
                    last_status_code=code,
                    last_error=None,
                    delivered_at=sa.func.now(),
                    next_attempt_at=None,
                )
            )
            await s.execute(
                sa.update(webhook_subscriptions)
                .where(sub.id == row.subscription_id)
                .values(consecutive_failures=0)
            )
            return
        if attempts > len(BACKOFF_S):
            values = {"status": "failed", "next_attempt_at": None}
        else:
            delay = BACKOFF_S[attempts - 1] * random.uniform(0.8, 1.2)
            values = {"next_attempt_at": sa.func.now() + dt.timedelta(seconds=delay)}
        await s.execute(
            sa.update(webhook_deliveries)
            .where(d.id == row.id)
            .values(attempts=attempts, last_status_code=code, last_error=error, **values)
        )
        failures = (
            await s.execute(
                sa.update(webhook_subscriptions)
                .where(sub.id == row.subscription_id)
                .values(consecutive_failures=sub.consecutive_failures + 1)
                .returning(sub.consecutive_failures, sub.is_active)
            )
        ).one()
        if failures.is_active and failures.consecutive_failures >= self.disable_after:
            reason = (
                f"disabled after {failures.consecutive_failures} failed deliveries "
                f"in a row; last: {error}"
            )[:500]
            await s.execute(
                sa.update(webhook_subscriptions)
                .where(sub.id == row.subscription_id)
                .values(is_active=False, disabled_at=sa.func.now(), disabled_reason=reason)
            )
            _log.warning(
                "webhook subscription disabled",
                extra={"subscription": str(row.subscription_id), "reason": reason},
            )
            await audit.record_in(
                s,
                audit.AuditEntry(
                    tenant_id=tenant_id,
                    actor_type="system",
                    actor_id="webhooks",
                    actor_name="webhook dispatcher",
                    user_id=None,
                    client_ip=None,
                    user_agent=None,
                    method="SYSTEM",
                    route="/v1/webhook-subscriptions/{subscription_id}",
                    path=f"/v1/webhook-subscriptions/{row.subscription_id}",
                    status=410,
                    trace_id=None,
                    request_id=None,
                    idempotency_key=None,
                    body_digest=None,
                ),
            )

    async def close(self) -> None:
        await self.client.aclose()
