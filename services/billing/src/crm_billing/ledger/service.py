"""Read use cases over issued documents, payments and allocations.

Aging is by days past the due date (the issue date when there is none): an item
not yet due is in 0-30. Balance = invoices - credit notes - succeeded payments.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_billing.documents.models import INVOICES, DocType, Document, DocumentLine
from crm_billing.parties.models import Party
from crm_billing.payments.models import Allocation, Payment, PaymentStatus

_INVOICE_TYPES = [t.value for t in INVOICES]
BUCKETS = ((0, 30), (31, 60), (61, 90), (91, None))


@dataclass
class OpenItem:
    document: Document
    open_agorot: int
    days_overdue: int


@dataclass
class StatementLine:
    date: dt.date
    description: str
    debit: int
    credit: int
    balance: int = 0


@dataclass
class Ledger:
    open_items: list[OpenItem]
    balance: int
    statement: list[StatementLine]
    unallocated_credit: int


@dataclass
class AgingRow:
    party_id: uuid.UUID | None
    customer_name: str
    phone: str
    buckets: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    @property
    def total(self) -> int:
        return sum(self.buckets)


def bucket_of(days: int) -> int:
    for i, (lo, hi) in enumerate(BUCKETS):
        if days <= lo or hi is None or days <= hi:
            return i
    return len(BUCKETS) - 1


async def _allocated_by_document(
    session: AsyncSession, tenant_id: uuid.UUID, column, as_of: dt.date
) -> dict[uuid.UUID, int]:
    stmt = (
        select(column, func.sum(Allocation.amount_agorot))
        .where(
            Allocation.tenant_id == tenant_id, column.is_not(None), Allocation.allocated_on <= as_of
        )
        .group_by(column)
    )
    return {k: int(v) for k, v in (await session.execute(stmt)).all()}


async def open_items(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    as_of: dt.date,
    party_id: uuid.UUID | None = None,
) -> list[OpenItem]:
    stmt = select(Document).where(
        Document.tenant_id == tenant_id,
        Document.doc_type.in_(_INVOICE_TYPES),
        Document.issue_date <= as_of,
    )
    if party_id:
        stmt = stmt.where(Document.party_id == party_id)
    docs = list(
        (await session.execute(stmt.order_by(Document.issue_date, Document.number))).scalars()
    )
    allocated = await _allocated_by_document(session, tenant_id, Allocation.document_id, as_of)
    out = []
    for doc in docs:
        left = doc.total_agorot - allocated.get(doc.id, 0)
        if left > 0:
            due = doc.due_date or doc.issue_date
            out.append(OpenItem(doc, left, max(0, (as_of - due).days)))
    return out


async def ledger(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    as_of: dt.date,
    from_date: dt.date | None = None,
) -> Ledger:
    items = await open_items(session, tenant_id, as_of, party_id)
    docs = (
        await session.execute(
            select(Document).where(
                Document.tenant_id == tenant_id,
                Document.party_id == party_id,
                Document.doc_type.in_([*_INVOICE_TYPES, DocType.CREDIT_NOTE.value]),
                Document.issue_date <= as_of,
            )
        )
    ).scalars()
    payments = list(
        (
            await session.execute(
                select(Payment).where(
                    Payment.tenant_id == tenant_id,
                    Payment.party_id == party_id,
                    Payment.status == PaymentStatus.SUCCEEDED.value,
                    Payment.received_on <= as_of,
                )
            )
        ).scalars()
    )
    from crm_billing.documents.pdf import TITLES
    from crm_billing.documents.service import METHOD_NAMES

    lines: list[tuple[dt.date, int, StatementLine]] = []
    for d in docs:
        title = f"{TITLES[DocType(d.doc_type)]} {d.number}"
        if d.doc_type == DocType.CREDIT_NOTE:
            lines.append(
                (d.issue_date, d.number, StatementLine(d.issue_date, title, 0, d.total_agorot))
            )
        else:
            lines.append(
                (d.issue_date, d.number, StatementLine(d.issue_date, title, d.total_agorot, 0))
            )
    for p in payments:
        from crm_billing.payments.models import Method

        desc = f"תשלום - {METHOD_NAMES.get(Method(p.method), p.method)}"
        lines.append((p.received_on, 0, StatementLine(p.received_on, desc, 0, p.amount_agorot)))
    lines.sort(key=lambda x: (x[0], x[2].credit > 0, x[1]))
    balance = 0
    statement = []
    opening: StatementLine | None = None
    for _, _, line in lines:
        balance += line.debit - line.credit
        line.balance = balance
        if from_date is not None and line.date < from_date:
            opening = StatementLine(from_date, "יתרת פתיחה", max(balance, 0), max(-balance, 0))
            opening.balance = balance
            continue
        statement.append(line)
    if opening is not None:
        statement.insert(0, opening)
    unallocated = balance - sum(i.open_agorot for i in items)
    return Ledger(items, balance, statement, max(0, -unallocated))


async def aging(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    as_of: dt.date,
    party_id: uuid.UUID | None = None,
) -> tuple[list[AgingRow], AgingRow]:
    rows: dict[uuid.UUID, AgingRow] = {}
    for item in await open_items(session, tenant_id, as_of, party_id):
        doc = item.document
        row = rows.setdefault(doc.party_id, AgingRow(doc.party_id, doc.customer_name, ""))
        row.buckets[bucket_of(item.days_overdue)] += item.open_agorot
    if rows:
        parties = await session.execute(
            select(Party).where(Party.tenant_id == tenant_id, Party.party_id.in_(list(rows)))
        )
        for party in parties.scalars():
            rows[party.party_id].phone = party.phone or ""
    ordered = sorted(rows.values(), key=lambda r: (-r.buckets[3], -r.total, r.customer_name))
    total = AgingRow(None, 'סה"כ', "")
    for r in ordered:
        total.buckets = [a + b for a, b in zip(total.buckets, r.buckets, strict=True)]
    return ordered, total


@dataclass
class PurchasedItem:
    sku: str
    name_he: str
    quantity: Decimal
    net: int
    discount: int
    last_bought: dt.date
    invoices: int


@dataclass
class PurchaseHistory:
    items: list[PurchasedItem]
    invoiced: int
    discount: int
    paid: int
    average_days_to_pay: float


async def purchase_history(
    *, session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID
) -> PurchaseHistory:
    gross = DocumentLine.quantity * DocumentLine.unit_price_agorot
    stmt = (
        select(
            func.coalesce(DocumentLine.sku, DocumentLine.name_he),
            func.min(DocumentLine.name_he),
            func.sum(DocumentLine.quantity),
            func.sum(DocumentLine.net_agorot),
            func.sum(func.round(gross) - DocumentLine.net_agorot),
            func.max(Document.issue_date),
            func.count(func.distinct(Document.id)),
        )
        .join(Document, Document.id == DocumentLine.document_id)
        .where(
            Document.tenant_id == tenant_id,
            Document.party_id == party_id,
            Document.doc_type.in_(_INVOICE_TYPES),
        )
        .group_by(func.coalesce(DocumentLine.sku, DocumentLine.name_he))
        .order_by(func.sum(DocumentLine.net_agorot).desc())
    )
    items = [
        PurchasedItem(r[0], r[1], r[2], int(r[3]), int(r[4]), r[5], int(r[6]))
        for r in (await session.execute(stmt)).all()
    ]
    invoices = list(
        (
            await session.execute(
                select(Document).where(
                    Document.tenant_id == tenant_id,
                    Document.party_id == party_id,
                    Document.doc_type.in_(_INVOICE_TYPES),
                )
            )
        ).scalars()
    )
    last_allocation = (
        dict(
            (
                await session.execute(
                    select(Allocation.document_id, func.max(Allocation.allocated_on))
                    .where(
                        Allocation.tenant_id == tenant_id,
                        Allocation.document_id.in_([d.id for d in invoices]),
                    )
                    .group_by(Allocation.document_id)
                )
            ).all()
        )
        if invoices
        else {}
    )
    allocated = await _allocated_by_document(
        session, tenant_id, Allocation.document_id, dt.date.max
    )
    days = [
        (last_allocation[d.id] - d.issue_date).days
        for d in invoices
        if d.id in last_allocation and allocated.get(d.id, 0) >= d.total_agorot
    ]
    paid = (
        await session.execute(
            select(func.coalesce(func.sum(Payment.amount_agorot), 0)).where(
                Payment.tenant_id == tenant_id,
                Payment.party_id == party_id,
                Payment.status == PaymentStatus.SUCCEEDED.value,
            )
        )
    ).scalar_one()
    return PurchaseHistory(
        items=items,
        invoiced=sum(d.total_agorot for d in invoices),
        discount=sum(i.discount for i in items),
        paid=int(paid),
        average_days_to_pay=(sum(days) / len(days)) if days else -1.0,
    )


@dataclass
class Lapsed:
    party_id: uuid.UUID
    customer_name: str
    phone: str
    last_bought: dt.date
    quantity: Decimal


async def lapsed_customers(
    *, session: AsyncSession, tenant_id: uuid.UUID, sku: str, days: int, as_of: dt.date
) -> list[Lapsed]:
    """Customers who bought ``sku`` before and not in the last ``days`` days (B8)."""
    cutoff = as_of - dt.timedelta(days=days)
    last = func.max(Document.issue_date)
    stmt = (
        select(
            Document.party_id,
            func.max(Document.customer_name),
            last,
            func.sum(DocumentLine.quantity),
        )
        .join(DocumentLine, Document.id == DocumentLine.document_id)
        .where(
            Document.tenant_id == tenant_id,
            DocumentLine.sku == sku,
            Document.doc_type.in_(_INVOICE_TYPES),
            Document.issue_date <= as_of,
        )
        .group_by(Document.party_id)
        .having(last < cutoff)
        .order_by(last)
    )
    rows = (await session.execute(stmt)).all()
    phones = {}
    if rows:
        parties = await session.execute(
            select(Party.party_id, Party.phone).where(
                Party.tenant_id == tenant_id, Party.party_id.in_([r[0] for r in rows])
            )
        )
        phones = dict(parties.all())
    return [Lapsed(r[0], r[1], phones.get(r[0]) or "", r[2], r[3]) for r in rows]
