"""facts: the analytical tables fed by every service's events (REPORTING_SCHEMA.md)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from crm_common.db.migrations import enable_tenant_rls

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)

FACT_TABLES = (
    "party_dim",
    "lead_fact",
    "deal_fact",
    "deal_stage_fact",
    "target_fact",
    "document_fact",
    "payment_fact",
    "message_fact",
    "call_fact",
    "task_fact",
    "campaign_cost",
)


def _tenant() -> sa.Column:
    return sa.Column("tenant_id", sa.Uuid(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "party_dim",
        _tenant(),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("lead_id", sa.Uuid()),
        sa.Column("name", sa.Text()),
        sa.Column("source", sa.Text()),
        sa.Column("campaign", sa.Text()),
        sa.Column("owner_id", sa.Uuid()),
        sa.Column("team_id", sa.Uuid()),
        sa.Column("is_customer", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("captured_at", TS),
        sa.Column("converted_at", TS),
        sa.Column(
            "attributes",
            postgresql.JSONB(),
            nullable=False,
            server_default=sa.text("'{}'::jsonb"),
        ),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("tenant_id", "party_id", name=op.f("pk_party_dim")),
    )

    op.create_table(
        "lead_fact",
        _tenant(),
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid()),
        sa.Column("source", sa.Text()),
        sa.Column("campaign", sa.Text()),
        sa.Column("channel", sa.Text()),
        sa.Column("product_interest", sa.Text()),
        sa.Column("city", sa.Text()),
        sa.Column("owner_id", sa.Uuid()),
        sa.Column("team_id", sa.Uuid()),
        sa.Column("captured_at", TS, nullable=False),
        sa.Column("first_assigned_at", TS),
        sa.Column("first_response_at", TS),
        sa.Column("qualified_at", TS),
        sa.Column("disqualified_at", TS),
        sa.Column("disqualify_reason", sa.Text()),
        sa.Column("converted_at", TS),
        sa.Column("deal_id", sa.Uuid()),
        sa.Column("merged_into_lead_id", sa.Uuid()),
        sa.Column("is_duplicate", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.PrimaryKeyConstraint("tenant_id", "lead_id", name=op.f("pk_lead_fact")),
    )
    op.create_index("ix_lead_fact_tenant_captured", "lead_fact", ["tenant_id", "captured_at"])
    op.create_index(
        "ix_lead_fact_tenant_source_captured", "lead_fact", ["tenant_id", "source", "captured_at"]
    )
    op.create_index(
        "ix_lead_fact_tenant_owner_captured", "lead_fact", ["tenant_id", "owner_id", "captured_at"]
    )

    op.create_table(
        "deal_fact",
        _tenant(),
        sa.Column("deal_id", sa.Uuid(), nullable=False),
        sa.Column("lead_id", sa.Uuid()),
        sa.Column("party_id", sa.Uuid()),
        sa.Column("pipeline_id", sa.Uuid()),
        sa.Column("stage_id", sa.Uuid()),
        sa.Column("stage_name", sa.Text()),
        sa.Column("owner_id", sa.Uuid()),
        sa.Column("amount_agorot", sa.BigInteger()),
        sa.Column("status", sa.Text(), nullable=False, server_default="open"),
        sa.Column("created_at", TS),
        sa.Column("won_at", TS),
        sa.Column("lost_at", TS),
        sa.Column("lost_reason", sa.Text()),
        sa.PrimaryKeyConstraint("tenant_id", "deal_id", name=op.f("pk_deal_fact")),
        sa.CheckConstraint("status IN ('open', 'won', 'lost')", name=op.f("ck_deal_fact_status")),
    )
    op.create_index(
        "ix_deal_fact_tenant_owner_won", "deal_fact", ["tenant_id", "owner_id", "won_at"]
    )
    op.create_index("ix_deal_fact_tenant_created", "deal_fact", ["tenant_id", "created_at"])

    op.create_table(
        "deal_stage_fact",
        _tenant(),
        sa.Column("deal_id", sa.Uuid(), nullable=False),
        sa.Column("entered_at", TS, nullable=False),
        sa.Column("to_stage_id", sa.Uuid(), nullable=False),
        sa.Column("from_stage_id", sa.Uuid()),
        sa.Column("to_stage_name", sa.Text()),
        sa.Column("probability", sa.Integer()),
        sa.Column("left_at", TS),
        sa.PrimaryKeyConstraint(
            "tenant_id", "deal_id", "entered_at", "to_stage_id", name=op.f("pk_deal_stage_fact")
        ),
    )

    op.create_table(
        "target_fact",
        _tenant(),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid()),
        sa.Column("team_id", sa.Uuid()),
        sa.Column("period", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("amount_agorot", sa.BigInteger()),
        sa.Column("deal_count", sa.Integer()),
        sa.Column("set_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "target_id", name=op.f("pk_target_fact")),
        sa.CheckConstraint(
            "period IN ('month', 'quarter', 'year')", name=op.f("ck_target_fact_period")
        ),
    )

    op.create_table(
        "document_fact",
        _tenant(),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("document_type", sa.Text(), nullable=False),
        sa.Column("number", sa.BigInteger()),
        sa.Column("party_id", sa.Uuid()),
        sa.Column("base_document_id", sa.Uuid()),
        sa.Column("issue_date", sa.Date()),
        sa.Column("subtotal_agorot", sa.BigInteger()),
        sa.Column("vat_agorot", sa.BigInteger()),
        sa.Column("total_agorot", sa.BigInteger()),
        sa.Column("issued_at", TS),
        sa.PrimaryKeyConstraint("tenant_id", "document_id", name=op.f("pk_document_fact")),
        sa.CheckConstraint(
            "document_type IN ('quote', 'order', 'delivery', 'invoice', 'invoice_receipt',"
            " 'receipt', 'credit')",
            name=op.f("ck_document_fact_document_type"),
        ),
    )
    op.create_index(
        "ix_document_fact_tenant_type_issue",
        "document_fact",
        ["tenant_id", "document_type", "issue_date"],
    )
    op.create_index("ix_document_fact_tenant_party", "document_fact", ["tenant_id", "party_id"])

    op.create_table(
        "payment_fact",
        _tenant(),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid()),
        sa.Column("method", sa.Text()),
        sa.Column("amount_agorot", sa.BigInteger()),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("occurred_at", TS),
        sa.Column("reason", sa.Text()),
        sa.PrimaryKeyConstraint("tenant_id", "payment_id", name=op.f("pk_payment_fact")),
        sa.CheckConstraint("status IN ('received', 'failed')", name=op.f("ck_payment_fact_status")),
    )
    op.create_index("ix_payment_fact_tenant_party", "payment_fact", ["tenant_id", "party_id"])
    op.create_index("ix_payment_fact_tenant_occurred", "payment_fact", ["tenant_id", "occurred_at"])

    op.create_table(
        "message_fact",
        _tenant(),
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid()),
        sa.Column("channel", sa.Text()),
        sa.Column("purpose", sa.Text()),
        sa.Column("direction", sa.Text()),
        sa.Column("campaign_id", sa.Uuid()),
        sa.Column("queued_at", TS),
        sa.Column("sent_at", TS),
        sa.Column("delivered_at", TS),
        sa.Column("read_at", TS),
        sa.Column("failed_at", TS),
        sa.Column("status", sa.Text()),
        sa.Column("reason", sa.Text()),
        sa.Column("segments", sa.Integer()),
        sa.Column("cost_agorot", sa.BigInteger()),
        sa.PrimaryKeyConstraint("tenant_id", "message_id", name=op.f("pk_message_fact")),
        sa.CheckConstraint("direction IN ('out', 'in')", name=op.f("ck_message_fact_direction")),
    )
    op.create_index("ix_message_fact_tenant_sent", "message_fact", ["tenant_id", "sent_at"])
    op.create_index("ix_message_fact_tenant_campaign", "message_fact", ["tenant_id", "campaign_id"])

    op.create_table(
        "call_fact",
        _tenant(),
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid()),
        sa.Column("direction", sa.Text()),
        sa.Column("agent_extension", sa.Text()),
        sa.Column("from_number", sa.Text()),
        sa.Column("to_number", sa.Text()),
        sa.Column("started_at", TS),
        sa.Column("ended_at", TS),
        sa.Column("duration_seconds", sa.Integer()),
        sa.Column("answered", sa.Boolean()),
        sa.PrimaryKeyConstraint("tenant_id", "call_id", name=op.f("pk_call_fact")),
    )

    op.create_table(
        "task_fact",
        _tenant(),
        sa.Column("task_id", sa.Uuid(), nullable=False),
        sa.Column("task_type_key", sa.Text()),
        sa.Column("party_id", sa.Uuid()),
        sa.Column("assignee_user_id", sa.Uuid()),
        sa.Column("creator_user_id", sa.Uuid()),
        sa.Column("created_at", TS),
        sa.Column("due_at", TS),
        sa.Column("sla_due_at", TS),
        sa.Column("completed_at", TS),
        sa.Column("sla_met", sa.Boolean()),
        sa.Column("sla_breached_at", TS),
        sa.PrimaryKeyConstraint("tenant_id", "task_id", name=op.f("pk_task_fact")),
    )
    op.create_index("ix_task_fact_tenant_created", "task_fact", ["tenant_id", "created_at"])

    op.create_table(
        "campaign_cost",
        _tenant(),
        sa.Column("cost_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("campaign", sa.Text(), nullable=False, server_default=""),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("cost_agorot", sa.BigInteger(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("tenant_id", "cost_id", name=op.f("pk_campaign_cost")),
        sa.CheckConstraint(
            "period_end >= period_start", name=op.f("ck_campaign_cost_period_order")
        ),
        sa.CheckConstraint("cost_agorot >= 0", name=op.f("ck_campaign_cost_cost_non_negative")),
    )
    op.create_index(
        "ix_campaign_cost_tenant_source_campaign",
        "campaign_cost",
        ["tenant_id", "source", "campaign"],
    )

    for table in FACT_TABLES:
        enable_tenant_rls(table)


def downgrade() -> None:
    for table in reversed(FACT_TABLES):
        op.drop_table(table)
