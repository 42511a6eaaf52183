"""Core tables every service database has: the outbox and the inbox.

They live in their own MetaData, outside any service's models; each service's
first migration creates them with ``create_plumbing_tables()`` and its env.py
lists ``PLUMBING_METADATA`` beside its own so autogenerate leaves them alone.
The outbox keeps Debezium's column names (aggregate_type, aggregate_id, type,
payload) so CDC could replace the relay.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from crm_common.db.base import NAMING_CONVENTION

PLUMBING_METADATA = sa.MetaData(naming_convention=NAMING_CONVENTION)

outbox_table = sa.Table(
    "outbox",
    PLUMBING_METADATA,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False),
    sa.Column("aggregate_type", sa.String(100), nullable=False),
    sa.Column("aggregate_id", sa.String(100), nullable=False),
    sa.Column("type", sa.String(200), nullable=False),
    sa.Column("topic", sa.String(200), nullable=False),
    sa.Column("payload", sa.LargeBinary(), nullable=False),
    sa.Column("payload_type", sa.String(200), nullable=False),
    sa.Column("traceparent", sa.String(100)),
    sa.Column("tracestate", sa.String(500)),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sent_at", sa.DateTime(timezone=True)),
    sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text()),
    sa.Index("ix_outbox_unsent", "id", postgresql_where=sa.text("sent_at IS NULL")),
    sa.Index("ix_outbox_sent_at", "sent_at", postgresql_where=sa.text("sent_at IS NOT NULL")),
)

inbox_table = sa.Table(
    "inbox",
    PLUMBING_METADATA,
    sa.Column("consumer", sa.String(200), primary_key=True),
    sa.Column("event_id", sa.Uuid(), primary_key=True),
    sa.Column("event_type", sa.String(200), nullable=False),
    sa.Column("topic", sa.String(200), nullable=False),
    sa.Column("tenant_id", sa.Uuid()),
    sa.Column(
        "processed_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Index("ix_inbox_processed_at", "processed_at"),
)

# Platform tables (created by ``create_platform_tables()``): see its docstring.
tenant_directory_table = sa.Table(
    "tenant_directory",
    PLUMBING_METADATA,
    sa.Column("tenant_id", sa.Uuid(), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, server_default=""),
    sa.Column("slug", sa.String(100)),
    sa.Column("time_zone", sa.String(64), nullable=False, server_default="Asia/Jerusalem"),
    sa.Column("locale", sa.String(16), nullable=False, server_default="he-IL"),
    sa.Column("currency", sa.String(3), nullable=False, server_default="ILS"),
    sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("defaults_applied_at", sa.DateTime(timezone=True)),
)

scheduled_runs_table = sa.Table(
    "scheduled_runs",
    PLUMBING_METADATA,
    sa.Column("job", sa.String(100), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), primary_key=True),
    sa.Column("run_key", sa.String(64), primary_key=True),
    sa.Column(
        "started_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("outcome", sa.Text()),
)

audit_log_table = sa.Table(
    "audit_log",
    PLUMBING_METADATA,
    sa.Column("id", sa.Uuid(), primary_key=True),
    sa.Column("tenant_id", sa.Uuid(), nullable=False),
    sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor_kind", sa.String(20), nullable=False),
    sa.Column("actor_id", sa.String(100)),
    sa.Column("origin", sa.String(200)),
    sa.Column("request_id", sa.String(100)),
    sa.Column("trace_id", sa.String(32)),
    sa.Column("entity", sa.String(100), nullable=False),
    sa.Column("entity_id", sa.String(100), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("changes", postgresql.JSONB(), nullable=False),
    sa.Index("ix_audit_log_tenant_entity", "tenant_id", "entity", "entity_id"),
    sa.Index("ix_audit_log_tenant_time", "tenant_id", "occurred_at"),
)
