"""initial: lead_source_counts, outbox, inbox

Revision ID: 0001
Revises:
Create Date: 2026-11-25 17:20:00
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
    op.create_table(
        "lead_source_counts",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(50), nullable=False),
        sa.Column("leads", sa.BigInteger(), nullable=False),
        sa.Column("last_captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "source", name=op.f("pk_lead_source_counts")),
    )
    op.create_index(op.f("ix_lead_source_counts_tenant_id"), "lead_source_counts", ["tenant_id"])
    enable_tenant_rls("lead_source_counts")


def downgrade() -> None:
    op.drop_table("lead_source_counts")
    op.drop_table("inbox")
    op.drop_table("outbox")
