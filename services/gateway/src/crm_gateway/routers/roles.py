"""/v1/roles: roles are data (module -> actions, record scope, field rules)."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import IntegrityError

from crm_common.db import uuid7
from crm_gateway.access.model import MODULES, ModulePermission, RolePermissions, actions_of
from crm_gateway.access.routes import requires
from crm_gateway.db import roles
from crm_gateway.identity.deps import Authorised, GatewayDb
from crm_gateway.problems import ProblemException

router = APIRouter(prefix="/v1/roles", tags=["roles"])


class RoleIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "key": "field_technician",
                    "name": "טכנאי שטח",
                    "permissions": {
                        "contacts": {"actions": ["read"], "scope": "own"},
                        "billing": {
                            "actions": ["read"],
                            "scope": "own",
                            "fields": {"cost_price": "hidden"},
                        },
                    },
                }
            ]
        },
    )

    key: str = Field(min_length=2, max_length=63, pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1, max_length=200)
    permissions: dict[str, ModulePermission] = Field(
        description=f"module ({', '.join(MODULES)}) -> actions, scope, field rules"
    )


class RoleOut(BaseModel):
    id: uuid.UUID
    key: str
    name: str
    permissions: dict
    is_default: bool
    updated_at: dt.datetime


class Catalogue(BaseModel):
    modules: dict[str, list[str]]
    scopes: list[str]
    field_rules: list[str]


def _validated(body: RoleIn) -> dict:
    try:
        RolePermissions(modules=body.permissions)
    except ValueError as exc:
        raise ProblemException(
            422,
            "the request is not valid",
            kind="validation-error",
            errors=[{"field": "permissions", "detail": str(exc).splitlines()[-1].strip()}],
        ) from None
    return {m: p.model_dump() for m, p in body.permissions.items()}


def _out(row) -> RoleOut:
    return RoleOut(
        id=row.id,
        key=row.key,
        name=row.name,
        permissions=row.permissions,
        is_default=row.is_default,
        updated_at=row.updated_at,
    )


@router.get(
    "/catalogue",
    response_model=Catalogue,
    summary="Modules, actions, scopes",
    openapi_extra=requires("settings:read"),
)
async def catalogue(who: Authorised) -> Catalogue:
    return Catalogue(
        modules={m: list(actions_of(m)) for m in MODULES},
        scopes=["own", "team", "all"],
        field_rules=["hidden", "read_only"],
    )


@router.get(
    "",
    response_model=list[RoleOut],
    summary="Roles of the tenant",
    openapi_extra=requires("settings:read"),
)
async def list_roles(who: Authorised, db: GatewayDb) -> list[RoleOut]:
    async with db.tx(who.tenant_id) as s:
        rows = (await s.execute(sa.select(roles).order_by(roles.c.key))).all()
    return [_out(r) for r in rows]


@router.post(
    "",
    response_model=RoleOut,
    status_code=201,
    summary="Add a role",
    openapi_extra=requires("settings:manage_roles"),
)
async def create_role(body: RoleIn, request: Request, who: Authorised, db: GatewayDb) -> RoleOut:
    perms = _validated(body)
    try:
        async with db.tx(who.tenant_id) as s:
            row = (
                await s.execute(
                    sa.insert(roles)
                    .values(
                        id=uuid7(),
                        tenant_id=who.tenant_id,
                        key=body.key,
                        name=body.name,
                        permissions=perms,
                    )
                    .returning(roles)
                )
            ).one()
    except IntegrityError:
        raise ProblemException(409, f"role {body.key!r} exists", kind="already-exists") from None
    request.app.state.authenticator.role_cache.forget(who.tenant_id)
    return _out(row)


@router.put(
    "/{role_id}",
    response_model=RoleOut,
    summary="Replace a role's name and permissions",
    openapi_extra=requires("settings:manage_roles"),
)
async def replace_role(
    role_id: uuid.UUID, body: RoleIn, request: Request, who: Authorised, db: GatewayDb
) -> RoleOut:
    perms = _validated(body)
    async with db.tx(who.tenant_id) as s:
        current = (await s.execute(sa.select(roles).where(roles.c.id == role_id))).first()
        if current is None:
            raise ProblemException(404, "role not found")
        if current.key == "admin" or body.key != current.key:
            raise ProblemException(
                409, "the admin role and role keys cannot be changed", kind="failed-precondition"
            )
        row = (
            await s.execute(
                sa.update(roles)
                .where(roles.c.id == role_id)
                .values(name=body.name, permissions=perms, updated_at=sa.func.now())
                .returning(roles)
            )
        ).one()
    request.app.state.authenticator.role_cache.forget(who.tenant_id)
    return _out(row)
