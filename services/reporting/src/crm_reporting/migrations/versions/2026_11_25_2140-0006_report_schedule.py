"""report_schedule: e-mailed scheduled reports (R7)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 21:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from crm_common.db.migrations import enable_tenant_rls

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "report_schedule",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("format", sa.String(10), nullable=False),
        sa.Column("cadence", sa.String(10), nullable=False),
        sa.Column("recipients", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("created_by", sa.Uuid()),
        sa.Column("last_sent_on", sa.Date()),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", TS, nullable=False, server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("tenant_id", "id", name=op.f("pk_report_schedule")),
        sa.CheckConstraint("kind IN ('report', 'dashboard')", name=op.f("ck_report_schedule_kind")),
        sa.CheckConstraint(
            "format IN ('pdf', 'xlsx', 'csv')", name=op.f("ck_report_schedule_format")
        ),
        sa.CheckConstraint(
            "cadence IN ('daily', 'weekly', 'monthly')", name=op.f("ck_report_schedule_cadence")
        ),
        sa.CheckConstraint(
            "cardinality(recipients) BETWEEN 1 AND 20",
            name=op.f("ck_report_schedule_recipients"),
        ),
    )
    enable_tenant_rls("report_schedule")


def downgrade() -> None:
    op.drop_table("report_schedule")
