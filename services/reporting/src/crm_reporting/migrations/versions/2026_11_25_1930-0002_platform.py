"""platform: tenant_directory, scheduled_runs, audit_log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:30:00
"""

from collections.abc import Sequence

from crm_common.db.migrations import create_platform_tables, drop_platform_tables

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_platform_tables()


def downgrade() -> None:
    drop_platform_tables()
