"""sales pipeline: sources, capture endpoints, imports, routing, pipelines, deals, targets

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

from crm_common.db.migrations import enable_tenant_rls

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NIL_TENANT = "00000000-0000-0000-0000-000000000000"


def _id() -> sa.Column:
    return sa.Column("id", sa.Uuid(), primary_key=True)


def _tenant() -> sa.Column:
    return sa.Column("tenant_id", sa.Uuid(), nullable=False)


def _created() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def upgrade() -> None:
    for value in ("qualified", "disqualified", "merged"):
        op.execute(f"ALTER TYPE lead_status ADD VALUE IF NOT EXISTS '{value}'")
    for name, type_ in (
        ("owner_id", sa.Uuid()),
        ("team_id", sa.Uuid()),
        ("product_interest", sa.String(100)),
        ("city", sa.String(100)),
        ("language", sa.String(20)),
        ("utm_source", sa.String(200)),
        ("utm_medium", sa.String(200)),
        ("utm_campaign", sa.String(200)),
        ("utm_term", sa.String(200)),
        ("utm_content", sa.String(200)),
        ("merged_into_id", sa.Uuid()),
        ("disqualify_reason", sa.String(200)),
        ("routing_seq", sa.BigInteger()),
        ("duplicate_of_lead_id", sa.Uuid()),
        ("duplicate_of_party_id", sa.Uuid()),
        ("qualified_at", sa.DateTime(timezone=True)),
    ):
        op.add_column("leads", sa.Column(name, type_, nullable=True))
    op.add_column(
        "leads", sa.Column("channel", sa.String(20), nullable=False, server_default="api")
    )
    op.add_column("leads", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_index(
        "ix_leads_tenant_id_owner_id_status", "leads", ["tenant_id", "owner_id", "status"]
    )
    op.create_index("ix_leads_tenant_id_source_id", "leads", ["tenant_id", "source", "id"])
    op.create_index("ix_leads_tenant_id_created_at", "leads", ["tenant_id", "created_at"])

    op.create_table(
        "lead_sources",
        _id(),
        _tenant(),
        sa.Column("code", sa.String(50), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        _created(),
        sa.UniqueConstraint("tenant_id", "code", name="uq_lead_sources_tenant_id_code"),
    )
    op.create_table(
        "lead_activities",
        _id(),
        _tenant(),
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("body", sa.Text(), nullable=False, server_default=""),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        _created(),
    )
    op.create_index(
        "ix_lead_activities_tenant_id_lead_id_id", "lead_activities", ["tenant_id", "lead_id", "id"]
    )
    op.create_table(
        "capture_endpoints",
        _id(),
        _tenant(),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("secret", sa.String(200), nullable=True),
        sa.Column("source", sa.String(50), nullable=False),
        sa.Column("campaign", sa.String(200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        _created(),
        sa.UniqueConstraint("key", name="uq_capture_endpoints_key"),
    )
    op.create_table(
        "lead_imports",
        _id(),
        _tenant(),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("columns", pg.JSONB(), nullable=False),
        sa.Column("mapping", pg.JSONB(), nullable=False),
        sa.Column("rows", pg.JSONB(), nullable=False),
        sa.Column("default_source", sa.String(50), nullable=False),
        sa.Column("total_rows", sa.Integer(), nullable=False),
        sa.Column("processed_rows", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("imported_rows", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("failed_rows", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("errors", pg.JSONB(), nullable=False),
        _created(),
    )
    op.create_table(
        "sales_teams",
        _id(),
        _tenant(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("strategy", sa.String(20), nullable=False),
        sa.Column("member_ids", pg.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("rr_counter", sa.BigInteger(), nullable=False, server_default="0"),
        _created(),
    )
    op.create_table(
        "routing_rules",
        _id(),
        _tenant(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("source", sa.String(50), nullable=True),
        sa.Column("product_interest", sa.String(100), nullable=True),
        sa.Column("city", sa.String(100), nullable=True),
        sa.Column("language", sa.String(20), nullable=True),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        _created(),
    )
    op.create_index(
        "ix_routing_rules_tenant_id_position", "routing_rules", ["tenant_id", "position"]
    )
    op.create_table(
        "pipelines",
        _id(),
        _tenant(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("product_type", sa.String(100), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False, server_default=sa.false()),
        _created(),
    )
    op.create_table(
        "pipeline_stages",
        _id(),
        _tenant(),
        sa.Column("pipeline_id", sa.Uuid(), sa.ForeignKey("pipelines.id"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
    )
    op.create_index(
        "ix_pipeline_stages_tenant_id_pipeline_id", "pipeline_stages", ["tenant_id", "pipeline_id"]
    )
    op.create_table(
        "lost_reasons",
        _id(),
        _tenant(),
        sa.Column("label", sa.String(200), nullable=False),
        _created(),
    )
    op.create_table(
        "deals",
        _id(),
        _tenant(),
        sa.Column("pipeline_id", sa.Uuid(), sa.ForeignKey("pipelines.id"), nullable=False),
        sa.Column("stage_id", sa.Uuid(), sa.ForeignKey("pipeline_stages.id"), nullable=False),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("account_name", sa.String(200), nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("amount_agorot", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False, server_default="ILS"),
        sa.Column("expected_close_date", sa.Date(), nullable=True),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("lost_reason_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False, server_default="1"),
        _created(),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_deals_tenant_id_id", "deals", ["tenant_id", "id"])
    op.create_index("ix_deals_tenant_id_lead_id", "deals", ["tenant_id", "lead_id"])
    op.create_index("ix_deals_tenant_id_stage_id", "deals", ["tenant_id", "stage_id"])
    op.create_index(
        "ix_deals_tenant_id_status_closed_at", "deals", ["tenant_id", "status", "closed_at"]
    )
    op.create_table(
        "deal_stage_history",
        _id(),
        _tenant(),
        sa.Column("deal_id", sa.Uuid(), sa.ForeignKey("deals.id"), nullable=False),
        sa.Column("from_stage_id", sa.Uuid(), nullable=True),
        sa.Column("to_stage_id", sa.Uuid(), nullable=False),
        sa.Column("changed_by", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
    )
    op.create_index(
        "ix_deal_stage_history_tenant_id_deal_id", "deal_stage_history", ["tenant_id", "deal_id"]
    )
    op.create_table(
        "sales_targets",
        _id(),
        _tenant(),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("scope_key", sa.String(60), nullable=False),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("amount_agorot", sa.BigInteger(), nullable=False),
        sa.Column("deal_count", sa.Integer(), nullable=False),
        _created(),
        sa.UniqueConstraint(
            "tenant_id", "scope_key", "period", "period_start", name="uq_sales_targets_scope"
        ),
    )
    op.create_table(
        "known_customers",
        sa.Column("tenant_id", sa.Uuid(), primary_key=True),
        sa.Column("party_id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        _created(),
    )
    op.create_index("ix_known_customers_tenant_id_phone", "known_customers", ["tenant_id", "phone"])
    op.create_index("ix_known_customers_tenant_id_email", "known_customers", ["tenant_id", "email"])

    for table in (
        "lead_sources",
        "lead_activities",
        "capture_endpoints",
        "lead_imports",
        "sales_teams",
        "routing_rules",
        "pipelines",
        "pipeline_stages",
        "lost_reasons",
        "deals",
        "deal_stage_history",
        "sales_targets",
        "known_customers",
    ):
        enable_tenant_rls(table)
    # Public capture (web form / webhook) arrives with the nil tenant and a key:
    # that caller may read capture endpoints (by key) and nothing else. ADR 0004-leads.
    op.execute(
        "CREATE POLICY public_key_lookup ON capture_endpoints FOR SELECT "
        f"USING (current_setting('app.tenant_id', true) = '{NIL_TENANT}')"
    )


def downgrade() -> None:
    for table in (
        "known_customers",
        "sales_targets",
        "deal_stage_history",
        "deals",
        "lost_reasons",
        "pipeline_stages",
        "pipelines",
        "routing_rules",
        "sales_teams",
        "lead_imports",
        "capture_endpoints",
        "lead_activities",
        "lead_sources",
    ):
        op.drop_table(table)
    op.drop_index("ix_leads_tenant_id_created_at", "leads")
    op.drop_index("ix_leads_tenant_id_source_id", "leads")
    op.drop_index("ix_leads_tenant_id_owner_id_status", "leads")
    for name in (
        "owner_id",
        "team_id",
        "product_interest",
        "city",
        "language",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
        "merged_into_id",
        "disqualify_reason",
        "routing_seq",
        "duplicate_of_lead_id",
        "duplicate_of_party_id",
        "qualified_at",
        "channel",
        "version",
    ):
        op.drop_column("leads", name)
