"""/v1/users, /v1/teams and /v1/api-keys of the caller's tenant."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import sqlalchemy as sa
from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy.exc import IntegrityError

from crm_common.db import uuid7
from crm_common.normalize import decode_page_token, encode_page_token
from crm_gateway.access.model import validate_scopes
from crm_gateway.access.routes import requires
from crm_gateway.db import api_keys, teams, users
from crm_gateway.identity import store
from crm_gateway.identity.deps import Authorised, Email, GatewayDb
from crm_gateway.identity.secrets import API_KEY_PREFIX, digest, hash_password, new_opaque
from crm_gateway.problems import ProblemException

router = APIRouter(tags=["users"])


class UserIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "email": "dana@shemesh.co.il",
                    "name": "דנה לוי",
                    "password": "another long passphrase",
                    "roles": ["sales_rep"],
                }
            ]
        },
    )

    email: Email = Field(max_length=320)
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=12, max_length=200)
    roles: list[str] = Field(min_length=1, max_length=20)
    team_id: uuid.UUID | None = None


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    roles: list[str] | None = Field(default=None, min_length=1, max_length=20)
    team_id: uuid.UUID | None = None
    is_active: bool | None = None
    password: str | None = Field(default=None, min_length=12, max_length=200)
    unlock: bool = Field(default=False, description="clear a login lockout")


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    name: str
    roles: list[str]
    team_id: uuid.UUID | None
    is_active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    created_at: dt.datetime


class UserPage(BaseModel):
    items: list[UserOut]
    next_page_token: str | None


class TeamIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)


class TeamOut(BaseModel):
    id: uuid.UUID
    name: str


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "website forms", "scopes": ["leads:create"]}]},
    )

    name: str = Field(min_length=1, max_length=200)
    scopes: list[str] = Field(
        min_length=1, max_length=100, description="'*', '<module>:*' or '<module>:<action>'"
    )

    @field_validator("scopes")
    @classmethod
    def _scopes(cls, value: list[str]) -> list[str]:
        return validate_scopes(value)


class ApiKeyOut(BaseModel):
    id: uuid.UUID
    name: str
    scopes: list[str]
    created_at: dt.datetime
    revoked_at: dt.datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="shown once; only its hash is stored")


def _user_out(row) -> UserOut:
    return UserOut(
        id=row.id,
        email=row.email,
        name=row.name,
        roles=list(row.role_keys),
        team_id=row.team_id,
        is_active=row.is_active,
        locked_until=row.locked_until,
        last_login_at=row.last_login_at,
        created_at=row.created_at,
    )


def _not_found(what: str) -> ProblemException:
    return ProblemException(404, f"{what} not found")


async def _check_refs(s, roles: list[str] | None, team_id: uuid.UUID | None) -> None:
    errors = []
    if roles:
        missing = await store.role_keys_exist(s, roles)
        errors += [{"field": "roles", "detail": f"no role {k!r}"} for k in missing]
    if team_id is not None and not await store.team_exists(s, team_id):
        errors.append({"field": "team_id", "detail": "no such team"})
    if errors:
        raise ProblemException(
            422, "the request is not valid", kind="validation-error", errors=errors
        )


@router.get(
    "/v1/users",
    response_model=UserPage,
    summary="Users of the tenant",
    openapi_extra=requires("settings:read"),
)
async def list_users(
    who: Authorised,
    db: GatewayDb,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=100)] = None,
) -> UserPage:
    q = sa.select(users).order_by(users.c.id).limit(page_size + 1)
    if page_token:
        try:
            q = q.where(users.c.id > decode_page_token(page_token))
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
    return UserPage(
        items=[_user_out(r) for r in rows],
        next_page_token=encode_page_token(rows[-1].id) if more else None,
    )


@router.post(
    "/v1/users",
    response_model=UserOut,
    status_code=201,
    summary="Add a user",
    openapi_extra=requires("settings:manage_users"),
)
async def create_user(body: UserIn, who: Authorised, db: GatewayDb) -> UserOut:
    pw = await hash_password(body.password)
    try:
        async with db.tx(who.tenant_id) as s:
            await _check_refs(s, body.roles, body.team_id)
            row = (
                await s.execute(
                    sa.insert(users)
                    .values(
                        id=uuid7(),
                        tenant_id=who.tenant_id,
                        email=body.email,
                        name=body.name,
                        password_hash=pw,
                        role_keys=body.roles,
                        team_id=body.team_id,
                    )
                    .returning(users)
                )
            ).one()
    except IntegrityError:
        raise ProblemException(
            409, f"a user with email {body.email} exists", kind="already-exists"
        ) from None
    return _user_out(row)


@router.get(
    "/v1/users/{user_id}",
    response_model=UserOut,
    summary="One user",
    openapi_extra=requires("settings:read"),
)
async def get_user(user_id: uuid.UUID, who: Authorised, db: GatewayDb) -> UserOut:
    async with db.tx(who.tenant_id) as s:
        row = (await s.execute(sa.select(users).where(users.c.id == user_id))).first()
    if row is None:
        raise _not_found("user")
    return _user_out(row)


@router.patch(
    "/v1/users/{user_id}",
    response_model=UserOut,
    summary="Change a user's roles, team, status or password; unlock",
    openapi_extra=requires("settings:manage_users"),
)
async def update_user(
    user_id: uuid.UUID, body: UserPatch, who: Authorised, db: GatewayDb
) -> UserOut:
    values: dict = {"updated_at": sa.func.now()}
    if body.name is not None:
        values["name"] = body.name
    if body.roles is not None:
        values["role_keys"] = body.roles
    if "team_id" in body.model_fields_set:
        values["team_id"] = body.team_id
    if body.is_active is not None:
        values["is_active"] = body.is_active
    if body.password is not None:
        values["password_hash"] = await hash_password(body.password)
    if body.unlock:
        values |= {"locked_until": None, "failed_logins": 0}
    async with db.tx(who.tenant_id) as s:
        await _check_refs(s, body.roles, body.team_id)
        row = (
            await s.execute(
                sa.update(users).where(users.c.id == user_id).values(**values).returning(users)
            )
        ).first()
        if row is not None and (
            body.is_active is False or body.password is not None or body.roles is not None
        ):
            await store.revoke_user_sessions(s, user_id)
    if row is None:
        raise _not_found("user")
    return _user_out(row)


@router.get(
    "/v1/teams",
    response_model=list[TeamOut],
    summary="Teams of the tenant",
    openapi_extra=requires("settings:read"),
)
async def list_teams(who: Authorised, db: GatewayDb) -> list[TeamOut]:
    async with db.tx(who.tenant_id) as s:
        rows = (await s.execute(sa.select(teams).order_by(teams.c.name))).all()
    return [TeamOut(id=r.id, name=r.name) for r in rows]


@router.post(
    "/v1/teams",
    response_model=TeamOut,
    status_code=201,
    summary="Add a team",
    openapi_extra=requires("settings:manage_users"),
)
async def create_team(body: TeamIn, who: Authorised, db: GatewayDb) -> TeamOut:
    team_id = uuid7()
    try:
        async with db.tx(who.tenant_id) as s:
            await s.execute(
                sa.insert(teams).values(id=team_id, tenant_id=who.tenant_id, name=body.name)
            )
    except IntegrityError:
        raise ProblemException(409, f"team {body.name!r} exists", kind="already-exists") from None
    return TeamOut(id=team_id, name=body.name)


def _key_out(row) -> ApiKeyOut:
    return ApiKeyOut(
        id=row.id,
        name=row.name,
        scopes=list(row.scopes),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


@router.get(
    "/v1/api-keys",
    response_model=list[ApiKeyOut],
    summary="API keys of the tenant",
    openapi_extra=requires("settings:manage_users"),
)
async def list_keys(who: Authorised, db: GatewayDb) -> list[ApiKeyOut]:
    async with db.tx(who.tenant_id) as s:
        rows = (await s.execute(sa.select(api_keys).order_by(api_keys.c.id))).all()
    return [_key_out(r) for r in rows]


@router.post(
    "/v1/api-keys",
    response_model=ApiKeyCreated,
    status_code=201,
    summary="Create an API key with scopes (the key is shown once)",
    openapi_extra=requires("settings:manage_users"),
)
async def create_key(body: ApiKeyIn, who: Authorised, db: GatewayDb) -> ApiKeyCreated:
    secret = new_opaque(API_KEY_PREFIX, who.tenant_id)
    async with db.tx(who.tenant_id) as s:
        row = (
            await s.execute(
                sa.insert(api_keys)
                .values(
                    id=uuid7(),
                    tenant_id=who.tenant_id,
                    name=body.name,
                    secret_hash=digest(secret),
                    scopes=body.scopes,
                    created_by=who.user_id if who.kind == "user" else None,
                )
                .returning(api_keys)
            )
        ).one()
    return ApiKeyCreated(**_key_out(row).model_dump(), key=secret)


@router.delete(
    "/v1/api-keys/{key_id}",
    status_code=204,
    summary="Revoke an API key",
    openapi_extra=requires("settings:manage_users"),
)
async def revoke_key(
    key_id: uuid.UUID, request: Request, who: Authorised, db: GatewayDb
) -> Response:
    async with db.tx(who.tenant_id) as s:
        row = (
            await s.execute(
                sa.update(api_keys)
                .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=sa.func.now())
                .returning(api_keys.c.id)
            )
        ).first()
    if row is None:
        raise _not_found("API key")
    request.app.state.authenticator.forget_key(key_id)
    return Response(status_code=204)
