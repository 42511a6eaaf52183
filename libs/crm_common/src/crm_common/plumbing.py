"""Core tables every service database has: the outbox and the inbox.

They live in their own MetaData, outside any service's models; each service's
first migration creates them with ``create_plumbing_tables()`` and its env.py
lists ``PLUMBING_METADATA`` beside its own so autogenerate leaves them alone.
The outbox keeps Debezium's column names (aggregate_type, aggregate_id, type,
payload) so CDC could replace the relay.
"""

from __future__ import annotations

import sqlalchemy as sa

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
