"""won deals: the deal -> order hand-off (parked until the party is known), party origin

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crm_common.db.migrations import enable_tenant_rls

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # 'contacts': the copy of contacts' customer; 'deal': provisional, made from a won deal
    # before customer.created arrived (customer.created then overwrites it).
    op.add_column(
        "parties",
        sa.Column("origin", sa.String(10), nullable=False, server_default="contacts"),
    )
    op.create_table(
        "won_deals",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("deal_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("account_name", sa.String(200), nullable=True),
        sa.Column("amount_agorot", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("won_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ordered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('parked', 'ordered')", name=op.f("ck_won_deals_status")),
        sa.PrimaryKeyConstraint("tenant_id", "deal_id", name=op.f("pk_won_deals")),
    )
    op.create_index(
        "ix_won_deals_parked",
        "won_deals",
        ["tenant_id", "party_id"],
        postgresql_where=sa.text("status = 'parked'"),
    )
    enable_tenant_rls("won_deals")


def downgrade() -> None:
    op.drop_table("won_deals")
    op.drop_column("parties", "origin")
