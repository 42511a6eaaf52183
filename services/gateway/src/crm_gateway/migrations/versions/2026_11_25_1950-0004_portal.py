"""portal: customers invited to the customer portal (A4) and their tickets' attachments

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 19:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crm_common.db.migrations import enable_tenant_rls

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _ts(name: str, nullable: bool = True, default: bool = False) -> sa.Column:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        nullable=nullable,
        server_default=sa.func.now() if default else None,
    )


def upgrade() -> None:
    op.create_table(
        "portal_users",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("invite_hash", sa.LargeBinary(32), nullable=True, unique=True),
        _ts("invite_expires_at"),
        sa.Column("invited_by", sa.Uuid(), nullable=True),
        # Staff user who gets the customer's service requests as tasks.
        sa.Column("assignee_user_id", sa.Uuid(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        _ts("locked_until"),
        _ts("accepted_at"),
        _ts("last_login_at"),
        _ts("created_at", nullable=False, default=True),
        sa.UniqueConstraint("tenant_id", "email"),
    )
    op.create_index("ix_portal_users_tenant_id_party_id", "portal_users", ["tenant_id", "party_id"])
    enable_tenant_rls("portal_users")
    op.create_table(
        "portal_ticket_files",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("attachment_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        _ts("created_at", nullable=False, default=True),
        sa.PrimaryKeyConstraint("tenant_id", "ticket_id", "attachment_id"),
    )
    enable_tenant_rls("portal_ticket_files")


def downgrade() -> None:
    op.drop_table("portal_ticket_files")
    op.drop_table("portal_users")
