"""Payment use cases (B4): record, charge a card, handle the provider's webhooks."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm_billing.documents import events as doc_events
from crm_billing.documents import service as documents
from crm_billing.documents.models import INVOICES, DocType, Document
from crm_billing.parties.models import Party
from crm_billing.payments import events, schedules
from crm_billing.payments.models import Allocation, Method, Payment, PaymentStatus, ProviderEvent
from crm_billing.payments.provider import card_provider, webhook_secret
from crm_billing.payments.stripe import ProviderError, WebhookRejected, verify_webhook
from crm_common.db import uuid7
from crm_common.errors import FailedPrecondition, InvalidArgument, NotFound, Validator


async def _customer_name(session: AsyncSession, tenant_id, party_id, given: str) -> str:
    if given.strip():
        return given.strip()[:200]
    party = await session.get(Party, (tenant_id, party_id))
    if party is not None:
        return party.name
    last = await session.execute(
        select(Document.customer_name)
        .where(Document.tenant_id == tenant_id, Document.party_id == party_id)
        .order_by(Document.id.desc())
        .limit(1)
    )
    name = last.scalar_one_or_none()
    if not name:
        raise InvalidArgument(
            "the customer is not known to billing",
            violations=[documents._fv("customer_name", "is required for an unknown party")],
        )
    return name


async def _check_allocations(
    session: AsyncSession,
    tenant_id,
    party_id,
    allocations: list[tuple[uuid.UUID, int]],
    total: int,
    v: Validator,
) -> None:
    if sum(a for _, a in allocations) > total:
        v.add("allocations", "must not add up to more than the payment")
    for i, (doc_id, amount) in enumerate(allocations):
        doc = await session.get(Document, doc_id)
        if doc is None or doc.tenant_id != tenant_id or doc.party_id != party_id:
            v.add(f"allocations[{i}].document_id", "no such invoice of this customer")
        elif doc.doc_type not in INVOICES:
            v.add(f"allocations[{i}].document_id", "payments are allocated to invoices")
        elif amount <= 0:
            v.add(f"allocations[{i}].amount_agorot", "must be positive")
        elif amount > await documents.open_amount(session, doc):
            v.add(f"allocations[{i}].amount_agorot", "is more than the invoice's open amount")


async def allocate(
    session: AsyncSession,
    payment: Payment,
    planned: list[tuple[uuid.UUID, int]],
    on: dt.date,
) -> None:
    """Set the payment against the planned invoices, or the oldest open ones first."""
    remaining = payment.amount_agorot
    if planned:
        for doc_id, amount in planned:
            doc = await documents.get_document(
                session=session, tenant_id=payment.tenant_id, document_id=doc_id, for_update=True
            )
            amount = min(amount, remaining, await documents.open_amount(session, doc))
            if amount > 0:
                session.add(_allocation(payment, doc_id, amount, on))
                remaining -= amount
        await session.flush()
        return
    stmt = (
        select(Document)
        .where(
            Document.tenant_id == payment.tenant_id,
            Document.party_id == payment.party_id,
            Document.doc_type.in_([t.value for t in INVOICES]),
        )
        .order_by(Document.issue_date, Document.number)
        .with_for_update()
    )
    for doc in (await session.execute(stmt)).scalars():
        if remaining <= 0:
            break
        amount = min(remaining, await documents.open_amount(session, doc))
        if amount > 0:
            session.add(_allocation(payment, doc.id, amount, on))
            await session.flush()
            remaining -= amount


def _allocation(payment: Payment, doc_id: uuid.UUID, amount: int, on: dt.date) -> Allocation:
    return Allocation(
        tenant_id=payment.tenant_id,
        document_id=doc_id,
        payment_id=payment.id,
        amount_agorot=amount,
        allocated_on=on,
    )


async def _issue_receipt(
    session: AsyncSession, payment: Payment, now: dt.datetime, *, render_pdf: bool = True
) -> Document:
    number = await documents.next_number(
        session, payment.tenant_id, DocType.RECEIPT, payment.received_on
    )
    doc = Document(
        id=uuid7(),
        tenant_id=payment.tenant_id,
        doc_type=DocType.RECEIPT.value,
        number=number,
        party_id=payment.party_id,
        customer_name=payment.customer_name,
        issue_date=payment.received_on,
        vat_rate_bp=0,
        subtotal_agorot=payment.amount_agorot,
        vat_agorot=0,
        total_agorot=payment.amount_agorot,
        prints=0,
        created_at=now,
        lines=[],
    )
    session.add(doc)
    await session.flush()
    payment.receipt_document_id = doc.id
    await session.flush()
    await doc_events.document_issued(session, doc, now)
    if render_pdf:
        await documents.store_original_pdf(session, doc, payments=[documents.payment_line(payment)])
    return doc


async def record_payment(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    payment: documents.PaymentInput,
    allocations: list[tuple[uuid.UUID, int]],
    customer_name: str = "",
    received_on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Payment:
    """A payment by any method but card clearing: receipt issued and allocated at once."""
    now = now or dt.datetime.now(dt.UTC)
    v = Validator()
    documents._validate_payment(payment, "payment", v)
    if payment.method == Method.CARD and not payment.reference:
        v.add("payment.reference", "a card payment taken elsewhere needs its approval number")
    await _check_allocations(session, tenant_id, party_id, allocations, payment.amount_agorot, v)
    v.raise_if_any("the payment is not valid")
    name = await _customer_name(session, tenant_id, party_id, customer_name)
    row = documents._payment_row(
        tenant_id, party_id, name, payment, received_on or documents.today(), None
    )
    session.add(row)
    await session.flush()
    await _issue_receipt(session, row, now)
    await allocate(session, row, allocations, row.received_on)
    await events.payment_received(session, row, now)
    return row


async def charge_card(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    card_token: str,
    amount_agorot: int,
    idempotency_key: str,
    allocations: list[tuple[uuid.UUID, int]],
    customer_name: str = "",
    schedule_id: uuid.UUID | None = None,
) -> Payment:
    """Ask the provider to charge a tokenised card; the result arrives by webhook."""
    v = Validator()
    if not card_token.startswith(("pm_", "tok_")) or len(card_token) > 100:
        v.add("card_token", "must be the provider's payment-method token (pm_...)")
    if not idempotency_key or len(idempotency_key) > 100:
        v.add("idempotency_key", "is required, at most 100 characters")
    if amount_agorot <= 0:
        v.add("amount_agorot", "must be positive")
    v.raise_if_any("the charge is not valid")
    existing = (
        await session.execute(
            select(Payment).where(
                Payment.tenant_id == tenant_id, Payment.idempotency_key == idempotency_key
            )
        )
    ).scalar_one_or_none()
    if existing is not None:
        if (existing.party_id, existing.amount_agorot) != (party_id, amount_agorot):
            raise FailedPrecondition(
                "the idempotency key was used for another charge", reason="IDEMPOTENCY_MISMATCH"
            )
        return existing
    await _check_allocations(session, tenant_id, party_id, allocations, amount_agorot, v)
    v.raise_if_any("the charge is not valid")
    name = await _customer_name(session, tenant_id, party_id, customer_name)
    row = Payment(
        id=uuid7(),
        tenant_id=tenant_id,
        party_id=party_id,
        customer_name=name,
        method=Method.CARD.value,
        amount_agorot=amount_agorot,
        status=PaymentStatus.PENDING.value,
        received_on=documents.today(),
        card_token=card_token,
        idempotency_key=idempotency_key,
        planned_allocations=[{"document_id": str(d), "amount": a} for d, a in allocations],
        schedule_id=schedule_id,
    )
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        # a concurrent call with the same key won the race: answer with its payment
        return await charge_card(
            session=session,
            tenant_id=tenant_id,
            party_id=party_id,
            card_token=card_token,
            amount_agorot=amount_agorot,
            idempotency_key=idempotency_key,
            allocations=allocations,
            customer_name=customer_name,
            schedule_id=schedule_id,
        )
    try:
        charge = await card_provider().create_charge(
            amount_agorot=amount_agorot,
            card_token=card_token,
            idempotency_key=f"{tenant_id}:{idempotency_key}",
            metadata={"payment_id": str(row.id), "tenant_id": str(tenant_id)},
            customer_description=name,
        )
    except ProviderError as exc:
        raise FailedPrecondition(
            f"the card provider refused the charge: {exc}", reason="PROVIDER_ERROR"
        ) from None
    row.provider_reference = charge.id
    await session.flush()
    return row


async def handle_card_webhook(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    payload: bytes,
    signature: str,
    now: dt.datetime | None = None,
) -> tuple[Payment | None, bool]:
    """Verify, dedupe and apply a provider event. Returns (payment, duplicate)."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        event = verify_webhook(payload, signature, webhook_secret(), now=now.timestamp())
    except WebhookRejected as exc:
        raise InvalidArgument(
            f"the webhook was rejected: {exc}",
            violations=[documents._fv("signature", str(exc))],
        ) from None
    inserted = await session.execute(
        pg_insert(ProviderEvent)
        .values(tenant_id=tenant_id, event_id=str(event["id"]))
        .on_conflict_do_nothing()
        .returning(ProviderEvent.event_id)
    )
    duplicate = inserted.scalar_one_or_none() is None
    intent = event.get("data", {}).get("object", {})
    payment = None
    raw_id = intent.get("metadata", {}).get("payment_id", "")
    try:
        payment_id = uuid.UUID(raw_id)
    except ValueError:
        payment_id = None
    if payment_id is not None:
        payment = (
            await session.execute(
                select(Payment)
                .where(Payment.tenant_id == tenant_id, Payment.id == payment_id)
                .with_for_update()
            )
        ).scalar_one_or_none()
    if payment is None:
        raise NotFound(f"no payment for provider object {intent.get('id')}")
    if duplicate or payment.status != PaymentStatus.PENDING:
        return payment, True
    if intent.get("id") != payment.provider_reference or intent.get("amount") != (
        payment.amount_agorot
    ):
        raise FailedPrecondition(
            "the provider event does not match the charge", reason="PROVIDER_MISMATCH"
        )
    if event["type"] == "payment_intent.succeeded":
        payment.status = PaymentStatus.SUCCEEDED.value
        payment.received_on = now.astimezone(documents.ISRAEL).date()
        payment.reference = intent["id"]
        await session.flush()
        await _issue_receipt(session, payment, now)
        planned = [
            (uuid.UUID(a["document_id"]), int(a["amount"]))
            for a in payment.planned_allocations or []
        ]
        await allocate(session, payment, planned, payment.received_on)
        await schedules.settled(session, payment)
        await events.payment_received(session, payment, now)
    elif event["type"] == "payment_intent.payment_failed":
        error = intent.get("last_payment_error") or {}
        payment.status = PaymentStatus.FAILED.value
        payment.failure_reason = (
            f"{error.get('code', 'failed')}: {error.get('message', '')}".strip()[:300]
        )
        await session.flush()
        schedule, attempt, retry_on = await schedules.failed(
            session, payment, now.astimezone(documents.ISRAEL).date()
        )
        await events.payment_failed(
            session,
            payment,
            now,
            schedule_id=schedule.id if schedule else None,
            attempt=attempt,
            retry_on=retry_on,
        )
    return payment, False


async def payment_allocations(session: AsyncSession, payment: Payment) -> list[Allocation]:
    stmt = select(Allocation).where(
        Allocation.tenant_id == payment.tenant_id, Allocation.payment_id == payment.id
    )
    return list((await session.execute(stmt)).scalars())
