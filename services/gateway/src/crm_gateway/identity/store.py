"""Identity queries: sign-up, login with lockout, refresh-token rotation, users, roles, keys."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from crm.events.gateway.v1 import tenant_events_pb2 as tenant_ev
from crm_common.db import uuid7
from crm_common.outbox import add_event
from crm_common.tenants import DEFAULT_CURRENCY, DEFAULT_LOCALE, DEFAULT_TIME_ZONE, TENANT_TOPIC
from crm_gateway.access.model import DEFAULT_ROLES
from crm_gateway.db import Database, refresh_tokens, roles, teams, tenants, users
from crm_gateway.identity.secrets import (
    REFRESH_PREFIX,
    AccessClaims,
    digest,
    hash_password,
    new_opaque,
    tenant_of_opaque,
    verify_password,
)
from crm_gateway.problems import ProblemException


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class LoginResult:
    claims: AccessClaims
    refresh_token: str


async def tenant_by_slug(db: Database, slug: str) -> uuid.UUID | None:
    async with db.tx(None) as s:
        return (await s.execute(sa.select(tenants.c.id).where(tenants.c.slug == slug))).scalar()


async def sign_up(
    db: Database,
    *,
    slug: str,
    name: str,
    admin_email: str,
    admin_name: str,
    password: str,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> tuple[uuid.UUID, uuid.UUID]:
    """A tenant with the default roles and its first admin user, in one transaction,
    which also writes ``TenantCreated`` to the outbox: every service consumes it and
    gives the tenant its defaults (A2)."""
    tenant_id = uuid7()
    user_id = uuid7()
    created_at = _now()
    pw = await hash_password(password)
    try:
        async with db.tx(tenant_id) as s:
            await s.execute(
                sa.insert(tenants).values(id=tenant_id, tenant_id=tenant_id, slug=slug, name=name)
            )
            await s.execute(
                sa.insert(roles),
                [
                    {
                        "id": uuid7(),
                        "tenant_id": tenant_id,
                        "key": key,
                        "name": title,
                        "permissions": perms,
                        "is_default": True,
                    }
                    for key, (title, perms) in DEFAULT_ROLES.items()
                ],
            )
            await s.execute(
                sa.insert(users).values(
                    id=user_id,
                    tenant_id=tenant_id,
                    email=admin_email,
                    name=admin_name,
                    password_hash=pw,
                    role_keys=["admin"],
                )
            )
            event = tenant_ev.TenantCreated(
                tenant_id=str(tenant_id),
                name=name,
                slug=slug,
                time_zone=time_zone,
                locale=DEFAULT_LOCALE,
                currency=DEFAULT_CURRENCY,
                admin_user_id=str(user_id),
            )
            event.created_at.FromDatetime(created_at)
            await add_event(
                s,
                topic=TENANT_TOPIC,
                aggregate_type="tenant",
                aggregate_id=tenant_id,
                tenant_id=tenant_id,
                event=event,
                occurred_at=created_at,
            )
    except IntegrityError:
        raise ProblemException(
            409,
            f"the tenant name {slug!r} is taken",
            kind="already-exists",
            errors=[{"field": "slug", "detail": "taken"}],
        ) from None
    return tenant_id, user_id


async def _issue_refresh(
    s, tenant_id: uuid.UUID, user_id: uuid.UUID, family: uuid.UUID, ttl_s: int
) -> str:
    token = new_opaque(REFRESH_PREFIX, tenant_id)
    await s.execute(
        sa.insert(refresh_tokens).values(
            id=uuid7(),
            tenant_id=tenant_id,
            user_id=user_id,
            family_id=family,
            token_hash=digest(token),
            expires_at=_now() + dt.timedelta(seconds=ttl_s),
        )
    )
    return token


def _claims(row) -> AccessClaims:
    return AccessClaims(
        tenant_id=row.tenant_id,
        user_id=row.id,
        name=row.name,
        team_id=row.team_id,
        roles=tuple(row.role_keys),
    )


_BAD_LOGIN = "wrong tenant, email or password"


async def login(
    db: Database,
    *,
    tenant_slug: str,
    email: str,
    password: str,
    max_failures: int,
    lockout_s: int,
    refresh_ttl_s: int,
) -> LoginResult:
    tenant_id = await tenant_by_slug(db, tenant_slug)
    if tenant_id is None:
        await verify_password(None, password)  # same time as a wrong password
        raise ProblemException(401, _BAD_LOGIN, kind="invalid-credentials")
    error: ProblemException | None = None
    async with db.tx(tenant_id) as s:
        row = (
            await s.execute(
                sa.select(users).where(users.c.email == email.lower()).with_for_update()
            )
        ).first()
        now = _now()
        if row is not None and row.locked_until is not None and row.locked_until > now:
            raise ProblemException(
                423,
                "too many failed logins: the account is locked until "
                f"{row.locked_until.isoformat(timespec='seconds')}",
                kind="account-locked",
            )
        ok = await verify_password(row.password_hash if row else None, password)
        if row is None or not ok or not row.is_active:
            if row is not None:
                failures = row.failed_logins + 1
                values: dict = {"failed_logins": failures}
                if failures >= max_failures:
                    values = {
                        "failed_logins": 0,
                        "locked_until": now + dt.timedelta(seconds=lockout_s),
                    }
                await s.execute(sa.update(users).where(users.c.id == row.id).values(**values))
            # Raised after the commit, so the failure count is kept.
            error = ProblemException(401, _BAD_LOGIN, kind="invalid-credentials")
        else:
            await s.execute(
                sa.update(users)
                .where(users.c.id == row.id)
                .values(failed_logins=0, locked_until=None, last_login_at=now)
            )
            token = await _issue_refresh(s, tenant_id, row.id, uuid7(), refresh_ttl_s)
            result = LoginResult(_claims(row), token)
    if error is not None:
        raise error
    return result


async def refresh(db: Database, token: str, ttl_s: int) -> LoginResult:
    """Rotate a refresh token. Presenting a used one revokes its whole family (theft)."""
    invalid = ProblemException(401, "invalid or expired refresh token", kind="invalid-token")
    tenant_id = tenant_of_opaque(REFRESH_PREFIX, token)
    if tenant_id is None:
        raise invalid
    revoked = False
    async with db.tx(tenant_id) as s:
        row = (
            await s.execute(
                sa.select(refresh_tokens)
                .where(refresh_tokens.c.token_hash == digest(token))
                .with_for_update()
            )
        ).first()
        if row is None or row.revoked_at is not None or row.expires_at <= _now():
            raise invalid
        if row.used_at is not None:
            await s.execute(
                sa.update(refresh_tokens)
                .where(refresh_tokens.c.family_id == row.family_id)
                .values(revoked_at=_now())
            )
            revoked = True
        else:
            user = (await s.execute(sa.select(users).where(users.c.id == row.user_id))).one()
            if not user.is_active:
                raise invalid
            await s.execute(
                sa.update(refresh_tokens)
                .where(refresh_tokens.c.id == row.id)
                .values(used_at=_now())
            )
            new = await _issue_refresh(s, tenant_id, user.id, row.family_id, ttl_s)
            return LoginResult(_claims(user), new)
    assert revoked
    raise ProblemException(
        401, "refresh token reused: every session of this login is revoked", kind="token-reused"
    )


async def revoke(db: Database, token: str) -> None:
    tenant_id = tenant_of_opaque(REFRESH_PREFIX, token)
    if tenant_id is None:
        return
    async with db.tx(tenant_id) as s:
        family = (
            await s.execute(
                sa.select(refresh_tokens.c.family_id).where(
                    refresh_tokens.c.token_hash == digest(token)
                )
            )
        ).scalar()
        if family is not None:
            await s.execute(
                sa.update(refresh_tokens)
                .where(refresh_tokens.c.family_id == family, refresh_tokens.c.revoked_at.is_(None))
                .values(revoked_at=_now())
            )


async def revoke_user_sessions(s, user_id: uuid.UUID) -> None:
    await s.execute(
        sa.update(refresh_tokens)
        .where(refresh_tokens.c.user_id == user_id, refresh_tokens.c.revoked_at.is_(None))
        .values(revoked_at=_now())
    )


async def team_exists(s, team_id: uuid.UUID) -> bool:
    return (await s.execute(sa.select(teams.c.id).where(teams.c.id == team_id))).first() is not None


async def role_keys_exist(s, keys: list[str]) -> list[str]:
    found = set((await s.execute(sa.select(roles.c.key).where(roles.c.key.in_(keys)))).scalars())
    return [k for k in keys if k not in found]
