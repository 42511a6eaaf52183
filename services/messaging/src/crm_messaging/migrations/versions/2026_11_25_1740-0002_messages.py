"""messages, attachments, webhook receipts, channel accounts, consent, templates,
campaigns, calls, dialer queue

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

from crm_common.db.migrations import enable_tenant_rls

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "messages",
    "message_attachments",
    "webhook_receipts",
    "channel_accounts",
    "consents",
    "templates",
    "campaigns",
    "campaign_recipients",
    "calls",
    "dialer_entries",
)


def _tz(name: str, nullable: bool = False, now: bool = False) -> sa.Column:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=nullable,
        server_default=sa.func.now() if now else None,
    )


def upgrade() -> None:
    op.create_index("ix_parties_tenant_id_phone", "parties", ["tenant_id", "phone"])
    op.create_index("ix_parties_tenant_id_email", "parties", ["tenant_id", "email"])
    op.create_table(
        "messages",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("to_address", sa.String(320), nullable=False),
        sa.Column("from_address", sa.String(320), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("provider_template", sa.String(200), nullable=True),
        sa.Column("template_params", JSONB(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("provider_message_id", sa.String(200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _tz("next_attempt_at", now=True),
        _tz("claimed_at", nullable=True),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("thread_id", sa.String(300), nullable=True),
        sa.Column("segments", sa.Integer(), nullable=False),
        sa.Column("cost_agorot", sa.Integer(), nullable=False),
        _tz("created_at", now=True),
        _tz("updated_at", now=True),
        _tz("sent_at", nullable=True),
        sa.CheckConstraint(
            "status IN ('queued','sending','sent','delivered','read','failed','received')",
            name="status",
        ),
        sa.CheckConstraint("channel IN ('email','sms','whatsapp')", name="channel"),
    )
    op.create_index("ix_messages_tenant_id", "messages", ["tenant_id"])
    op.create_index(
        "uq_messages_tenant_id_idempotency_key",
        "messages",
        ["tenant_id", "idempotency_key"],
        unique=True,
        postgresql_where=sa.text("idempotency_key IS NOT NULL"),
    )
    op.create_index(
        "ix_messages_due",
        "messages",
        ["next_attempt_at"],
        postgresql_where=sa.text("status IN ('queued','sending')"),
    )
    op.create_index("ix_messages_party", "messages", ["tenant_id", "party_id", "id"])
    op.create_index(
        "ix_messages_provider_id", "messages", ["tenant_id", "channel", "provider_message_id"]
    )
    op.create_index("ix_messages_campaign", "messages", ["campaign_id", "status"])
    op.create_index(
        "ix_messages_inbound_window",
        "messages",
        ["tenant_id", "channel", "from_address", "created_at"],
        postgresql_where=sa.text("direction = 'in'"),
    )
    op.create_table(
        "message_attachments",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
        sa.Column(
            "message_id",
            sa.Uuid(),
            sa.ForeignKey("messages.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "webhook_receipts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("receipt_key", sa.String(300), nullable=False),
        _tz("received_at", now=True),
        sa.PrimaryKeyConstraint("tenant_id", "provider", "receipt_key"),
    )
    op.create_table(
        "channel_accounts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("webhook_secret", sa.String(500), nullable=False),
        sa.Column("verify_token", sa.String(200), nullable=False),
        sa.Column("sender", sa.String(320), nullable=False),
        _tz("updated_at", now=True),
        sa.PrimaryKeyConstraint("tenant_id", "provider"),
    )
    op.create_table(
        "consents",
        sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        _tz("changed_at"),
        sa.PrimaryKeyConstraint("tenant_id", "channel", "address", "purpose"),
    )
    op.create_table(
        "templates",
        sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("provider_template", sa.String(200), nullable=True),
        _tz("updated_at", now=True),
        sa.PrimaryKeyConstraint("tenant_id", "channel", "name", "language"),
    )
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("template_name", sa.String(100), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("rate_per_second", sa.Integer(), nullable=False),
        _tz("scheduled_at"),
        sa.Column("idempotency_key", sa.String(200), nullable=True),
        _tz("created_at", now=True),
        _tz("completed_at", nullable=True),
        _tz("last_advanced_at", nullable=True),
        sa.UniqueConstraint("tenant_id", "idempotency_key"),
    )
    op.create_index(
        "ix_campaigns_due",
        "campaigns",
        ["scheduled_at"],
        postgresql_where=sa.text("status IN ('scheduled','running')"),
    )
    op.create_table(
        "campaign_recipients",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
        sa.Column(
            "campaign_id",
            sa.Uuid(),
            sa.ForeignKey("campaigns.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("address", sa.String(320), nullable=False),
        sa.Column("variables", JSONB(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(300), nullable=True),
        sa.Column("message_id", sa.Uuid(), nullable=True),
        sa.UniqueConstraint("campaign_id", "address"),
    )
    op.create_index(
        "ix_campaign_recipients_pending",
        "campaign_recipients",
        ["campaign_id", "id"],
        postgresql_where=sa.text("state = 'pending'"),
    )
    op.create_table(
        "calls",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("provider_call_id", sa.String(200), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("from_number", sa.String(32), nullable=False),
        sa.Column("to_number", sa.String(32), nullable=False),
        sa.Column("agent_extension", sa.String(32), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("recording_url", sa.Text(), nullable=True),
        _tz("started_at"),
        _tz("answered_at", nullable=True),
        _tz("ended_at", nullable=True),
        sa.UniqueConstraint("tenant_id", "provider_call_id"),
    )
    op.create_index("ix_calls_party", "calls", ["tenant_id", "party_id", "id"])
    op.create_table(
        "dialer_entries",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False, index=True),
        sa.Column("queue", sa.String(50), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("phone", sa.String(32), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("agent_extension", sa.String(32), nullable=True),
        _tz("created_at", now=True),
        _tz("assigned_at", nullable=True),
    )
    op.create_index(
        "uq_dialer_entries_waiting",
        "dialer_entries",
        ["tenant_id", "queue", "phone"],
        unique=True,
        postgresql_where=sa.text("status = 'waiting'"),
    )
    for table in TABLES:
        enable_tenant_rls(table)
    # The dispatcher finds due work of every tenant, then handles each tenant's rows
    # in that tenant's own transaction. This read-only policy lets a transaction that
    # declares itself the dispatcher (app.dispatcher = on) see due rows; writes still
    # need app.tenant_id. See docs/adr/messaging-0001-one-outbound-pipeline-and-a-dispatcher.md.
    for table in ("messages", "campaigns"):
        op.execute(
            f"CREATE POLICY dispatcher_scan ON {table} FOR SELECT "
            "USING (current_setting('app.dispatcher', true) = 'on')"
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
    op.drop_index("ix_parties_tenant_id_email", "parties")
    op.drop_index("ix_parties_tenant_id_phone", "parties")
