"""documents: price list, tax documents, numbering, VAT and allocation tables, payments, ledger

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from crm_common.db.migrations import enable_tenant_rls

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Rows of reference data that hold for every tenant (the law) carry this tenant id;
# a tenant may add its own rows. See docs/adr/billing-0003-the-law-as-global-rows.md.
GLOBAL_TENANT = "00000000-0000-0000-0000-000000000000"

_IMMUTABLE_DOCUMENT = """
CREATE FUNCTION billing_documents_immutable() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'an issued document cannot be deleted' USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.doc_type, NEW.number, NEW.party_id, NEW.customer_name, NEW.customer_tax_id,
      NEW.base_document_id, NEW.issue_date, NEW.vat_rate_bp, NEW.subtotal_agorot,
      NEW.vat_agorot, NEW.total_agorot, NEW.allocation_number)
     IS DISTINCT FROM
     (OLD.doc_type, OLD.number, OLD.party_id, OLD.customer_name, OLD.customer_tax_id,
      OLD.base_document_id, OLD.issue_date, OLD.vat_rate_bp, OLD.subtotal_agorot,
      OLD.vat_agorot, OLD.total_agorot, OLD.allocation_number) THEN
    RAISE EXCEPTION 'an issued document is immutable; issue a credit note'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

_IMMUTABLE_LINE = """
CREATE FUNCTION billing_lines_immutable() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'a line of an issued document cannot be deleted'
      USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.document_id, NEW.sku, NEW.name_he, NEW.quantity, NEW.unit_price_agorot,
      NEW.discount_bp, NEW.net_agorot, NEW.vat_category, NEW.base_line_id)
     IS DISTINCT FROM
     (OLD.document_id, OLD.sku, OLD.name_he, OLD.quantity, OLD.unit_price_agorot,
      OLD.discount_bp, OLD.net_agorot, OLD.vat_category, OLD.base_line_id) THEN
    RAISE EXCEPTION 'a line of an issued document is immutable'
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""

_IMMUTABLE_PDF = """
CREATE FUNCTION billing_pdfs_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the issued PDF is immutable' USING ERRCODE = 'check_violation';
END $$ LANGUAGE plpgsql;
"""


def _tenant_table(name: str, *columns: sa.Column | sa.Constraint) -> None:
    op.create_table(name, sa.Column("tenant_id", sa.Uuid(), nullable=False), *columns)
    op.create_index(op.f(f"ix_{name}_tenant_id"), name, ["tenant_id"])
    enable_tenant_rls(name)


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def _global_readable(table: str) -> None:
    op.execute(
        f"CREATE POLICY global_rows ON {table} FOR SELECT "
        f"USING (tenant_id = '{GLOBAL_TENANT}'::uuid)"
    )


def upgrade() -> None:
    _tenant_table(
        "business_profiles",
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("tax_id", sa.String(20), nullable=True),
        sa.Column("address", sa.String(300), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_business_profiles")),
    )
    _tenant_table(
        "products",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name_he", sa.String(200), nullable=False),
        sa.Column("name_en", sa.String(200), nullable=True),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("price_agorot", sa.BigInteger(), nullable=False),
        sa.Column("vat_category", sa.String(16), nullable=False),
        _created_at(),
        sa.UniqueConstraint("tenant_id", "sku", name=op.f("uq_products_tenant_id_sku")),
    )
    _tenant_table(
        "price_lists",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        _created_at(),
    )
    _tenant_table(
        "price_list_items",
        sa.Column("price_list_id", sa.Uuid(), sa.ForeignKey("price_lists.id"), nullable=False),
        sa.Column("product_id", sa.Uuid(), sa.ForeignKey("products.id"), nullable=False),
        sa.Column("price_agorot", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("price_list_id", "product_id", name=op.f("pk_price_list_items")),
    )
    _tenant_table(
        "customer_terms",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("price_list_id", sa.Uuid(), sa.ForeignKey("price_lists.id"), nullable=True),
        sa.Column("discount_bp", sa.Integer(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("tenant_id", "party_id", name=op.f("pk_customer_terms")),
    )
    _tenant_table(
        "customer_prices",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), sa.ForeignKey("products.id"), nullable=False),
        sa.Column("price_agorot", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "party_id", "product_id", name=op.f("pk_customer_prices")
        ),
    )
    _tenant_table(
        "vat_rates",
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("rate_bp", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "effective_from", name=op.f("pk_vat_rates")),
    )
    _global_readable("vat_rates")
    _tenant_table(
        "allocation_thresholds",
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("threshold_agorot", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "effective_from", name=op.f("pk_allocation_thresholds")
        ),
    )
    _global_readable("allocation_thresholds")
    _tenant_table(
        "document_counters",
        sa.Column("doc_type", sa.String(20), nullable=False),
        sa.Column("last_number", sa.BigInteger(), nullable=False),
        sa.Column("last_issue_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "doc_type", name=op.f("pk_document_counters")),
    )
    _tenant_table(
        "documents",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("doc_type", sa.String(20), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("customer_name", sa.String(200), nullable=False),
        sa.Column("customer_tax_id", sa.String(20), nullable=True),
        sa.Column("base_document_id", sa.Uuid(), sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("issue_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("vat_rate_bp", sa.Integer(), nullable=False),
        sa.Column("subtotal_agorot", sa.BigInteger(), nullable=False),
        sa.Column("vat_agorot", sa.BigInteger(), nullable=False),
        sa.Column("total_agorot", sa.BigInteger(), nullable=False),
        sa.Column("allocation_number", sa.String(20), nullable=True),
        sa.Column("notes", sa.String(1000), nullable=True),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("prints", sa.Integer(), nullable=False, server_default="0"),
        _created_at(),
        sa.UniqueConstraint(
            "tenant_id", "doc_type", "number", name=op.f("uq_documents_tenant_id_doc_type_number")
        ),
    )
    op.create_index("ix_documents_tenant_id_party_id", "documents", ["tenant_id", "party_id"])
    op.create_index("ix_documents_base_document_id", "documents", ["base_document_id"])
    _tenant_table(
        "document_lines",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("document_id", sa.Uuid(), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("sku", sa.String(64), nullable=True),
        sa.Column("name_he", sa.String(300), nullable=False),
        sa.Column("name_en", sa.String(300), nullable=True),
        sa.Column("unit", sa.String(20), nullable=False),
        sa.Column("quantity", sa.Numeric(14, 3), nullable=False),
        sa.Column("unit_price_agorot", sa.BigInteger(), nullable=False),
        sa.Column("discount_bp", sa.Integer(), nullable=False),
        sa.Column("net_agorot", sa.BigInteger(), nullable=False),
        sa.Column("vat_category", sa.String(16), nullable=False),
        sa.Column("base_line_id", sa.Uuid(), sa.ForeignKey("document_lines.id"), nullable=True),
        sa.Column("status", sa.String(16), nullable=True),
        sa.Column("expected_arrival", sa.Date(), nullable=True),
        sa.UniqueConstraint("document_id", "line_no", name=op.f("uq_document_lines_document_id")),
    )
    op.create_index("ix_document_lines_base_line_id", "document_lines", ["base_line_id"])
    _tenant_table(
        "document_pdfs",
        sa.Column("document_id", sa.Uuid(), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _created_at(),
    )
    op.execute(_IMMUTABLE_DOCUMENT)
    op.execute(_IMMUTABLE_LINE)
    op.execute(_IMMUTABLE_PDF)
    op.execute(
        "CREATE TRIGGER documents_immutable BEFORE UPDATE OR DELETE ON documents "
        "FOR EACH ROW EXECUTE FUNCTION billing_documents_immutable()"
    )
    op.execute(
        "CREATE TRIGGER document_lines_immutable BEFORE UPDATE OR DELETE ON document_lines "
        "FOR EACH ROW EXECUTE FUNCTION billing_lines_immutable()"
    )
    op.execute(
        "CREATE TRIGGER document_pdfs_immutable BEFORE UPDATE OR DELETE ON document_pdfs "
        "FOR EACH ROW EXECUTE FUNCTION billing_pdfs_immutable()"
    )
    _tenant_table(
        "card_schedules",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("customer_name", sa.String(200), nullable=False),
        sa.Column("card_token", sa.String(100), nullable=False),
        sa.Column("amount_agorot", sa.BigInteger(), nullable=False),
        sa.Column("interval_months", sa.Integer(), nullable=False),
        sa.Column("next_charge_on", sa.Date(), nullable=False),
        sa.Column("retry_on", sa.Date(), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        _created_at(),
    )
    _tenant_table(
        "payments",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("customer_name", sa.String(200), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("amount_agorot", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("cheque_number", sa.String(20), nullable=True),
        sa.Column("bank_code", sa.String(5), nullable=True),
        sa.Column("branch_code", sa.String(5), nullable=True),
        sa.Column("account_number", sa.String(20), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("card_token", sa.String(100), nullable=True),
        sa.Column("idempotency_key", sa.String(100), nullable=True),
        sa.Column("provider_reference", sa.String(100), nullable=True),
        sa.Column("failure_reason", sa.String(300), nullable=True),
        sa.Column("planned_allocations", sa.JSON(), nullable=True),
        sa.Column("schedule_id", sa.Uuid(), sa.ForeignKey("card_schedules.id"), nullable=True),
        sa.Column("receipt_document_id", sa.Uuid(), sa.ForeignKey("documents.id"), nullable=True),
        _created_at(),
        sa.UniqueConstraint(
            "tenant_id", "idempotency_key", name=op.f("uq_payments_tenant_id_idempotency_key")
        ),
    )
    op.create_index("ix_payments_tenant_id_party_id", "payments", ["tenant_id", "party_id"])
    op.create_index("ix_payments_provider_reference", "payments", ["provider_reference"])
    _tenant_table(
        "allocations",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("document_id", sa.Uuid(), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("payment_id", sa.Uuid(), sa.ForeignKey("payments.id"), nullable=True),
        sa.Column("credit_document_id", sa.Uuid(), sa.ForeignKey("documents.id"), nullable=True),
        sa.Column("amount_agorot", sa.BigInteger(), nullable=False),
        sa.Column("allocated_on", sa.Date(), nullable=False),
        sa.CheckConstraint("amount_agorot > 0", name="positive"),
        sa.CheckConstraint(
            "(payment_id IS NULL) <> (credit_document_id IS NULL)", name="one_source"
        ),
    )
    op.create_index("ix_allocations_document_id", "allocations", ["document_id"])
    _tenant_table(
        "provider_events",
        sa.Column("event_id", sa.String(100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.PrimaryKeyConstraint("tenant_id", "event_id", name=op.f("pk_provider_events")),
    )
    # The law, as data: a change of rate or threshold is a new row. Row-level
    # security lets the global rows in only under the global tenant.
    op.execute(f"SELECT set_config('app.tenant_id', '{GLOBAL_TENANT}', true)")
    op.execute(
        "INSERT INTO vat_rates (tenant_id, effective_from, rate_bp) VALUES "
        f"('{GLOBAL_TENANT}', '2013-06-02', 1800), ('{GLOBAL_TENANT}', '2015-10-01', 1700), "
        f"('{GLOBAL_TENANT}', '2025-01-01', 1800)"
    )
    op.execute(
        "INSERT INTO allocation_thresholds (tenant_id, effective_from, threshold_agorot) VALUES "
        f"('{GLOBAL_TENANT}', '2024-05-05', 2500000), ('{GLOBAL_TENANT}', '2025-01-01', 2000000), "
        f"('{GLOBAL_TENANT}', '2026-01-01', 1000000), ('{GLOBAL_TENANT}', '2026-06-01', 500000)"
    )
    op.execute("SELECT set_config('app.tenant_id', '', true)")


def downgrade() -> None:
    for table in (
        "provider_events",
        "allocations",
        "payments",
        "card_schedules",
        "document_pdfs",
        "document_lines",
        "documents",
        "document_counters",
        "allocation_thresholds",
        "vat_rates",
        "customer_prices",
        "customer_terms",
        "price_list_items",
        "price_lists",
        "products",
        "business_profiles",
    ):
        op.drop_table(table)
    for fn in ("billing_pdfs_immutable", "billing_documents_immutable", "billing_lines_immutable"):
        op.execute(f"DROP FUNCTION {fn}()")
