"""initial: parties read model, outbox, inbox

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
        "parties",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "party_id", name=op.f("pk_parties")),
    )
    op.create_index(op.f("ix_parties_tenant_id"), "parties", ["tenant_id"])
    enable_tenant_rls("parties")


def downgrade() -> None:
    op.drop_table("parties")
    op.drop_table("inbox")
    op.drop_table("outbox")
