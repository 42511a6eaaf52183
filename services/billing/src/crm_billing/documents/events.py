"""Document events: protobuf payloads written to the outbox (topic per aggregate)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.billing.v1 import billing_events_pb2 as ev
from crm_billing.documents.models import DocType, Document
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp

# aggregate name, topic and event message per document type
_ISSUED = {
    DocType.QUOTE: ("quote", ev.QuoteIssued),
    DocType.ORDER: ("order", ev.OrderIssued),
    DocType.DELIVERY_NOTE: ("delivery", ev.DeliveryIssued),
    DocType.TAX_INVOICE: ("invoice", ev.InvoiceIssued),
    DocType.INVOICE_RECEIPT: ("invoice", ev.InvoiceIssued),
    DocType.RECEIPT: ("receipt", ev.ReceiptIssued),
    DocType.CREDIT_NOTE: ("credit", ev.CreditIssued),
}


def topic(aggregate: str) -> str:
    return f"crm.billing.{aggregate}"


def issued_document(doc: Document, issued_at: dt.datetime) -> ev.IssuedDocument:
    return ev.IssuedDocument(
        document_id=str(doc.id),
        document_type=doc.doc_type,
        number=doc.number,
        party_id=str(doc.party_id),
        lead_id=str(doc.lead_id) if doc.lead_id else "",
        customer_name=doc.customer_name,
        base_document_id=str(doc.base_document_id) if doc.base_document_id else "",
        issue_date=doc.issue_date.isoformat(),
        subtotal_agorot=doc.subtotal_agorot,
        vat_agorot=doc.vat_agorot,
        total_agorot=doc.total_agorot,
        allocation_number=doc.allocation_number or "",
        issued_at=timestamp(issued_at),
    )


async def document_issued(session: AsyncSession, doc: Document, issued_at: dt.datetime) -> None:
    aggregate, message = _ISSUED[DocType(doc.doc_type)]
    await add_event(
        session,
        topic=topic(aggregate),
        aggregate_type=aggregate,
        aggregate_id=doc.id,
        tenant_id=doc.tenant_id,
        event=message(document=issued_document(doc, issued_at)),
        occurred_at=issued_at,
    )


async def quote_accepted(session: AsyncSession, doc: Document) -> None:
    assert doc.accepted_at is not None
    await add_event(
        session,
        topic=topic("quote"),
        aggregate_type="quote",
        aggregate_id=doc.id,
        tenant_id=doc.tenant_id,
        event=ev.QuoteAccepted(
            document=issued_document(doc, doc.created_at or doc.accepted_at),
            accepted_at=timestamp(doc.accepted_at),
        ),
        occurred_at=doc.accepted_at,
    )


async def order_shipped(
    session: AsyncSession,
    doc: Document,
    *,
    line_ids: list[str],
    expected_arrival: dt.date,
    carrier: str,
    tracking_number: str,
    phone: str,
    shipped_at: dt.datetime,
) -> None:
    await add_event(
        session,
        topic=topic("order"),
        aggregate_type="order",
        aggregate_id=doc.id,
        tenant_id=doc.tenant_id,
        event=ev.OrderShipped(
            document_id=str(doc.id),
            number=doc.number,
            party_id=str(doc.party_id),
            customer_name=doc.customer_name,
            phone=phone,
            line_ids=line_ids,
            expected_arrival=expected_arrival.isoformat(),
            carrier=carrier,
            tracking_number=tracking_number,
            shipped_at=timestamp(shipped_at),
        ),
        occurred_at=shipped_at,
    )
