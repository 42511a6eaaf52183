"""Document use cases (B2, B3). They flush; the edge commits.

Every document is issued when it is created: it gets the next number of its type
(gapless per tenant, see :func:`next_number`), its lines and totals are frozen (a
database trigger refuses any later change) and its PDF is stored with a checksum.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_billing.catalog import service as catalog
from crm_billing.catalog.models import VatCategory
from crm_billing.documents import events
from crm_billing.documents import pdf as pdf_renderer
from crm_billing.documents.allocation import AllocationRefused, AllocationRequest, authority
from crm_billing.documents.models import (
    INVOICES,
    AllocationThreshold,
    DocType,
    Document,
    DocumentLine,
    DocumentPdf,
    LineStatus,
    VatRate,
)
from crm_billing.documents.tax import combine_discounts, document_totals, effective, line_net
from crm_billing.parties.models import Party
from crm_billing.payments.models import Allocation, Method, Payment, PaymentStatus
from crm_common.db import uuid7
from crm_common.errors import (
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    Validator,
)

ISRAEL = ZoneInfo("Asia/Jerusalem")
GLOBAL_TENANT = uuid.UUID(int=0)

# Which documents a document may be based on.
BASES: dict[DocType, tuple[DocType, ...]] = {
    DocType.QUOTE: (),
    DocType.ORDER: (DocType.QUOTE,),
    DocType.DELIVERY_NOTE: (DocType.ORDER,),
    DocType.TAX_INVOICE: (DocType.QUOTE, DocType.ORDER, DocType.DELIVERY_NOTE),
    DocType.INVOICE_RECEIPT: (DocType.QUOTE, DocType.ORDER, DocType.DELIVERY_NOTE),
    DocType.CREDIT_NOTE: INVOICES,
    DocType.RECEIPT: (),
}

METHOD_NAMES = {
    Method.CARD: "כרטיס אשראי",
    Method.BANK_TRANSFER: "העברה בנקאית",
    Method.CASH: "מזומן",
    Method.CHEQUE: "שיק",
    Method.STANDING_ORDER: "הוראת קבע",
}


def today() -> dt.date:
    return dt.datetime.now(ISRAEL).date()


@dataclass(frozen=True, slots=True)
class LineInput:
    product_id: uuid.UUID | None = None
    base_line_id: uuid.UUID | None = None
    quantity: str = ""
    discount_bp: int = 0
    description: str = ""
    unit_price_agorot: int = 0
    vat_category: str = ""


@dataclass(frozen=True, slots=True)
class PaymentInput:
    method: str
    amount_agorot: int
    reference: str | None = None
    cheque_number: str | None = None
    bank_code: str | None = None
    branch_code: str | None = None
    account_number: str | None = None
    due_date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class DocumentInput:
    doc_type: DocType
    party_id: uuid.UUID | None
    lead_id: uuid.UUID | None = None
    customer_name: str = ""
    customer_tax_id: str = ""
    base_document_id: uuid.UUID | None = None
    lines: list[LineInput] = field(default_factory=list)
    issue_date: dt.date | None = None
    due_date: dt.date | None = None
    payments: list[PaymentInput] = field(default_factory=list)
    notes: str = ""


def parse_quantity(raw: str, field_name: str, v: Validator) -> Decimal | None:
    try:
        q = Decimal(raw)
    except InvalidOperation:
        v.add(field_name, "must be a decimal number such as 2 or 1.5")
        return None
    if not q.is_finite() or q <= 0 or q.as_tuple().exponent < -3 or q >= Decimal(10) ** 11:
        v.add(field_name, "must be positive with at most 3 decimals")
        return None
    return q


async def vat_rate_on(session: AsyncSession, tenant_id: uuid.UUID, on: dt.date) -> int:
    rows = await session.execute(
        select(VatRate.effective_from, VatRate.rate_bp, VatRate.tenant_id).where(
            VatRate.tenant_id.in_([tenant_id, GLOBAL_TENANT])
        )
    )
    # a tenant's own row on the same date wins over the global one
    ordered = sorted(rows, key=lambda r: (r.effective_from, r.tenant_id != GLOBAL_TENANT))
    rate = effective([(r.effective_from, r.rate_bp) for r in ordered], on)
    if rate is None:
        raise FailedPrecondition(f"no VAT rate in force on {on}", reason="NO_VAT_RATE")
    return rate


async def allocation_threshold_on(
    session: AsyncSession, tenant_id: uuid.UUID, on: dt.date
) -> int | None:
    rows = await session.execute(
        select(AllocationThreshold.effective_from, AllocationThreshold.threshold_agorot).where(
            AllocationThreshold.tenant_id.in_([tenant_id, GLOBAL_TENANT])
        )
    )
    return effective([(r[0], r[1]) for r in rows], on)


async def next_number(
    session: AsyncSession, tenant_id: uuid.UUID, doc_type: DocType, issue_date: dt.date
) -> int:
    """The next number of this type: gapless and never reused.

    One counter row per (tenant, type), incremented in the issuing transaction: the
    row lock serialises concurrent issuers and a rolled-back issue rolls its number
    back with it, so committed numbers have no gaps. Numbers follow issue dates: a
    document may not be dated before the last one of its type.
    """
    row = (
        await session.execute(
            text(
                "INSERT INTO document_counters (tenant_id, doc_type, last_number, last_issue_date) "
                "VALUES (:tenant, :type, 1, :date) "
                "ON CONFLICT (tenant_id, doc_type) DO UPDATE "
                "SET last_number = document_counters.last_number + 1, "
                "last_issue_date = EXCLUDED.last_issue_date "
                "WHERE document_counters.last_issue_date <= EXCLUDED.last_issue_date "
                "RETURNING last_number"
            ),
            {"tenant": tenant_id, "type": doc_type.value, "date": issue_date},
        )
    ).scalar_one_or_none()
    if row is None:
        raise FailedPrecondition(
            f"a {doc_type.value} dated after {issue_date} was already issued; "
            "documents are numbered in date order",
            reason="ISSUE_DATE_BEFORE_LAST",
        )
    return row


async def open_quantities(
    session: AsyncSession, tenant_id: uuid.UUID, line_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Decimal]:
    """Quantity of each line already carried to following documents."""
    if not line_ids:
        return {}
    stmt = (
        select(DocumentLine.base_line_id, func.sum(DocumentLine.quantity))
        .where(DocumentLine.tenant_id == tenant_id, DocumentLine.base_line_id.in_(line_ids))
        .group_by(DocumentLine.base_line_id)
    )
    return {k: v for k, v in (await session.execute(stmt)).all()}


async def allocated_to(session: AsyncSession, tenant_id: uuid.UUID, doc_id: uuid.UUID) -> int:
    stmt = select(func.coalesce(func.sum(Allocation.amount_agorot), 0)).where(
        Allocation.tenant_id == tenant_id, Allocation.document_id == doc_id
    )
    return int((await session.execute(stmt)).scalar_one())


async def allocated_from_credit(
    session: AsyncSession, tenant_id: uuid.UUID, doc_id: uuid.UUID
) -> int:
    stmt = select(func.coalesce(func.sum(Allocation.amount_agorot), 0)).where(
        Allocation.tenant_id == tenant_id, Allocation.credit_document_id == doc_id
    )
    return int((await session.execute(stmt)).scalar_one())


async def open_amount(session: AsyncSession, doc: Document) -> int:
    if doc.doc_type in INVOICES:
        return doc.total_agorot - await allocated_to(session, doc.tenant_id, doc.id)
    if doc.doc_type == DocType.CREDIT_NOTE:
        return doc.total_agorot - await allocated_from_credit(session, doc.tenant_id, doc.id)
    return 0


async def get_document(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    document_id: uuid.UUID,
    for_update: bool = False,
) -> Document:
    stmt = select(Document).where(Document.tenant_id == tenant_id, Document.id == document_id)
    if for_update:
        stmt = stmt.with_for_update()
    doc = (await session.execute(stmt)).scalar_one_or_none()
    if doc is None:
        raise NotFound(f"document {document_id} not found")
    return doc


async def list_documents(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID | None,
    doc_type: DocType | None,
) -> list[Document]:
    stmt = select(Document).where(Document.tenant_id == tenant_id)
    if party_id:
        stmt = stmt.where(Document.party_id == party_id)
    if doc_type:
        stmt = stmt.where(Document.doc_type == doc_type.value)
    stmt = stmt.order_by(Document.id).limit(500)
    return list((await session.execute(stmt)).scalars())


async def issue_document(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    data: DocumentInput,
    render_pdf: bool = True,
    now: dt.datetime | None = None,
) -> Document:
    now = now or dt.datetime.now(dt.UTC)
    v = Validator()
    doc_type = data.doc_type
    if doc_type == DocType.RECEIPT:
        raise InvalidArgument(
            "a receipt is issued by recording a payment",
            violations=[_fv("type", "use RecordPayment for a receipt")],
        )
    issue_date = data.issue_date or now.astimezone(ISRAEL).date()
    if issue_date > now.astimezone(ISRAEL).date():
        v.add("issue_date", "must not be in the future")
    if data.due_date and data.due_date < issue_date:
        v.add("due_date", "must not be before the issue date")
    if len(data.notes) > 1000:
        v.add("notes", "must be at most 1000 characters")
    if data.customer_tax_id and not (
        data.customer_tax_id.isdigit() and len(data.customer_tax_id) <= 9
    ):
        v.add("customer_tax_id", "must be up to 9 digits")

    base: Document | None = None
    if data.base_document_id:
        base = await get_document(
            session=session,
            tenant_id=tenant_id,
            document_id=data.base_document_id,
            for_update=True,
        )
        if base.doc_type not in BASES[doc_type]:
            v.add(
                "base_document_id",
                f"a {doc_type.value} cannot be based on a {base.doc_type}",
            )
    elif doc_type == DocType.CREDIT_NOTE:
        v.add("base_document_id", "a credit note needs the invoice it corrects")

    party_id = data.party_id or (base.party_id if base else None)
    if party_id is None:
        v.add("party_id", "is required")
    elif base is not None and base.party_id != party_id:
        v.add("party_id", "must be the base document's party")
    name = data.customer_name.strip() or (base.customer_name if base else "")
    if not name and party_id is not None:
        party = await session.get(Party, (tenant_id, party_id))
        name = party.name if party else ""
    if not name:
        v.add("customer_name", "is required when the party is not known to billing yet")
    if len(name) > 200:
        v.add("customer_name", "must be at most 200 characters")
    v.raise_if_any(f"the {doc_type.value} is not valid")
    assert party_id is not None

    lines = await _build_lines(session, tenant_id, party_id, data, base, v)
    if not lines and not v.violations:
        v.add("lines", "a document needs at least one line")
    v.raise_if_any(f"the {doc_type.value} is not valid")

    vat_rate = await vat_rate_on(session, tenant_id, issue_date)
    totals = document_totals(((ln.net_agorot, ln.vat_category) for ln in lines), vat_rate)
    doc_id = uuid7()

    if doc_type == DocType.CREDIT_NOTE:
        assert base is not None
        credited = await _credited(session, tenant_id, base.id)
        if credited + totals.total_agorot > base.total_agorot:
            raise FailedPrecondition(
                f"the credit notes would exceed invoice {base.number}",
                reason="CREDIT_EXCEEDS_INVOICE",
            )
    if doc_type == DocType.INVOICE_RECEIPT:
        paid = sum(p.amount_agorot for p in data.payments)
        if paid != totals.total_agorot:
            raise InvalidArgument(
                "an invoice-receipt is paid in full when issued",
                violations=[_fv("payments", f"must add up to {totals.total_agorot} agorot")],
            )
    elif data.payments:
        raise InvalidArgument(
            "only an invoice-receipt carries payments",
            violations=[_fv("payments", "must be empty for this type")],
        )
    for i, p in enumerate(data.payments):
        _validate_payment(p, f"payments[{i}]", v)
    v.raise_if_any(f"the {doc_type.value} is not valid")

    allocation_number = None
    # B3: B2B tax invoices and credit notes (which correct them) above the threshold in force
    # need an allocation number. The customer VAT id defaults to the base document's (as the
    # stored document does), so an invoice of a B2B order or a credit note of a B2B invoice
    # is B2B too.
    customer_tax_id = data.customer_tax_id or (base.customer_tax_id if base else None)
    if (doc_type in INVOICES or doc_type == DocType.CREDIT_NOTE) and customer_tax_id:
        threshold = await allocation_threshold_on(session, tenant_id, issue_date)
        if threshold is not None and totals.subtotal_agorot > threshold:
            business = await catalog.get_business_profile(session=session, tenant_id=tenant_id)
            try:
                allocation_number = await authority().allocate(
                    AllocationRequest(
                        tenant_id=tenant_id,
                        supplier_tax_id=(business.tax_id if business else "") or "",
                        customer_tax_id=customer_tax_id,
                        document_id=doc_id,
                        issue_date=issue_date,
                        subtotal_agorot=totals.subtotal_agorot,
                        vat_agorot=totals.vat_agorot,
                        document_type=doc_type.value,
                        base_allocation_number=(base.allocation_number or "") if base else "",
                    )
                )
            except AllocationRefused as exc:
                raise FailedPrecondition(
                    f"the Tax Authority refused an allocation number: {exc.reason}",
                    reason="ALLOCATION_REFUSED",
                ) from None

    number = await next_number(session, tenant_id, doc_type, issue_date)
    doc = Document(
        id=doc_id,
        tenant_id=tenant_id,
        doc_type=doc_type.value,
        number=number,
        party_id=party_id,
        lead_id=data.lead_id or (base.lead_id if base else None),
        customer_name=name,
        customer_tax_id=customer_tax_id,
        base_document_id=base.id if base else None,
        issue_date=issue_date,
        due_date=data.due_date,
        vat_rate_bp=vat_rate,
        subtotal_agorot=totals.subtotal_agorot,
        vat_agorot=totals.vat_agorot,
        total_agorot=totals.total_agorot,
        allocation_number=allocation_number,
        notes=data.notes or None,
        prints=0,
        created_at=now,
        lines=lines,
    )
    for ln in lines:
        ln.tenant_id = tenant_id
        if doc_type == DocType.ORDER:
            ln.status = LineStatus.OPEN.value
    session.add(doc)
    await session.flush()

    payment_rows: list[pdf_renderer.PaymentRow] = []
    if doc_type == DocType.INVOICE_RECEIPT:
        for p in data.payments:
            payment = _payment_row(tenant_id, party_id, name, p, issue_date, doc.id)
            session.add(payment)
            await session.flush()
            session.add(
                Allocation(
                    tenant_id=tenant_id,
                    document_id=doc.id,
                    payment_id=payment.id,
                    amount_agorot=p.amount_agorot,
                    allocated_on=issue_date,
                )
            )
            payment_rows.append(payment_line(payment))
    if doc_type == DocType.CREDIT_NOTE:
        assert base is not None
        base_open = await open_amount(session, base)
        amount = min(base_open, doc.total_agorot)
        if amount > 0:
            session.add(
                Allocation(
                    tenant_id=tenant_id,
                    document_id=base.id,
                    credit_document_id=doc.id,
                    amount_agorot=amount,
                    allocated_on=issue_date,
                )
            )
    await session.flush()
    await events.document_issued(session, doc, now)
    if render_pdf:
        await store_original_pdf(session, doc, base=base, payments=payment_rows)
    return doc


def _fv(field_name: str, description: str) -> FieldViolation:
    return FieldViolation(field_name, description)


def _validate_payment(p: PaymentInput, prefix: str, v: Validator) -> None:
    if p.method not in set(Method):
        v.add(f"{prefix}.method", "must be card, bank_transfer, cash, cheque or standing_order")
    if p.amount_agorot <= 0:
        v.add(f"{prefix}.amount_agorot", "must be positive")
    if p.method == Method.CHEQUE:
        for name in ("cheque_number", "bank_code", "branch_code"):
            value = getattr(p, name)
            if not value or not value.isdigit() or len(value) > 20:
                v.add(f"{prefix}.{name}", "is required for a cheque (digits)")
        if p.due_date is None:
            v.add(f"{prefix}.due_date", "is required for a cheque")
    if p.reference and len(p.reference) > 100:
        v.add(f"{prefix}.reference", "must be at most 100 characters")


def _payment_row(
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    name: str,
    p: PaymentInput,
    received_on: dt.date,
    receipt_id: uuid.UUID | None,
) -> Payment:
    return Payment(
        id=uuid7(),
        tenant_id=tenant_id,
        party_id=party_id,
        customer_name=name,
        method=p.method,
        amount_agorot=p.amount_agorot,
        status=PaymentStatus.SUCCEEDED.value,
        received_on=received_on,
        reference=p.reference or None,
        cheque_number=p.cheque_number or None,
        bank_code=p.bank_code or None,
        branch_code=p.branch_code or None,
        account_number=p.account_number or None,
        due_date=p.due_date,
        receipt_document_id=receipt_id,
    )


def payment_line(p: Payment) -> pdf_renderer.PaymentRow:
    details = []
    if p.method == Method.CHEQUE:
        details.append(
            f"שיק {p.cheque_number} בנק {p.bank_code} סניף {p.branch_code} "
            f"לתאריך {p.due_date:%d/%m/%Y}"
        )
    if p.reference:
        details.append(f"אסמכתא {p.reference}")
    return pdf_renderer.PaymentRow(
        METHOD_NAMES.get(Method(p.method), p.method), p.amount_agorot, " ".join(details)
    )


async def _credited(session: AsyncSession, tenant_id: uuid.UUID, invoice_id: uuid.UUID) -> int:
    stmt = select(func.coalesce(func.sum(Document.total_agorot), 0)).where(
        Document.tenant_id == tenant_id,
        Document.base_document_id == invoice_id,
        Document.doc_type == DocType.CREDIT_NOTE.value,
    )
    return int((await session.execute(stmt)).scalar_one())


async def _build_lines(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    data: DocumentInput,
    base: Document | None,
    v: Validator,
) -> list[DocumentLine]:
    base_lines = {ln.id: ln for ln in base.lines} if base else {}
    carried = await open_quantities(session, tenant_id, list(base_lines))
    inputs = list(data.lines)
    if not inputs and base is not None:
        # the whole open remainder of the base document
        inputs = [
            LineInput(base_line_id=ln.id, quantity=str(ln.quantity - carried.get(ln.id, 0)))
            for ln in base.lines
            if ln.quantity - carried.get(ln.id, 0) > 0 and ln.status != LineStatus.CANCELLED
        ]
    out: list[DocumentLine] = []
    for i, item in enumerate(inputs):
        f = f"lines[{i}]"
        raw_qty = item.quantity
        if not raw_qty and item.base_line_id in base_lines:
            src_line = base_lines[item.base_line_id]
            raw_qty = str(src_line.quantity - carried.get(src_line.id, 0))  # the open remainder
        qty = parse_quantity(raw_qty or "1", f"{f}.quantity", v)
        if not 0 <= item.discount_bp < 10_000:
            v.add(f"{f}.discount_bp", "must be between 0 and 9999")
            continue
        if item.base_line_id is not None:
            src = base_lines.get(item.base_line_id)
            if src is None:
                v.add(f"{f}.base_line_id", "is not a line of the base document")
                continue
            open_qty = src.quantity - carried.get(src.id, 0)
            if qty is not None and qty > open_qty:
                v.add(f"{f}.quantity", f"only {open_qty.normalize():f} left on the base line")
                continue
            if qty is None:
                continue
            carried[src.id] = carried.get(src.id, 0) + qty
            line = DocumentLine(
                product_id=src.product_id,
                sku=src.sku,
                name_he=src.name_he,
                name_en=src.name_en,
                unit=src.unit,
                quantity=qty,
                unit_price_agorot=src.unit_price_agorot,
                discount_bp=src.discount_bp,
                vat_category=src.vat_category,
                base_line_id=src.id,
            )
        elif item.product_id is not None:
            product = await catalog.get_product(
                session=session, tenant_id=tenant_id, product_id=item.product_id
            )
            if product is None:
                v.add(f"{f}.product_id", "no such product")
                continue
            if qty is None:
                continue
            price, terms_discount = await catalog.resolve_price(
                session=session, tenant_id=tenant_id, party_id=party_id, product=product
            )
            line = DocumentLine(
                product_id=product.id,
                sku=product.sku,
                name_he=product.name_he,
                name_en=product.name_en,
                unit=product.unit,
                quantity=qty,
                unit_price_agorot=price,
                discount_bp=combine_discounts(terms_discount, item.discount_bp),
                vat_category=product.vat_category,
            )
        else:
            desc = item.description.strip()
            if not desc or len(desc) > 300:
                v.add(f"{f}.description", "a line needs a product, a base line or a description")
            if item.unit_price_agorot < 0:
                v.add(f"{f}.unit_price_agorot", "must not be negative")
            category = item.vat_category or VatCategory.STANDARD.value
            if category not in set(VatCategory):
                v.add(f"{f}.vat_category", "must be standard, exempt or zero_rated")
            if qty is None or not desc or item.unit_price_agorot < 0:
                continue
            line = DocumentLine(
                product_id=None,
                sku=None,
                name_he=desc,
                name_en=None,
                unit="יח'",
                quantity=qty,
                unit_price_agorot=item.unit_price_agorot,
                discount_bp=item.discount_bp,
                vat_category=category,
            )
        line.id = uuid7()
        line.line_no = len(out) + 1
        line.net_agorot = line_net(line.quantity, line.unit_price_agorot, line.discount_bp)
        out.append(line)
    return out


async def accept_quote(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    document_id: uuid.UUID,
    now: dt.datetime | None = None,
) -> Document:
    doc = await get_document(
        session=session, tenant_id=tenant_id, document_id=document_id, for_update=True
    )
    if doc.doc_type != DocType.QUOTE:
        raise FailedPrecondition(f"document {document_id} is not a quote", reason="NOT_A_QUOTE")
    if doc.accepted_at is not None:
        raise FailedPrecondition(
            f"quote {doc.number} was already accepted", reason="QUOTE_ALREADY_ACCEPTED"
        )
    doc.accepted_at = now or dt.datetime.now(dt.UTC)
    await session.flush()
    await events.quote_accepted(session, doc)
    return doc


async def _render(
    session: AsyncSession,
    doc: Document,
    *,
    copy: bool,
    base: Document | None = None,
    payments: list[pdf_renderer.PaymentRow] | None = None,
) -> bytes:
    business = await catalog.get_business_profile(session=session, tenant_id=doc.tenant_id)
    if base is None and doc.base_document_id:
        base = await get_document(
            session=session, tenant_id=doc.tenant_id, document_id=doc.base_document_id
        )
    if payments is None:
        rows = await session.execute(
            select(Payment)
            .where(Payment.tenant_id == doc.tenant_id, Payment.receipt_document_id == doc.id)
            .order_by(Payment.id)
        )
        payments = [payment_line(p) for p in rows.scalars()]
    return pdf_renderer.render(doc, business=business, base=base, payments=payments, copy=copy)


async def store_original_pdf(
    session: AsyncSession,
    doc: Document,
    *,
    base: Document | None = None,
    payments: list[pdf_renderer.PaymentRow] | None = None,
) -> DocumentPdf:
    data = await _render(session, doc, copy=False, base=base, payments=payments)
    stored = DocumentPdf(
        tenant_id=doc.tenant_id, document_id=doc.id, pdf=data, sha256=pdf_renderer.sha256(data)
    )
    session.add(stored)
    await session.flush()
    return stored


async def get_pdf(
    *, session: AsyncSession, tenant_id: uuid.UUID, document_id: uuid.UUID
) -> tuple[bytes, bool, str, Document]:
    """The first print is the stored original (מקור); every later one is a copy (העתק)."""
    doc = await get_document(
        session=session, tenant_id=tenant_id, document_id=document_id, for_update=True
    )
    stored = await session.get(DocumentPdf, doc.id)
    if stored is None:
        stored = await store_original_pdf(session, doc)
    if pdf_renderer.sha256(stored.pdf) != stored.sha256:
        raise FailedPrecondition(
            f"the stored PDF of document {doc.id} fails its checksum", reason="PDF_CORRUPT"
        )
    original = doc.prints == 0
    data = stored.pdf if original else await _render(session, doc, copy=True)
    doc.prints += 1
    await session.flush()
    return data, original, stored.sha256, doc


async def pdf_checksum(session: AsyncSession, doc: Document) -> str:
    stored = await session.get(DocumentPdf, doc.id)
    return stored.sha256 if stored else ""
