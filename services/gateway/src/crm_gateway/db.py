"""The gateway's own database: tenants, identity, API keys, idempotency, audit.

Tables are SQLAlchemy Core (the gateway has no domain model); every table but
the tenant registry has ``tenant_id`` and row-level security, and every query
runs in a :func:`crm_common.db.unit_of_work` that sets the tenant.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db import NAMING_CONVENTION, create_engine, create_sessionmaker, unit_of_work

metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def _ts(name: str, nullable: bool = False, default: bool = False) -> sa.Column:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=nullable,
        server_default=sa.func.now() if default else None,
    )


tenants = sa.Table(
    "tenants",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False),
    sa.Column("slug", sa.String(63), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    _ts("created_at", default=True),
)

teams = sa.Table(
    "teams",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    _ts("created_at", default=True),
    sa.UniqueConstraint("tenant_id", "name"),
)

roles = sa.Table(
    "roles",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("key", sa.String(63), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("permissions", JSONB(), nullable=False),
    sa.Column("is_default", sa.Boolean(), nullable=False, server_default=sa.false()),
    _ts("created_at", default=True),
    _ts("updated_at", default=True),
    sa.UniqueConstraint("tenant_id", "key"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("password_hash", sa.String(200), nullable=True),
    sa.Column("team_id", sa.Uuid(), sa.ForeignKey("teams.id"), nullable=True),
    sa.Column("role_keys", JSONB(), nullable=False),
    sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
    _ts("locked_until", nullable=True),
    _ts("last_login_at", nullable=True),
    _ts("created_at", default=True),
    _ts("updated_at", default=True),
    sa.UniqueConstraint("tenant_id", "email"),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("secret_hash", sa.LargeBinary(32), nullable=False, unique=True),
    sa.Column("scopes", JSONB(), nullable=False),
    sa.Column("created_by", sa.Uuid(), nullable=True),
    _ts("created_at", default=True),
    _ts("revoked_at", nullable=True),
)

refresh_tokens = sa.Table(
    "refresh_tokens",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id"), nullable=False),
    sa.Column("family_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("token_hash", sa.LargeBinary(32), nullable=False, unique=True),
    _ts("expires_at"),
    _ts("created_at", default=True),
    _ts("used_at", nullable=True),
    _ts("revoked_at", nullable=True),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("tenant_id", sa.Uuid(), primary_key=True),
    sa.Column("principal", sa.String(100), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("request_digest", sa.LargeBinary(32), nullable=False),
    sa.Column("status", sa.Integer(), nullable=True),
    sa.Column("response_headers", JSONB(), nullable=True),
    sa.Column("response_body", sa.LargeBinary(), nullable=True),
    _ts("created_at", default=True),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False),
    _ts("at", default=True),
    sa.Column("actor_type", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(100), nullable=False),
    sa.Column("actor_name", sa.String(200), nullable=False),
    sa.Column("user_id", sa.Uuid(), nullable=True),
    sa.Column("client_ip", sa.String(64), nullable=True),
    sa.Column("user_agent", sa.String(300), nullable=True),
    sa.Column("method", sa.String(10), nullable=False),
    sa.Column("route", sa.String(300), nullable=False),
    sa.Column("path", sa.String(1000), nullable=False),
    sa.Column("status", sa.Integer(), nullable=False),
    sa.Column("trace_id", sa.String(32), nullable=True),
    sa.Column("request_id", sa.String(200), nullable=True),
    sa.Column("idempotency_key", sa.String(255), nullable=True),
    sa.Column("body_digest", sa.String(64), nullable=True),
    sa.Index("ix_audit_log_tenant_id_id", "tenant_id", "id"),
)


webhook_subscriptions = sa.Table(
    "webhook_subscriptions",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("event_types", JSONB(), nullable=False),
    sa.Column("description", sa.String(200), nullable=True),
    sa.Column("secret", sa.String(100), nullable=False),
    sa.Column("is_active", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("consecutive_failures", sa.Integer(), nullable=False, server_default="0"),
    _ts("disabled_at", nullable=True),
    sa.Column("disabled_reason", sa.String(500), nullable=True),
    _ts("created_at", default=True),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False),
    sa.Column(
        "subscription_id", sa.Uuid(), sa.ForeignKey("webhook_subscriptions.id"), nullable=False
    ),
    sa.Column("event_id", sa.Uuid(), nullable=False),
    sa.Column("event_type", sa.String(200), nullable=False),
    sa.Column("body", sa.LargeBinary(), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    _ts("next_attempt_at", nullable=True),
    sa.Column("last_status_code", sa.Integer(), nullable=True),
    sa.Column("last_error", sa.String(500), nullable=True),
    _ts("created_at", default=True),
    _ts("delivered_at", nullable=True),
    sa.UniqueConstraint("subscription_id", "event_id"),
)

webhook_attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False),
    sa.Column("delivery_id", sa.Uuid(), sa.ForeignKey("webhook_deliveries.id"), nullable=False),
    _ts("at", default=True),
    sa.Column("status_code", sa.Integer(), nullable=True),
    sa.Column("error", sa.String(500), nullable=True),
    sa.Column("duration_ms", sa.Integer(), nullable=False),
)


class Database:
    def __init__(self, url: str, pool_size: int = 5) -> None:
        self.engine = create_engine(url, pool_size=pool_size)
        self.sessionmaker = create_sessionmaker(self.engine, audit=False)

    @asynccontextmanager
    async def tx(self, tenant_id: uuid.UUID | None) -> AsyncIterator[AsyncSession]:
        """One transaction with ``app.tenant_id`` set (RLS sees only that tenant)."""
        async with unit_of_work(self.sessionmaker, tenant_id=tenant_id) as session:
            yield session

    async def close(self) -> None:
        await self.engine.dispose()
