"""custom plans: reporting's sessions never run a report on a generic plan

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 20:35:00

asyncpg prepares every statement; after five executions on one connection PostgreSQL may
switch to a generic plan, estimated without the parameter values. For a report (one tenant,
a period) the generic plan estimates one row per tenant and period and nests loops: on the
10M-event bench the R2 marketing report of the big tenant, once the generic plan took over,
had not finished after 3 minutes. Reports are few and heavy: planning each execution costs a
few milliseconds. Figures in the reporting-store ADR.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The database owner may set it; a deployment whose migration role does not own the
    # database gets a notice and must set it on the service role instead.
    op.execute(
        """
        DO $$
        BEGIN
            EXECUTE format('ALTER DATABASE %I SET plan_cache_mode = force_custom_plan',
                           current_database());
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'plan_cache_mode not set: the migration role does not own the database';
        END
        $$
        """
    )


def downgrade() -> None:
    op.execute(
        """
        DO $$
        BEGIN
            EXECUTE format('ALTER DATABASE %I RESET plan_cache_mode', current_database());
        EXCEPTION WHEN insufficient_privilege THEN
            NULL;
        END
        $$
        """
    )
