"""inbox (and outbox) of the gateway: the webhook intake consumes domain events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 18:40:00
"""

from collections.abc import Sequence

from alembic import op

from crm_common.db.migrations import create_plumbing_tables

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_plumbing_tables()


def downgrade() -> None:
    op.drop_table("inbox")
    op.drop_table("outbox")
