from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    LargeBinary,
    Numeric,
    PrimaryKeyConstraint,
    String,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm_billing.models import Base
from crm_common.db import TenantMixin, UUIDPrimaryKeyMixin


class DocType(StrEnum):
    QUOTE = "quote"
    ORDER = "order"
    DELIVERY_NOTE = "delivery_note"
    TAX_INVOICE = "tax_invoice"
    INVOICE_RECEIPT = "invoice_receipt"
    RECEIPT = "receipt"
    CREDIT_NOTE = "credit_note"


INVOICES = (DocType.TAX_INVOICE, DocType.INVOICE_RECEIPT)


class LineStatus(StrEnum):
    OPEN = "open"
    PICKED = "picked"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class VatRate(TenantMixin, Base):
    __tablename__ = "vat_rates"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "effective_from"),)

    effective_from: Mapped[dt.date] = mapped_column(Date)
    rate_bp: Mapped[int]


class AllocationThreshold(TenantMixin, Base):
    __tablename__ = "allocation_thresholds"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "effective_from"),)

    effective_from: Mapped[dt.date] = mapped_column(Date)
    threshold_agorot: Mapped[int] = mapped_column(BigInteger)


class DocumentCounter(TenantMixin, Base):
    __tablename__ = "document_counters"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "doc_type"),)

    doc_type: Mapped[str] = mapped_column(String(20))
    last_number: Mapped[int] = mapped_column(BigInteger)
    last_issue_date: Mapped[dt.date] = mapped_column(Date)


class Document(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "documents"

    doc_type: Mapped[str] = mapped_column(String(20))
    number: Mapped[int] = mapped_column(BigInteger)
    party_id: Mapped[uuid.UUID]
    lead_id: Mapped[uuid.UUID | None]
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_tax_id: Mapped[str | None] = mapped_column(String(20))
    base_document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"))
    issue_date: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    vat_rate_bp: Mapped[int]
    subtotal_agorot: Mapped[int] = mapped_column(BigInteger)
    vat_agorot: Mapped[int] = mapped_column(BigInteger)
    total_agorot: Mapped[int] = mapped_column(BigInteger)
    allocation_number: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(String(1000))
    accepted_at: Mapped[dt.datetime | None]
    prints: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    lines: Mapped[list[DocumentLine]] = relationship(
        order_by="DocumentLine.line_no", lazy="selectin"
    )


class DocumentLine(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "document_lines"

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id"))
    line_no: Mapped[int]
    product_id: Mapped[uuid.UUID | None]
    sku: Mapped[str | None] = mapped_column(String(64))
    name_he: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit_price_agorot: Mapped[int] = mapped_column(BigInteger)
    discount_bp: Mapped[int]
    net_agorot: Mapped[int] = mapped_column(BigInteger)
    vat_category: Mapped[str] = mapped_column(String(16))
    base_line_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("document_lines.id"))
    status: Mapped[str | None] = mapped_column(String(16))
    expected_arrival: Mapped[dt.date | None] = mapped_column(Date)


class DocumentPdf(TenantMixin, Base):
    __tablename__ = "document_pdfs"

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
