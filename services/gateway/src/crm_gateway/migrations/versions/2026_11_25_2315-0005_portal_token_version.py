"""portal_users.token_version: deactivating a portal account kills its tokens for good

A portal token carries the account's ``token_version`` (claim ``ver``); every request
checks the account is active and the version matches. Deactivation bumps the version,
so tokens issued before it stay refused even after the account is reactivated.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 23:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "portal_users",
        sa.Column("token_version", sa.Integer(), server_default="0", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("portal_users", "token_version")
