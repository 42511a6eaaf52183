"""contact_field_values: dynamic-field filters that can use an index under RLS (C7)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 20:00:00

Under FORCE ROW LEVEL SECURITY a condition can be an index condition only if its operators are
leakproof; jsonb ``@>`` / ``->>`` are not, so the GIN on ``contacts.custom`` is never used. This
side table holds one row per (dynamic field, value) of every contact, compared with ``text =``
and ``uuid =`` (leakproof), under a btree. Row triggers (only for rows whose dynamic values are
not empty / changed) keep it in step with every write: service, import, bulk update. No foreign
key (its per-row check doubled a bulk insert); the delete trigger removes a contact's rows.
See ADR contacts-0001.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crm_common.db.migrations import enable_tenant_rls

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One row per scalar value, one per element of an array (multi-select); the value as jsonb text
# ('"gold"', '5', 'true'), so a filter compares type and value exactly as @> does. Values over
# 500 characters are left out (btree key size); the search rechecks with @> anyway.
VALUES_OF = """
    SELECT n.tenant_id, kv.key, v.value::text, n.id
    FROM {rows} n
    CROSS JOIN LATERAL jsonb_each(n.custom) kv
    CROSS JOIN LATERAL jsonb_array_elements(
        CASE jsonb_typeof(kv.value) WHEN 'array' THEN kv.value ELSE jsonb_build_array(kv.value) END
    ) v(value)
    WHERE jsonb_typeof(v.value) NOT IN ('null', 'object', 'array')
      AND length(kv.key) <= 100 AND length(v.value::text) <= 500
"""
NEW_ROW = "(SELECT NEW.tenant_id AS tenant_id, NEW.id AS id, NEW.custom AS custom)"


def upgrade() -> None:
    op.create_table(
        "contact_field_values",
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("field_key", sa.String(length=100), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "field_key", "value_text", "contact_id", name="pk_contact_field_values"
        ),
    )
    op.create_index("ix_contact_field_values_contact", "contact_field_values", ["contact_id"])
    enable_tenant_rls("contact_field_values")
    # Row triggers with WHEN: a row without dynamic values (most imported rows) never calls
    # the function; statement triggers with transition tables were tried first and cost a
    # spilled tuplestore of every inserted row (+30% on a bulk insert of plain contacts).
    op.execute(
        f"""
        CREATE FUNCTION contact_field_values_sync() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                DELETE FROM contact_field_values
                    WHERE tenant_id = OLD.tenant_id AND contact_id = OLD.id;
            END IF;
            IF TG_OP IN ('INSERT', 'UPDATE') THEN
                INSERT INTO contact_field_values (tenant_id, field_key, value_text, contact_id)
                {VALUES_OF.format(rows=NEW_ROW)}
                ON CONFLICT DO NOTHING;
            END IF;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER contacts_field_values_ins AFTER INSERT ON contacts FOR EACH ROW "
        "WHEN (NEW.custom <> '{}'::jsonb) EXECUTE FUNCTION contact_field_values_sync()"
    )
    op.execute(
        "CREATE TRIGGER contacts_field_values_upd AFTER UPDATE OF custom ON contacts "
        "FOR EACH ROW WHEN (OLD.custom IS DISTINCT FROM NEW.custom) "
        "EXECUTE FUNCTION contact_field_values_sync()"
    )
    op.execute(
        "CREATE TRIGGER contacts_field_values_del AFTER DELETE ON contacts FOR EACH ROW "
        "WHEN (OLD.custom <> '{}'::jsonb) EXECUTE FUNCTION contact_field_values_sync()"
    )
    # Backfill every tenant's rows: the owner lifts FORCE for this transaction only.
    op.execute("ALTER TABLE contacts NO FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE contact_field_values NO FORCE ROW LEVEL SECURITY")
    op.execute(
        "INSERT INTO contact_field_values (tenant_id, field_key, value_text, contact_id) "
        + VALUES_OF.format(rows="contacts")
        + " ON CONFLICT DO NOTHING"
    )
    op.execute("ALTER TABLE contacts FORCE ROW LEVEL SECURITY")
    op.execute("ALTER TABLE contact_field_values FORCE ROW LEVEL SECURITY")


def downgrade() -> None:
    op.execute("DROP TRIGGER contacts_field_values_del ON contacts")
    op.execute("DROP TRIGGER contacts_field_values_upd ON contacts")
    op.execute("DROP TRIGGER contacts_field_values_ins ON contacts")
    op.execute("DROP FUNCTION contact_field_values_sync()")
    op.drop_table("contact_field_values")
