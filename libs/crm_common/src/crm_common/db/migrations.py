"""Alembic helpers: every service keeps its own migration history.

A service's ``migrations/env.py`` is two lines::

    from crm_common.db.migrations import run_env
    run_env(target_metadata=[Base.metadata, PLUMBING_METADATA])

and ``crm-<service> migrate`` calls :func:`upgrade`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def alembic_config(*, url: str, script_location: str | Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.set_main_option(
        "file_template",
        "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s",
    )
    cfg.attributes["url"] = url
    return cfg


def upgrade(*, url: str, script_location: str | Path, revision: str = "head") -> None:
    command.upgrade(alembic_config(url=url, script_location=script_location), revision)


def run_env(target_metadata: MetaData | Sequence[MetaData]) -> None:
    """Body of a service's env.py: online migrations over asyncpg, offline SQL too."""
    config = context.config
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: pass it in config.attributes['url']")

    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    def do_run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(do_run)
                await connection.commit()
        finally:
            await engine.dispose()

    connection = config.attributes.get("connection")
    if connection is not None:
        do_run(connection)
    else:
        asyncio.run(run_async())


def enable_tenant_rls(table: str) -> None:
    """Row-level security on ``tenant_id``: the second wall behind the app's filters.

    The policy compares with ``app.tenant_id``, set per transaction by the unit
    of work. FORCE makes it apply to the table owner (the service role) too.
    """
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY tenant_isolation ON {table} "
        "USING (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid) "
        "WITH CHECK (tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)"
    )


def create_plumbing_tables() -> None:
    """Outbox and inbox tables, version 1 (same shape in every service)."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("aggregate_type", sa.String(100), nullable=False),
        sa.Column("aggregate_id", sa.String(100), nullable=False),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("payload_type", sa.String(200), nullable=False),
        sa.Column("traceparent", sa.String(100), nullable=True),
        sa.Column("tracestate", sa.String(500), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_index(
        "ix_outbox_unsent", "outbox", ["id"], postgresql_where=sa.text("sent_at IS NULL")
    )
    op.create_index(
        "ix_outbox_sent_at", "outbox", ["sent_at"], postgresql_where=sa.text("sent_at IS NOT NULL")
    )
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(200), primary_key=True),
        sa.Column("event_id", sa.Uuid(), primary_key=True),
        sa.Column("event_type", sa.String(200), nullable=False),
        sa.Column("topic", sa.String(200), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=True),
        sa.Column(
            "processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
    )
    op.create_index("ix_inbox_processed_at", "inbox", ["processed_at"])


def create_platform_tables() -> None:
    """Tenant directory, scheduled-run claims and the audit log (version 1, every service).

    ``tenant_directory`` and ``scheduled_runs`` are platform tables without
    row-level security: the scheduler has to list every tenant before it can
    act as one, and they hold no customer data (tenant id, name, time zone,
    locale, and which daily job ran for whom). ``audit_log`` is tenant data:
    RLS like every tenant table, and append-only: a trigger rejects UPDATE and
    DELETE whoever asks, so no API can rewrite history.
    """
    op.create_table(
        "tenant_directory",
        sa.Column("tenant_id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("slug", sa.String(100), nullable=True),
        sa.Column("time_zone", sa.String(64), nullable=False, server_default="Asia/Jerusalem"),
        sa.Column("locale", sa.String(16), nullable=False, server_default="he-IL"),
        sa.Column("currency", sa.String(3), nullable=False, server_default="ILS"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("defaults_applied_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "scheduled_runs",
        sa.Column("job", sa.String(100), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), primary_key=True),
        sa.Column("run_key", sa.String(64), primary_key=True),
        sa.Column(
            "started_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
        ),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.Text(), nullable=True),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_kind", sa.String(20), nullable=False),  # user | api_key | system
        sa.Column("actor_id", sa.String(100), nullable=True),
        sa.Column("origin", sa.String(200), nullable=True),  # client address / source
        sa.Column("request_id", sa.String(100), nullable=True),
        sa.Column("trace_id", sa.String(32), nullable=True),
        sa.Column("entity", sa.String(100), nullable=False),
        sa.Column("entity_id", sa.String(100), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),  # create | update | delete
        sa.Column("changes", postgresql.JSONB(), nullable=False),
    )
    op.create_index("ix_audit_log_tenant_entity", "audit_log", ["tenant_id", "entity", "entity_id"])
    op.create_index("ix_audit_log_tenant_time", "audit_log", ["tenant_id", "occurred_at"])
    enable_tenant_rls("audit_log")
    op.execute(
        "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'audit_log is append-only' "
        "USING ERRCODE = 'insufficient_privilege'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()"
    )


def drop_platform_tables() -> None:
    op.drop_table("audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table("scheduled_runs")
    op.drop_table("tenant_directory")
