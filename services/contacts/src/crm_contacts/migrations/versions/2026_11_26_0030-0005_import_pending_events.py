"""import_pending_events: the contacts an import touched whose contacts.changed is not written yet

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 00:30:00

The import transaction records which contacts it created or updated (one INSERT .. SELECT) and
commits; the ``contacts.changed`` events are written afterwards in chunks, each chunk in its own
transaction that deletes the rows it published (ADR contacts-0005). ``import_jobs.event_parts``
numbers the events of a job across chunks and resumed runs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crm_common.db.migrations import enable_tenant_rls

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_pending_events",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "job_id", "contact_id", name="pk_import_pending_events"
        ),
    )
    enable_tenant_rls("import_pending_events")
    op.add_column(
        "import_jobs",
        sa.Column("event_parts", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("import_jobs", "event_parts")
    op.drop_table("import_pending_events")
