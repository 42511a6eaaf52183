"""campaigns target a contacts segment: segment id, resolution snapshot, failure

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 19:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("campaigns", sa.Column("segment_id", sa.Uuid(), nullable=True))
    op.add_column("campaigns", sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "campaigns",
        sa.Column("skipped_no_address", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column("campaigns", sa.Column("failure_reason", sa.String(500), nullable=True))


def downgrade() -> None:
    for column in ("failure_reason", "skipped_no_address", "resolved_at", "segment_id"):
        op.drop_column("campaigns", column)
