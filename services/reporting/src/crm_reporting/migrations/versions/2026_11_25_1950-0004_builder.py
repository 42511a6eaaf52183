"""builder: saved_report, dashboard, dashboard_item (R1, R7)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from crm_common.db.migrations import enable_tenant_rls

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def _roles() -> sa.Column:
    return sa.Column(
        "shared_roles",
        postgresql.ARRAY(sa.Text()),
        nullable=False,
        server_default=sa.text("'{}'::text[]"),
    )


def upgrade() -> None:
    op.create_table(
        "saved_report",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text()),
        sa.Column("definition", postgresql.JSONB(), nullable=False),
        sa.Column("owner_id", sa.Uuid()),
        _roles(),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_saved_report")),
    )
    op.create_index("ix_saved_report_tenant_owner", "saved_report", ["tenant_id", "owner_id"])
    op.create_table(
        "dashboard",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("owner_id", sa.Uuid()),
        _roles(),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.Column("updated_at", TS, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_dashboard")),
    )
    op.create_table(
        "dashboard_item",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("dashboard_id", sa.Uuid(), nullable=False),
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(200)),
        sa.Column("chart", sa.String(20), nullable=False),
        sa.Column("x", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("y", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("w", sa.Integer(), nullable=False, server_default="6"),
        sa.Column("h", sa.Integer(), nullable=False, server_default="4"),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_dashboard_item")),
        sa.ForeignKeyConstraint(
            ["tenant_id", "dashboard_id"],
            ["dashboard.tenant_id", "dashboard.id"],
            name=op.f("fk_dashboard_item_tenant_id_dashboard_id_dashboard"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tenant_id", "report_id"],
            ["saved_report.tenant_id", "saved_report.id"],
            name=op.f("fk_dashboard_item_tenant_id_report_id_saved_report"),
            ondelete="RESTRICT",
        ),
        sa.CheckConstraint(
            "chart IN ('bar', 'line', 'pie', 'number', 'table')",
            name=op.f("ck_dashboard_item_chart"),
        ),
    )
    op.create_index(
        "ix_dashboard_item_tenant_dashboard", "dashboard_item", ["tenant_id", "dashboard_id"]
    )
    op.create_index("ix_dashboard_item_tenant_report", "dashboard_item", ["tenant_id", "report_id"])
    for table in ("saved_report", "dashboard", "dashboard_item"):
        enable_tenant_rls(table)


def downgrade() -> None:
    op.drop_table("dashboard_item")
    op.drop_table("dashboard")
    op.drop_table("saved_report")
