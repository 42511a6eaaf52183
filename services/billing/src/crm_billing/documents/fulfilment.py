"""Order fulfilment (B6): line status and shipment with an expected arrival date."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from crm_billing.documents import events
from crm_billing.documents.models import DocType, Document, LineStatus
from crm_billing.documents.service import get_document, today
from crm_billing.parties.models import Party
from crm_common.errors import FailedPrecondition, FieldViolation, InvalidArgument, Validator

# status -> the statuses it may move to
NEXT = {
    LineStatus.OPEN: {LineStatus.PICKED, LineStatus.SHIPPED, LineStatus.CANCELLED},
    LineStatus.PICKED: {LineStatus.SHIPPED, LineStatus.CANCELLED, LineStatus.OPEN},
    LineStatus.SHIPPED: {LineStatus.DELIVERED},
    LineStatus.DELIVERED: set(),
    LineStatus.CANCELLED: set(),
}


async def _order(session: AsyncSession, tenant_id: uuid.UUID, document_id: uuid.UUID) -> Document:
    doc = await get_document(
        session=session, tenant_id=tenant_id, document_id=document_id, for_update=True
    )
    if doc.doc_type != DocType.ORDER:
        raise FailedPrecondition(f"document {document_id} is not an order", reason="NOT_AN_ORDER")
    return doc


async def set_line_status(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    document_id: uuid.UUID,
    line_id: uuid.UUID,
    status: LineStatus,
) -> Document:
    doc = await _order(session, tenant_id, document_id)
    line = next((ln for ln in doc.lines if ln.id == line_id), None)
    if line is None:
        raise InvalidArgument(
            "no such line",
            violations=[FieldViolation("line_id", "is not a line of this order")],
        )
    current = LineStatus(line.status or LineStatus.OPEN)
    if status not in NEXT[current]:
        raise FailedPrecondition(
            f"a {current.value} line cannot become {status.value}", reason="BAD_LINE_STATUS"
        )
    line.status = status.value
    await session.flush()
    return doc


async def ship_order(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    document_id: uuid.UUID,
    line_ids: list[uuid.UUID],
    expected_arrival: dt.date | None,
    carrier: str,
    tracking_number: str,
    now: dt.datetime | None = None,
) -> Document:
    now = now or dt.datetime.now(dt.UTC)
    v = Validator()
    if expected_arrival is None:
        v.add("expected_arrival", "is required (YYYY-MM-DD)")
    elif expected_arrival < today():
        v.add("expected_arrival", "must not be in the past")
    if len(carrier) > 100 or len(tracking_number) > 100:
        v.add("carrier", "carrier and tracking number are at most 100 characters")
    doc = await _order(session, tenant_id, document_id)
    by_id = {ln.id: ln for ln in doc.lines}
    chosen = (
        [by_id.get(i) for i in line_ids]
        if line_ids
        else [ln for ln in doc.lines if ln.status in (LineStatus.OPEN, LineStatus.PICKED)]
    )
    for i, ln in enumerate(chosen):
        if ln is None:
            v.add(f"line_ids[{i}]", "is not a line of this order")
        elif ln.status not in (LineStatus.OPEN, LineStatus.PICKED):
            v.add(f"line_ids[{i}]", f"a {ln.status} line cannot be shipped")
    if not chosen:
        v.add("line_ids", "no open line to ship")
    v.raise_if_any("the shipment is not valid")
    assert expected_arrival is not None
    for ln in chosen:
        ln.status = LineStatus.SHIPPED.value
        ln.expected_arrival = expected_arrival
    await session.flush()
    party = await session.get(Party, (tenant_id, doc.party_id))
    await events.order_shipped(
        session,
        doc,
        line_ids=[str(ln.id) for ln in chosen],
        expected_arrival=expected_arrival,
        carrier=carrier,
        tracking_number=tracking_number,
        phone=(party.phone or "") if party else "",
        shipped_at=now,
    )
    return doc
