"""initial: leads, outbox, inbox

Revision ID: 0001
Revises:
Create Date: 2026-11-25 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crm_common.db.migrations import create_plumbing_tables, enable_tenant_rls

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_plumbing_tables()
    lead_status = sa.Enum("new", "converted", name="lead_status")
    op.create_table(
        "leads",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("company_name", sa.String(200), nullable=True),
        sa.Column("source", sa.String(50), nullable=False),
        sa.Column("campaign", sa.String(200), nullable=True),
        sa.Column("status", lead_status, nullable=False),
        sa.Column("converted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.UniqueConstraint("party_id", name=op.f("uq_leads_party_id")),
    )
    op.create_index(op.f("ix_leads_tenant_id"), "leads", ["tenant_id"])
    op.create_index("ix_leads_tenant_id_id", "leads", ["tenant_id", "id"])
    op.create_index("ix_leads_tenant_id_status_id", "leads", ["tenant_id", "status", "id"])
    op.create_index("ix_leads_tenant_id_phone", "leads", ["tenant_id", "phone"])
    op.create_index("ix_leads_tenant_id_email", "leads", ["tenant_id", "email"])
    enable_tenant_rls("leads")


def downgrade() -> None:
    op.drop_table("leads")
    sa.Enum(name="lead_status").drop(op.get_bind())
    op.drop_table("inbox")
    op.drop_table("outbox")
