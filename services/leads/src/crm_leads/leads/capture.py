"""Public capture: web-to-lead forms and signed inbound webhooks (L1).

Both arrive without a login. The gateway calls with the nil tenant; the key
in the request is looked up under the ``public_key_lookup`` RLS policy (read
only, capture_endpoints only), and the transaction then switches to the key's
tenant before anything is written.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import uuid
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import FieldViolation, InvalidArgument, NotFound, PermissionDenied
from crm_leads.leads import service
from crm_leads.leads.models import CaptureEndpoint, WebhookDelivery
from crm_leads.leads.schemas import NUL, NUL_MESSAGE, LeadCreate

NIL_TENANT = uuid.UUID(int=0)
WEBHOOK_WINDOW_S = 300


def _validate_endpoint(name: str, source: str, sources: set[str]) -> None:
    bad = []
    if not name.strip() or len(name) > 200:
        bad.append(FieldViolation("name", "is required, at most 200 characters"))
    if source.lower() not in sources:
        bad.append(FieldViolation("source", f"must be one of: {', '.join(sorted(sources))}"))
    if bad:
        raise InvalidArgument("the endpoint is not valid", violations=bad)


async def create_web_form(
    session: AsyncSession, tenant_id: uuid.UUID, *, name: str, source: str, campaign: str
) -> CaptureEndpoint:
    source = (source or "web").lower()
    _validate_endpoint(name, source, await service.source_codes(session, tenant_id))
    if len(campaign) > 200:
        raise InvalidArgument(
            "campaign is too long",
            violations=[FieldViolation("campaign", "at most 200 characters")],
        )
    form = CaptureEndpoint(
        tenant_id=tenant_id,
        kind="web_form",
        name=name.strip(),
        key="wf_" + secrets.token_urlsafe(24),
        source=source,
        campaign=campaign.strip() or None,
    )
    session.add(form)
    await session.flush()
    return form


async def create_webhook(
    session: AsyncSession, tenant_id: uuid.UUID, *, name: str, source: str
) -> CaptureEndpoint:
    source = (source or "web").lower()
    _validate_endpoint(name, source, await service.source_codes(session, tenant_id))
    hook = CaptureEndpoint(
        tenant_id=tenant_id,
        kind="webhook",
        name=name.strip(),
        key="wh_" + secrets.token_urlsafe(24),
        secret=secrets.token_hex(32),
        source=source,
    )
    session.add(hook)
    await session.flush()
    return hook


async def _by_key(session: AsyncSession, key: str, kind: str) -> CaptureEndpoint:
    if not key or len(key) > 100:
        raise NotFound("unknown key")
    found = (
        await session.execute(
            select(CaptureEndpoint).where(
                CaptureEndpoint.key == key,
                CaptureEndpoint.kind == kind,
                CaptureEndpoint.active.is_(True),
            )
        )
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("unknown key")
    return found


def _require_public(caller_tenant: uuid.UUID) -> None:
    if caller_tenant != NIL_TENANT:
        raise PermissionDenied(
            "public capture calls are made with the nil tenant", reason="PUBLIC_CALL_ONLY"
        )


async def resolve_web_form(
    session: AsyncSession, caller_tenant: uuid.UUID, form_key: str
) -> CaptureEndpoint:
    _require_public(caller_tenant)
    return await _by_key(session, form_key, "web_form")


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature a sender puts in X-CRM-Signature: hex HMAC-SHA256 of ``ts.body``."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


_WEBHOOK_FIELDS = (
    "name",
    "phone",
    "email",
    "company_name",
    "source",
    "campaign",
    "product_interest",
    "city",
    "language",
)


async def _refuse_replay(
    session: AsyncSession, tenant_id: uuid.UUID, endpoint_id: uuid.UUID, signature: str
) -> None:
    """Record the delivery's signature; the same signed delivery twice is a replay.

    The row is written in the capture's transaction, so a delivery that fails validation
    can be sent again. Rows older than the window are pruned on the way.
    """
    await session.execute(
        delete(WebhookDelivery).where(
            WebhookDelivery.endpoint_id == endpoint_id,
            WebhookDelivery.received_at < func.now() - timedelta(seconds=2 * WEBHOOK_WINDOW_S),
        )
    )
    inserted = await session.execute(
        pg_insert(WebhookDelivery)
        .values(tenant_id=tenant_id, endpoint_id=endpoint_id, signature=signature)
        .on_conflict_do_nothing()
        .returning(WebhookDelivery.signature)
    )
    if inserted.first() is None:
        raise PermissionDenied(
            "this signed delivery was already received (replay)", reason="WEBHOOK_REPLAY"
        )


async def capture_webhook(
    session: AsyncSession,
    caller_tenant: uuid.UUID,
    *,
    endpoint_key: str,
    timestamp: str,
    signature: str,
    body: bytes,
    now: float | None = None,
) -> service.Captured:
    _require_public(caller_tenant)
    hook = await _by_key(session, endpoint_key, "webhook")
    assert hook.secret is not None
    try:
        ts = int(timestamp)
    except ValueError:
        raise PermissionDenied(
            "X-CRM-Timestamp is missing or not unix seconds", reason="WEBHOOK_TIMESTAMP"
        ) from None
    if abs((now if now is not None else time.time()) - ts) > WEBHOOK_WINDOW_S:
        raise PermissionDenied(
            f"X-CRM-Timestamp is outside the {WEBHOOK_WINDOW_S}s window", reason="WEBHOOK_TIMESTAMP"
        )
    if not hmac.compare_digest(sign(hook.secret, timestamp, body), signature.lower()):
        raise PermissionDenied("X-CRM-Signature does not match", reason="WEBHOOK_SIGNATURE")
    try:
        payload = json.loads(body)
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        raise InvalidArgument(
            "the body must be a JSON object",
            violations=[FieldViolation("body", "not a JSON object")],
        ) from None
    tenant_id = hook.tenant_id
    await service.set_session_tenant(session, tenant_id)
    await _refuse_replay(session, tenant_id, hook.id, signature.lower())
    fields = {k: payload.get(k) for k in _WEBHOOK_FIELDS if payload.get(k) not in (None, "")}
    fields = {k: str(v) for k, v in fields.items()}
    utm = payload.get("utm") if isinstance(payload.get("utm"), dict) else {}
    for part in ("source", "medium", "campaign", "term", "content"):
        if utm.get(part):
            fields[f"utm_{part}"] = str(utm[part])
    fields.setdefault("source", hook.source)
    fields.setdefault("name", "")
    if bad := sorted(k for k, v in fields.items() if NUL in v):
        # JSON may spell a NUL as \u0000; refuse it before any query sees it
        raise InvalidArgument(
            "text must not contain NUL characters",
            violations=[FieldViolation(k, NUL_MESSAGE) for k in bad],
        )
    sources = await service.source_codes(session, tenant_id, want=fields["source"])
    data = LeadCreate.parse(sources=sources, channel="webhook", **fields)
    return await service.capture_lead(session=session, tenant_id=tenant_id, data=data)
