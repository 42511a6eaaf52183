"""/v1/webhook-subscriptions: outbound webhooks of the caller's tenant (A3)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import secrets
import uuid
from typing import Annotated
from urllib.parse import urlsplit

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from crm_common.db import uuid7
from crm_common.normalize import decode_page_token, encode_page_token
from crm_gateway.access.routes import requires
from crm_gateway.db import webhook_attempts, webhook_deliveries, webhook_subscriptions
from crm_gateway.identity.deps import Authorised, GatewayDb
from crm_gateway.problems import ProblemException

router = APIRouter(prefix="/v1/webhook-subscriptions", tags=["webhooks"])
MANAGE = requires("settings:manage_webhooks")


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://erp.example.co.il/crm-hook",
                    "event_types": ["lead.captured", "document.issued"],
                    "description": "ERP sync",
                }
            ]
        },
    )

    url: str = Field(min_length=8, max_length=2000)
    event_types: list[str] = Field(
        min_length=1, max_length=100, description="event types (noun.past_verb) or '*'"
    )
    description: str | None = Field(default=None, max_length=200)


class SubscriptionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, min_length=8, max_length=2000)
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=100)
    is_active: bool | None = Field(default=None, description="true re-enables a disabled one")


class SubscriptionOut(BaseModel):
    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str | None
    is_active: bool
    consecutive_failures: int
    disabled_at: dt.datetime | None
    disabled_reason: str | None
    created_at: dt.datetime


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="HMAC key of the signatures; shown on creation")


class Attempt(BaseModel):
    at: dt.datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    id: uuid.UUID
    event_id: uuid.UUID
    event_type: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    log: list[Attempt] = Field(default_factory=list)


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_page_token: str | None


def _check_url(request: Request, url: str) -> str:
    parts = urlsplit(url)
    allow_private = request.app.state.settings.webhooks_allow_private_targets
    if parts.scheme not in ("https", "http") or not parts.hostname:
        bad = "must be an absolute http(s) URL"
    elif parts.scheme == "http" and not allow_private:
        bad = "must use https"
    else:
        bad = None
        host = parts.hostname
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            ip = None
        private = (ip is not None and not ip.is_global) or host in ("localhost",)
        if private and not allow_private:
            bad = "must not point at a private or local address"
    if bad:
        raise ProblemException(
            422,
            "the request is not valid",
            kind="validation-error",
            errors=[{"field": "url", "detail": bad}],
        )
    return url


def _out(row) -> SubscriptionOut:
    return SubscriptionOut(
        id=row.id,
        url=row.url,
        event_types=list(row.event_types),
        description=row.description,
        is_active=row.is_active,
        consecutive_failures=row.consecutive_failures,
        disabled_at=row.disabled_at,
        disabled_reason=row.disabled_reason,
        created_at=row.created_at,
    )


def _not_found() -> ProblemException:
    return ProblemException(404, "webhook subscription not found")


@router.post(
    "",
    response_model=SubscriptionCreated,
    status_code=201,
    summary="Subscribe a URL to event types",
    openapi_extra=MANAGE,
)
async def create(
    body: SubscriptionIn, request: Request, who: Authorised, db: GatewayDb
) -> SubscriptionCreated:
    url = _check_url(request, body.url)
    secret = "whsec_" + secrets.token_urlsafe(32)
    async with db.tx(who.tenant_id) as s:
        row = (
            await s.execute(
                sa.insert(webhook_subscriptions)
                .values(
                    id=uuid7(),
                    tenant_id=who.tenant_id,
                    url=url,
                    event_types=body.event_types,
                    description=body.description,
                    secret=secret,
                )
                .returning(webhook_subscriptions)
            )
        ).one()
    return SubscriptionCreated(**_out(row).model_dump(), secret=secret)


@router.get(
    "", response_model=list[SubscriptionOut], summary="Webhook subscriptions", openapi_extra=MANAGE
)
async def list_(who: Authorised, db: GatewayDb) -> list[SubscriptionOut]:
    async with db.tx(who.tenant_id) as s:
        rows = (
            await s.execute(sa.select(webhook_subscriptions).order_by(webhook_subscriptions.c.id))
        ).all()
    return [_out(r) for r in rows]


@router.get(
    "/{subscription_id}",
    response_model=SubscriptionOut,
    summary="One subscription (disabled ones say why)",
    openapi_extra=MANAGE,
)
async def get(subscription_id: uuid.UUID, who: Authorised, db: GatewayDb) -> SubscriptionOut:
    async with db.tx(who.tenant_id) as s:
        row = (
            await s.execute(
                sa.select(webhook_subscriptions).where(
                    webhook_subscriptions.c.id == subscription_id
                )
            )
        ).first()
    if row is None:
        raise _not_found()
    return _out(row)


@router.patch(
    "/{subscription_id}",
    response_model=SubscriptionOut,
    summary="Change URL or event types; disable or re-enable",
    openapi_extra=MANAGE,
)
async def update(
    subscription_id: uuid.UUID,
    body: SubscriptionPatch,
    request: Request,
    who: Authorised,
    db: GatewayDb,
) -> SubscriptionOut:
    values: dict = {}
    if body.url is not None:
        values["url"] = _check_url(request, body.url)
    if body.event_types is not None:
        values["event_types"] = body.event_types
    if body.is_active is True:
        values |= {
            "is_active": True,
            "consecutive_failures": 0,
            "disabled_at": None,
            "disabled_reason": None,
        }
    elif body.is_active is False:
        values |= {
            "is_active": False,
            "disabled_at": sa.func.now(),
            "disabled_reason": "disabled by a user",
        }
    async with db.tx(who.tenant_id) as s:
        q = sa.update(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id)
        if values:
            row = (await s.execute(q.values(**values).returning(webhook_subscriptions))).first()
        else:
            row = (
                await s.execute(
                    sa.select(webhook_subscriptions).where(
                        webhook_subscriptions.c.id == subscription_id
                    )
                )
            ).first()
    if row is None:
        raise _not_found()
    return _out(row)


def _delivery(row, log: list[Attempt] | None = None) -> DeliveryOut:
    return DeliveryOut(
        id=row.id,
        event_id=row.event_id,
        event_type=row.event_type,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_status_code=row.last_status_code,
        last_error=row.last_error,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
        log=log or [],
    )


@router.get(
    "/{subscription_id}/deliveries",
    response_model=DeliveryPage,
    summary="Deliveries of a subscription with their attempts, newest first",
    openapi_extra=MANAGE,
)
async def deliveries(
    subscription_id: uuid.UUID,
    who: Authorised,
    db: GatewayDb,
    status: Annotated[str | None, Query(pattern="^(pending|delivered|failed)$")] = None,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=100)] = None,
) -> DeliveryPage:
    d = webhook_deliveries.c
    q = (
        sa.select(webhook_deliveries)
        .where(d.subscription_id == subscription_id)
        .order_by(d.id.desc())
        .limit(page_size + 1)
    )
    if status:
        q = q.where(d.status == status)
    if page_token:
        try:
            q = q.where(d.id < decode_page_token(page_token))
        except ValueError:
            raise ProblemException(
                422,
                "invalid page token",
                kind="validation-error",
                errors=[{"field": "page_token", "detail": "invalid"}],
            ) from None
    async with db.tx(who.tenant_id) as s:
        exists = (
            await s.execute(
                sa.select(webhook_subscriptions.c.id).where(
                    webhook_subscriptions.c.id == subscription_id
                )
            )
        ).first()
        if exists is None:
            raise _not_found()
        rows = (await s.execute(q)).all()
        more = len(rows) > page_size
        rows = rows[:page_size]
        logs: dict[uuid.UUID, list[Attempt]] = {r.id: [] for r in rows}
        if rows:
            a = webhook_attempts.c
            for att in (
                await s.execute(
                    sa.select(webhook_attempts).where(a.delivery_id.in_(list(logs))).order_by(a.id)
                )
            ).all():
                logs[att.delivery_id].append(
                    Attempt(
                        at=att.at,
                        status_code=att.status_code,
                        error=att.error,
                        duration_ms=att.duration_ms,
                    )
                )
    return DeliveryPage(
        items=[_delivery(r, logs[r.id]) for r in rows],
        next_page_token=encode_page_token(rows[-1].id) if more else None,
    )


@router.post(
    "/{subscription_id}/deliveries/{delivery_id}:replay",
    response_model=DeliveryOut,
    summary="Send a delivery again (whatever its state)",
    openapi_extra=MANAGE,
)
async def replay(
    subscription_id: uuid.UUID, delivery_id: uuid.UUID, who: Authorised, db: GatewayDb
) -> DeliveryOut:
    d = webhook_deliveries.c
    async with db.tx(who.tenant_id) as s:
        row = (
            await s.execute(
                sa.update(webhook_deliveries)
                .where(d.id == delivery_id, d.subscription_id == subscription_id)
                .values(status="pending", attempts=0, next_attempt_at=sa.func.now())
                .returning(webhook_deliveries)
            )
        ).first()
    if row is None:
        raise ProblemException(404, "delivery not found")
    return _delivery(row)
