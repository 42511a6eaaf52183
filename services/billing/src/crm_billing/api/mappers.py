"""Domain <-> protobuf."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from crm.billing.v1 import billing_service_pb2 as pb
from crm_billing.catalog.models import Product, VatCategory
from crm_billing.documents.models import DocType, Document, LineStatus
from crm_billing.handoff.models import WonDeal, WonDealStatus
from crm_billing.parties.models import Party
from crm_billing.payments.models import Allocation, Method, Payment
from crm_common.errors import FieldViolation, InvalidArgument
from crm_common.protoutil import timestamp

VAT = {
    VatCategory.STANDARD: pb.VAT_CATEGORY_STANDARD,
    VatCategory.EXEMPT: pb.VAT_CATEGORY_EXEMPT,
    VatCategory.ZERO_RATED: pb.VAT_CATEGORY_ZERO_RATED,
}
VAT_FROM_PB = {v: k for k, v in VAT.items()}
DOC = {
    DocType.QUOTE: pb.DOCUMENT_TYPE_QUOTE,
    DocType.ORDER: pb.DOCUMENT_TYPE_ORDER,
    DocType.DELIVERY_NOTE: pb.DOCUMENT_TYPE_DELIVERY_NOTE,
    DocType.TAX_INVOICE: pb.DOCUMENT_TYPE_TAX_INVOICE,
    DocType.INVOICE_RECEIPT: pb.DOCUMENT_TYPE_INVOICE_RECEIPT,
    DocType.RECEIPT: pb.DOCUMENT_TYPE_RECEIPT,
    DocType.CREDIT_NOTE: pb.DOCUMENT_TYPE_CREDIT_NOTE,
}
DOC_FROM_PB = {v: k for k, v in DOC.items()}
METHOD = {
    Method.CARD: pb.PAYMENT_METHOD_CARD,
    Method.BANK_TRANSFER: pb.PAYMENT_METHOD_BANK_TRANSFER,
    Method.CASH: pb.PAYMENT_METHOD_CASH,
    Method.CHEQUE: pb.PAYMENT_METHOD_CHEQUE,
    Method.STANDING_ORDER: pb.PAYMENT_METHOD_STANDING_ORDER,
}
METHOD_FROM_PB = {v: k for k, v in METHOD.items()}
STATUS = {
    LineStatus.OPEN: pb.LINE_STATUS_OPEN,
    LineStatus.PICKED: pb.LINE_STATUS_PICKED,
    LineStatus.SHIPPED: pb.LINE_STATUS_SHIPPED,
    LineStatus.DELIVERED: pb.LINE_STATUS_DELIVERED,
    LineStatus.CANCELLED: pb.LINE_STATUS_CANCELLED,
}
STATUS_FROM_PB = {v: k for k, v in STATUS.items()}


def parse_date(raw: str, field: str, *, required: bool = False) -> dt.date | None:
    if not raw:
        if required:
            raise InvalidArgument(
                f"{field} is required", violations=[FieldViolation(field, "is required")]
            )
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidArgument(
            f"{field} must be a date",
            violations=[FieldViolation(field, "must be a date YYYY-MM-DD")],
        ) from None


def qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def party_to_pb(party: Party) -> pb.Party:
    return pb.Party(
        party_id=str(party.party_id),
        name=party.name,
        phone=party.phone or "",
        email=party.email or "",
        updated_at=timestamp(party.updated_at),
    )


def product_to_pb(p: Product) -> pb.Product:
    return pb.Product(
        product_id=str(p.id),
        sku=p.sku,
        name_he=p.name_he,
        name_en=p.name_en or "",
        unit=p.unit,
        price_agorot=p.price_agorot,
        vat_category=VAT[VatCategory(p.vat_category)],
    )


def document_to_pb(
    d: Document, *, carried: dict | None = None, open_agorot: int = 0, sha256: str = ""
) -> pb.Document:
    carried = carried or {}
    return pb.Document(
        document_id=str(d.id),
        type=DOC[DocType(d.doc_type)],
        number=d.number,
        party_id=str(d.party_id),
        lead_id=str(d.lead_id) if d.lead_id else "",
        customer_name=d.customer_name,
        customer_tax_id=d.customer_tax_id or "",
        base_document_id=str(d.base_document_id) if d.base_document_id else "",
        issue_date=d.issue_date.isoformat(),
        due_date=d.due_date.isoformat() if d.due_date else "",
        vat_rate_bp=d.vat_rate_bp,
        subtotal_agorot=d.subtotal_agorot,
        vat_agorot=d.vat_agorot,
        total_agorot=d.total_agorot,
        allocation_number=d.allocation_number or "",
        pdf_sha256=sha256,
        accepted=d.accepted_at is not None,
        open_agorot=open_agorot,
        created_at=timestamp(d.created_at),
        lines=[
            pb.DocumentLine(
                line_id=str(ln.id),
                line_no=ln.line_no,
                product_id=str(ln.product_id) if ln.product_id else "",
                sku=ln.sku or "",
                name_he=ln.name_he,
                name_en=ln.name_en or "",
                unit=ln.unit,
                quantity=qty(ln.quantity),
                unit_price_agorot=ln.unit_price_agorot,
                discount_bp=ln.discount_bp,
                net_agorot=ln.net_agorot,
                vat_category=VAT[VatCategory(ln.vat_category)],
                base_line_id=str(ln.base_line_id) if ln.base_line_id else "",
                status=STATUS[LineStatus(ln.status)] if ln.status else pb.LINE_STATUS_UNSPECIFIED,
                open_quantity=qty(ln.quantity - carried.get(ln.id, 0)),
            )
            for ln in d.lines
        ],
    )


def payment_to_pb(p: Payment, allocations: list[Allocation]) -> pb.Payment:
    return pb.Payment(
        payment_id=str(p.id),
        party_id=str(p.party_id),
        method=METHOD[Method(p.method)],
        amount_agorot=p.amount_agorot,
        status=p.status,
        receipt_document_id=str(p.receipt_document_id) if p.receipt_document_id else "",
        provider_reference=p.provider_reference or "",
        failure_reason=p.failure_reason or "",
        allocations=[
            pb.Allocation(document_id=str(a.document_id), amount_agorot=a.amount_agorot)
            for a in allocations
        ],
    )


def schedule_to_pb(s) -> pb.CardSchedule:
    return pb.CardSchedule(
        schedule_id=str(s.id),
        party_id=str(s.party_id),
        amount_agorot=s.amount_agorot,
        interval_months=s.interval_months,
        next_charge_on=s.next_charge_on.isoformat(),
        retry_on=s.retry_on.isoformat() if s.retry_on else "",
        failed_attempts=s.failed_attempts,
        active=s.active,
    )


WON_DEAL_STATUS_TO_PB = {
    WonDealStatus.PARKED: pb.WON_DEAL_STATUS_PARKED,
    WonDealStatus.ORDERED: pb.WON_DEAL_STATUS_ORDERED,
}
WON_DEAL_STATUS_FROM_PB = {v: k for k, v in WON_DEAL_STATUS_TO_PB.items()}


def won_deal_to_pb(w: WonDeal) -> pb.WonDeal:
    return pb.WonDeal(
        deal_id=str(w.deal_id),
        party_id=str(w.party_id),
        lead_id=str(w.lead_id) if w.lead_id else "",
        title=w.title,
        account_name=w.account_name or "",
        amount_agorot=w.amount_agorot,
        status=WON_DEAL_STATUS_TO_PB[WonDealStatus(w.status)],
        order_id=str(w.order_id) if w.order_id else "",
        won_at=timestamp(w.won_at),
        received_at=timestamp(w.received_at),
        ordered_at=timestamp(w.ordered_at),
    )
