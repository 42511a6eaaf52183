"""party_dim.attributes_at: the time of the card state held in attributes (issue 8, R1)

contact.changed (keyed by party), contacts.changed (an import's batches, keyed by the job) and
account.changed reach reporting on different partitions: a card event older than the state
already applied for a party must not overwrite it. updated_at cannot serve: lead and customer
events of other topics move it too.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("party_dim", sa.Column("attributes_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    op.drop_column("party_dim", "attributes_at")
