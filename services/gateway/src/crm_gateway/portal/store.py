"""Portal users: invitation (one-time link token), acceptance, login with lockout."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from crm_common.db import uuid7
from crm_gateway.db import Database, metadata, tenants
from crm_gateway.identity.secrets import (
    PORTAL_INVITE_PREFIX,
    digest,
    hash_password,
    new_opaque,
    tenant_of_opaque,
    verify_password,
)
from crm_gateway.problems import ProblemException


def _ts(name: str, nullable: bool = True, default: bool = False) -> sa.Column:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=nullable,
        server_default=sa.func.now() if default else None,
    )


portal_users = sa.Table(
    "portal_users",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False),
    sa.Column("party_id", sa.Uuid(), nullable=False),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=True),
    sa.Column("invite_hash", sa.LargeBinary(32), nullable=True, unique=True),
    _ts("invite_expires_at"),
    sa.Column("invited_by", sa.Uuid(), nullable=True),
    sa.Column("assignee_user_id", sa.Uuid(), nullable=False),
    sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
    # In every portal token (claim ``ver``); deactivation bumps it (migration 0005).
    sa.Column("token_version", sa.Integer(), server_default="0", nullable=False),
    sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
    _ts("locked_until"),
    _ts("accepted_at"),
    _ts("last_login_at"),
    _ts("created_at", nullable=False, default=True),
    sa.UniqueConstraint("tenant_id", "email"),
)

portal_ticket_files = sa.Table(
    "portal_ticket_files",
    metadata,
    sa.Column("tenant_id", sa.Uuid(), primary_key=True),
    sa.Column("ticket_id", sa.Uuid(), primary_key=True),
    sa.Column("attachment_id", sa.Uuid(), primary_key=True),
    sa.Column("party_id", sa.Uuid(), nullable=False),
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("size", sa.BigInteger(), nullable=False),
    _ts("created_at", nullable=False, default=True),
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class Invitation:
    row: sa.Row
    token: str


def status_of(row: sa.Row) -> str:
    if not row.is_active:
        return "disabled"
    return "active" if row.accepted_at is not None else "invited"


async def invite(
    db: Database,
    tenant_id: uuid.UUID,
    *,
    party_id: uuid.UUID,
    email: str,
    name: str,
    invited_by: uuid.UUID,
    assignee_user_id: uuid.UUID,
    ttl_s: int,
) -> Invitation:
    """A portal user for the party with a fresh one-time token (shown only in the email).

    Inviting an email again before it is accepted sends a new link (the old one dies);
    an accepted account is a conflict."""
    token = new_opaque(PORTAL_INVITE_PREFIX, tenant_id)
    expires = _now() + dt.timedelta(seconds=ttl_s)
    async with db.tx(tenant_id) as s:
        existing = (
            await s.execute(
                sa.select(portal_users).where(portal_users.c.email == email).with_for_update()
            )
        ).first()
        if existing is not None:
            if existing.accepted_at is not None:
                raise ProblemException(
                    409, "this email already has a portal account", kind="already-exists"
                )
            if existing.party_id != party_id:
                raise ProblemException(
                    409, "this email is invited for another customer", kind="already-exists"
                )
            row = (
                await s.execute(
                    sa.update(portal_users)
                    .where(portal_users.c.id == existing.id)
                    .values(
                        invite_hash=digest(token),
                        invite_expires_at=expires,
                        name=name,
                        invited_by=invited_by,
                        assignee_user_id=assignee_user_id,
                        is_active=True,
                    )
                    .returning(portal_users)
                )
            ).one()
        else:
            row = (
                await s.execute(
                    sa.insert(portal_users)
                    .values(
                        id=uuid7(),
                        tenant_id=tenant_id,
                        party_id=party_id,
                        email=email,
                        name=name,
                        invite_hash=digest(token),
                        invite_expires_at=expires,
                        invited_by=invited_by,
                        assignee_user_id=assignee_user_id,
                    )
                    .returning(portal_users)
                )
            ).one()
    return Invitation(row, token)


async def list_users(db: Database, tenant_id: uuid.UUID, party_id: uuid.UUID | None) -> list:
    async with db.tx(tenant_id) as s:
        q = sa.select(portal_users).order_by(portal_users.c.id)
        if party_id is not None:
            q = q.where(portal_users.c.party_id == party_id)
        return list((await s.execute(q)).all())


_BAD_INVITE = "this invitation link is not valid (used, replaced or expired)"


async def accept(db: Database, token: str, password: str) -> sa.Row:
    """Set the password once; the token dies with it."""
    tenant_id = tenant_of_opaque(PORTAL_INVITE_PREFIX, token)
    if tenant_id is None:
        raise ProblemException(401, _BAD_INVITE, kind="invalid-invitation")
    pw = await hash_password(password)
    async with db.tx(tenant_id) as s:
        row = (
            await s.execute(
                sa.update(portal_users)
                .where(
                    portal_users.c.invite_hash == digest(token),
                    portal_users.c.invite_expires_at > _now(),
                    portal_users.c.is_active.is_(True),
                )
                .values(
                    password_hash=pw,
                    invite_hash=None,
                    invite_expires_at=None,
                    accepted_at=_now(),
                    last_login_at=_now(),
                    failed_logins=0,
                    locked_until=None,
                )
                .returning(portal_users)
            )
        ).first()
    if row is None:
        raise ProblemException(401, _BAD_INVITE, kind="invalid-invitation")
    return row


async def login(
    db: Database,
    *,
    tenant_slug: str,
    email: str,
    password: str,
    max_failures: int,
    lockout_s: int,
) -> sa.Row:
    """The same 401 for an unknown tenant, email or wrong password; lockout like staff."""
    async with db.tx(None) as s:
        tenant_id = (
            await s.execute(sa.select(tenants.c.id).where(tenants.c.slug == tenant_slug))
        ).scalar()
    row = None
    if tenant_id is not None:
        async with db.tx(tenant_id) as s:
            row = (
                await s.execute(sa.select(portal_users).where(portal_users.c.email == email))
            ).first()
    if row is not None and row.locked_until is not None and row.locked_until > _now():
        raise ProblemException(
            423, "too many failed logins: the account is locked for now", kind="account-locked"
        )
    usable = row is not None and row.is_active and row.password_hash is not None
    ok = await verify_password(row.password_hash if usable else None, password)
    if not ok:
        if row is not None:
            failures = row.failed_logins + 1
            async with db.tx(row.tenant_id) as s:
                await s.execute(
                    sa.update(portal_users)
                    .where(portal_users.c.id == row.id)
                    .values(
                        failed_logins=0 if failures >= max_failures else failures,
                        locked_until=_now() + dt.timedelta(seconds=lockout_s)
                        if failures >= max_failures
                        else row.locked_until,
                    )
                )
        raise ProblemException(
            401, "unknown tenant, email or password", headers={"WWW-Authenticate": "Bearer"}
        )
    async with db.tx(row.tenant_id) as s:
        await s.execute(
            sa.update(portal_users)
            .where(portal_users.c.id == row.id)
            .values(failed_logins=0, locked_until=None, last_login_at=_now())
        )
    return row


async def token_is_live(
    db: Database,
    tenant_id: uuid.UUID,
    portal_user_id: uuid.UUID,
    party_id: uuid.UUID,
    version: int,
) -> bool:
    """The portal account behind a token still exists, is this party's, is active and was
    not deactivated since the token was issued (same ``token_version``)."""
    async with db.tx(tenant_id) as s:
        found = (
            await s.execute(
                sa.select(portal_users.c.id).where(
                    portal_users.c.id == portal_user_id,
                    portal_users.c.party_id == party_id,
                    portal_users.c.is_active.is_(True),
                    portal_users.c.token_version == version,
                )
            )
        ).first()
    return found is not None


async def set_active(
    db: Database, tenant_id: uuid.UUID, portal_user_id: uuid.UUID, active: bool
) -> sa.Row | None:
    """Deactivate (its tokens are refused at once, login and accepting a pending invitation
    are refused) or reactivate a portal account; None when the tenant has no such account."""
    values: dict = {"is_active": active}
    if active:
        values |= {"failed_logins": 0, "locked_until": None}
    else:  # tokens issued so far stay dead, even after a reactivation
        values["token_version"] = portal_users.c.token_version + 1
    async with db.tx(tenant_id) as s:
        return (
            await s.execute(
                sa.update(portal_users)
                .where(portal_users.c.id == portal_user_id)
                .values(**values)
                .returning(portal_users)
            )
        ).first()


async def assignee_of(db: Database, tenant_id: uuid.UUID, party_id: uuid.UUID) -> uuid.UUID:
    """The staff user who gets this customer's service requests (set at invitation)."""
    async with db.tx(tenant_id) as s:
        found = (
            await s.execute(
                sa.select(portal_users.c.assignee_user_id)
                .where(portal_users.c.party_id == party_id, portal_users.c.is_active.is_(True))
                .order_by(portal_users.c.id)
                .limit(1)
            )
        ).scalar()
    if found is None:
        raise ProblemException(401, "this portal account is disabled")
    return found


async def add_file(
    db: Database,
    tenant_id: uuid.UUID,
    *,
    ticket_id: uuid.UUID,
    attachment_id: uuid.UUID,
    party_id: uuid.UUID,
    filename: str,
    size: int,
) -> None:
    async with db.tx(tenant_id) as s:
        await s.execute(
            sa.insert(portal_ticket_files).values(
                tenant_id=tenant_id,
                ticket_id=ticket_id,
                attachment_id=attachment_id,
                party_id=party_id,
                filename=filename,
                size=size,
            )
        )


async def files_of(
    db: Database, tenant_id: uuid.UUID, party_id: uuid.UUID, ticket_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list]:
    if not ticket_ids:
        return {}
    async with db.tx(tenant_id) as s:
        rows = (
            await s.execute(
                sa.select(portal_ticket_files)
                .where(
                    portal_ticket_files.c.party_id == party_id,
                    portal_ticket_files.c.ticket_id.in_(ticket_ids),
                )
                .order_by(portal_ticket_files.c.created_at)
            )
        ).all()
    out: dict[uuid.UUID, list] = {}
    for r in rows:
        out.setdefault(r.ticket_id, []).append(r)
    return out
