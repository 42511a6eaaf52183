"""L8 hand-off use cases: a won deal opens an order. They flush; the consumer loop commits.

``deal.won`` (from leads) and ``customer.created`` (from contacts, after it consumed the
lead's conversion) race each other, so billing takes either order:

* ``deal.won`` carries the party's name (and phone/email) as leads knows it: billing keeps a
  provisional party (origin 'deal') and opens the order at once;
* ``customer.created`` afterwards turns that same row (keyed by party id) into contacts'
  copy; it never makes a second party;
* a won deal whose party billing cannot name at all (no account name, no party name, no
  party on file) is parked in ``won_deals``; the ``customer.created`` of that party opens
  its order. Nothing is dead-lettered for being early.

Both handlers first take a transaction-scoped advisory lock on (tenant, party): otherwise a
``deal.won`` could park while a concurrent ``customer.created`` (not yet committed) looked
for parked deals, and the deal would wait forever.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_billing.documents import service as documents
from crm_billing.documents.models import DocType
from crm_billing.handoff.models import WonDeal, WonDealStatus
from crm_billing.parties.models import Party
from crm_billing.parties.repository import PartyRepository

_log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PartyDraft:
    """The party as the won deal names it (leads' view), for a provisional party."""

    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class WonDealInput:
    deal_id: uuid.UUID
    party_id: uuid.UUID
    lead_id: uuid.UUID | None
    title: str
    account_name: str
    amount_agorot: int
    won_at: dt.datetime | None
    party: PartyDraft | None = None


async def lock_party(session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID) -> None:
    """Serialize the hand-off handlers of one party until the transaction ends."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"billing.party:{tenant_id}:{party_id}"},
    )


async def deal_won(session: AsyncSession, tenant_id: uuid.UUID, deal: WonDealInput) -> WonDeal:
    """Open the deal's order, or park it until its party is known. Idempotent on the deal."""
    await lock_party(session, tenant_id, deal.party_id)
    seen = (
        await session.execute(
            select(WonDeal).where(WonDeal.tenant_id == tenant_id, WonDeal.deal_id == deal.deal_id)
        )
    ).scalar_one_or_none()
    if seen is not None:
        _log.info("won deal already handed off", extra={"deal_id": str(deal.deal_id)})
        return seen
    now = dt.datetime.now(dt.UTC)
    if deal.party is not None and deal.party.name.strip():
        await PartyRepository(session).insert_provisional(
            tenant_id=tenant_id,
            party_id=deal.party_id,
            name=deal.party.name.strip()[:200],
            phone=(deal.party.phone or None) and deal.party.phone[:20],
            email=(deal.party.email or None) and deal.party.email[:320],
            updated_at=deal.won_at or now,
        )
    row = WonDeal(
        tenant_id=tenant_id,
        deal_id=deal.deal_id,
        party_id=deal.party_id,
        lead_id=deal.lead_id,
        title=(deal.title.strip() or "עסקה")[:300],
        account_name=deal.account_name.strip()[:200] or None,
        amount_agorot=deal.amount_agorot,
        status=WonDealStatus.PARKED.value,
        won_at=deal.won_at,
        received_at=now,
    )
    session.add(row)
    await session.flush()
    name = row.account_name or await _party_name(session, tenant_id, deal.party_id)
    if name:
        await _open_order(session, row, name)
    else:
        _log.warning(
            "won deal parked until its customer is known",
            extra={"deal_id": str(deal.deal_id), "party_id": str(deal.party_id)},
        )
    return row


async def release_parked(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID
) -> list[WonDeal]:
    """Open the orders of the party's parked won deals (call after recording the party)."""
    parked = list(
        (
            await session.execute(
                select(WonDeal)
                .where(
                    WonDeal.tenant_id == tenant_id,
                    WonDeal.party_id == party_id,
                    WonDeal.status == WonDealStatus.PARKED.value,
                )
                .order_by(WonDeal.received_at, WonDeal.deal_id)
                .with_for_update()
            )
        ).scalars()
    )
    if not parked:
        return []
    name = await _party_name(session, tenant_id, party_id)
    if not name:
        return []
    for row in parked:
        await _open_order(session, row, row.account_name or name)
    return parked


async def _party_name(session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID) -> str:
    name = (
        await session.execute(
            select(Party.name).where(Party.tenant_id == tenant_id, Party.party_id == party_id)
        )
    ).scalar_one_or_none()
    return (name or "").strip()


async def _open_order(session: AsyncSession, row: WonDeal, name: str) -> None:
    doc = await documents.issue_document(
        session=session,
        tenant_id=row.tenant_id,
        data=documents.DocumentInput(
            doc_type=DocType.ORDER,
            party_id=row.party_id,
            lead_id=row.lead_id,
            customer_name=name[:200],
            lines=[
                documents.LineInput(
                    description=row.title,
                    quantity="1",
                    unit_price_agorot=row.amount_agorot,
                )
            ],
            notes=f"deal {row.deal_id}",
        ),
    )
    row.status = WonDealStatus.ORDERED.value
    row.order_id = doc.id
    row.ordered_at = dt.datetime.now(dt.UTC)
    await session.flush()


async def list_won_deals(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    status: WonDealStatus | None,
    size: int,
    before: uuid.UUID | None,
) -> list[WonDeal]:
    """The won deals billing was told of, newest deal first (deal ids are UUIDv7), ``size + 1``
    rows at most so the caller knows whether another page follows."""
    stmt = select(WonDeal).where(WonDeal.tenant_id == tenant_id)
    if status is not None:
        stmt = stmt.where(WonDeal.status == status.value)
    if before is not None:
        stmt = stmt.where(WonDeal.deal_id < before)
    stmt = stmt.order_by(WonDeal.deal_id.desc()).limit(size + 1)
    return list((await session.scalars(stmt)).all())
