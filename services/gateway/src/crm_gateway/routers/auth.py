"""/v1/tenants (sign-up) and /v1/auth (login, refresh, logout, me)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, field_validator

from crm_common.tenants import DEFAULT_TIME_ZONE, valid_time_zone
from crm_gateway import audit
from crm_gateway.identity import store
from crm_gateway.identity.deps import Authenticated, Email, GatewayDb
from crm_gateway.identity.secrets import AccessClaims, Keyring

router = APIRouter(tags=["auth"])

PUBLIC = {"security": []}


class SignUpIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "slug": "shemesh-solar",
                    "name": 'שמש אנרגיה סולארית בע"מ',
                    "admin_email": "owner@shemesh.co.il",
                    "admin_name": "יוסי כהן",
                    "password": "a long passphrase 2027",
                    "time_zone": "Asia/Jerusalem",
                }
            ]
        },
    )

    slug: str = Field(
        min_length=3,
        max_length=63,
        pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$",
        description="the tenant's login name: lower-case letters, digits and dashes",
    )
    name: str = Field(min_length=1, max_length=200)
    admin_email: Email = Field(max_length=320)
    admin_name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=12, max_length=200)
    time_zone: str = Field(
        default=DEFAULT_TIME_ZONE,
        max_length=64,
        description="the tenant's IANA time zone: daily jobs (birthdays, recurring charges) "
        "run at local times in it",
        examples=["Asia/Jerusalem"],
    )

    @field_validator("time_zone")
    @classmethod
    def _iana_zone(cls, value: str) -> str:
        if not valid_time_zone(value):
            raise ValueError("must be an IANA time zone name, e.g. Asia/Jerusalem")
        return value


class Tokens(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int = Field(description="seconds the access token is valid")
    refresh_token: str


class SignUpOut(BaseModel):
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    tokens: Tokens


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tenant: str = Field(min_length=1, max_length=63, description="the tenant's slug")
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=200)


class RefreshIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=10, max_length=300)


class Me(BaseModel):
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    kind: str
    team_id: uuid.UUID | None
    roles: list[str]
    permissions: dict[str, dict]


def _tokens(request: Request, claims: AccessClaims, refresh_token: str) -> Tokens:
    keyring: Keyring = request.app.state.keyring
    token, ttl = keyring.issue(claims)
    return Tokens(access_token=token, expires_in=ttl, refresh_token=refresh_token)


@router.post(
    "/v1/tenants",
    response_model=SignUpOut,
    status_code=201,
    summary="Sign up: a new tenant with the default roles and its admin user",
    openapi_extra=PUBLIC,
)
async def sign_up(body: SignUpIn, request: Request, db: GatewayDb) -> SignUpOut:
    settings = request.app.state.settings
    tenant_id, user_id = await store.sign_up(
        db,
        slug=body.slug,
        name=body.name,
        admin_email=body.admin_email,
        admin_name=body.admin_name,
        password=body.password,
        time_zone=body.time_zone,
    )
    result = await store.login(
        db,
        tenant_slug=body.slug,
        email=body.admin_email,
        password=body.password,
        max_failures=settings.login_max_failures,
        lockout_s=settings.login_lockout_s,
        refresh_ttl_s=settings.refresh_token_ttl_s,
    )
    client = request.client
    await audit.record(
        db,
        audit.AuditEntry(
            tenant_id=tenant_id,
            actor_type="user",
            actor_id=f"user:{user_id}",
            actor_name=body.admin_name,
            user_id=user_id,
            client_ip=client.host if client else None,
            user_agent=request.headers.get("user-agent"),
            method="POST",
            route="/v1/tenants",
            path="/v1/tenants",
            status=201,
            trace_id=None,
            request_id=request.headers.get("x-request-id"),
            idempotency_key=None,
            body_digest=None,
        ),
    )
    return SignUpOut(
        tenant_id=tenant_id,
        user_id=user_id,
        tokens=_tokens(request, result.claims, result.refresh_token),
    )


@router.post(
    "/v1/auth/login",
    response_model=Tokens,
    summary="Log in with email and password (lockout after repeated failures)",
    openapi_extra=PUBLIC,
)
async def login(body: LoginIn, request: Request, db: GatewayDb) -> Tokens:
    settings = request.app.state.settings
    result = await store.login(
        db,
        tenant_slug=body.tenant,
        email=body.email.strip().lower(),
        password=body.password,
        max_failures=settings.login_max_failures,
        lockout_s=settings.login_lockout_s,
        refresh_ttl_s=settings.refresh_token_ttl_s,
    )
    return _tokens(request, result.claims, result.refresh_token)


@router.post(
    "/v1/auth/refresh",
    response_model=Tokens,
    summary="Exchange a refresh token for new tokens (rotation; reuse revokes the login)",
    openapi_extra=PUBLIC,
)
async def refresh(body: RefreshIn, request: Request, db: GatewayDb) -> Tokens:
    settings = request.app.state.settings
    result = await store.refresh(db, body.refresh_token, settings.refresh_token_ttl_s)
    return _tokens(request, result.claims, result.refresh_token)


@router.post(
    "/v1/auth/logout",
    status_code=204,
    summary="Revoke a refresh token and every token rotated from the same login",
    openapi_extra=PUBLIC,
)
async def logout(body: RefreshIn, db: GatewayDb) -> None:
    await store.revoke(db, body.refresh_token)


@router.get("/v1/auth/me", response_model=Me, summary="Who am I: roles and effective permissions")
async def me(who: Authenticated) -> Me:
    return Me(
        tenant_id=who.tenant_id,
        user_id=who.user_id,
        name=who.name,
        kind=who.kind,
        team_id=who.team_id,
        roles=list(who.roles),
        permissions={
            m: {"actions": sorted(g.actions), "scope": g.scope, "fields": g.fields}
            for m, g in who.grants.modules.items()
        }
        | ({"*": {"actions": ["*"], "scope": "all", "fields": {}}} if who.grants.superuser else {}),
    )
