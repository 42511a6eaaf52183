"""report_schedule: per-schedule send time (issue 8, R7)

send_hour (tenant-local 0-23, default 7), weekday of a weekly schedule (date.weekday():
0 Monday .. 6 Sunday, default Sunday) and day_of_month of a monthly one (1-28, default 1).
Existing schedules get the defaults: weekly on Sundays, monthly on the 1st, at 07:00.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "report_schedule",
        sa.Column("send_hour", sa.SmallInteger(), nullable=False, server_default="7"),
    )
    op.add_column(
        "report_schedule",
        sa.Column("weekday", sa.SmallInteger(), nullable=False, server_default="6"),
    )
    op.add_column(
        "report_schedule",
        sa.Column("day_of_month", sa.SmallInteger(), nullable=False, server_default="1"),
    )
    op.create_check_constraint(
        op.f("ck_report_schedule_send_hour"), "report_schedule", "send_hour BETWEEN 0 AND 23"
    )
    op.create_check_constraint(
        op.f("ck_report_schedule_weekday"), "report_schedule", "weekday BETWEEN 0 AND 6"
    )
    op.create_check_constraint(
        op.f("ck_report_schedule_day_of_month"),
        "report_schedule",
        "day_of_month BETWEEN 1 AND 28",
    )


def downgrade() -> None:
    for name in ("day_of_month", "weekday", "send_hour"):
        op.drop_constraint(op.f(f"ck_report_schedule_{name}"), "report_schedule", type_="check")
        op.drop_column("report_schedule", name)
