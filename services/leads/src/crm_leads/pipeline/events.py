"""Deal and target events."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.leads.v1 import deal_events_pb2 as dev
from crm.events.leads.v1 import target_events_pb2 as tev
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp
from crm_leads.leads.models import KnownCustomer, Lead
from crm_leads.pipeline.models import Deal, SalesTarget, Stage

DEAL_TOPIC = "crm.leads.deal"
TARGET_TOPIC = "crm.leads.target"


def _s(v: object | None) -> str:
    return "" if v is None else str(v)


async def _deal(session: AsyncSession, deal: Deal, event, at: datetime) -> None:
    await add_event(
        session,
        topic=DEAL_TOPIC,
        aggregate_type="deal",
        aggregate_id=deal.id,
        tenant_id=deal.tenant_id,
        event=event,
        occurred_at=at,
    )


async def deal_created(session: AsyncSession, deal: Deal) -> None:
    await _deal(
        session,
        deal,
        dev.DealCreated(
            deal_id=str(deal.id),
            pipeline_id=str(deal.pipeline_id),
            stage_id=str(deal.stage_id),
            lead_id=_s(deal.lead_id),
            party_id=_s(deal.party_id),
            title=deal.title,
            amount_agorot=deal.amount_agorot,
            currency=deal.currency,
            owner_id=_s(deal.owner_id),
            expected_close_date=_s(deal.expected_close_date),
            created_at=timestamp(deal.created_at),
        ),
        deal.created_at,
    )


async def deal_stage_changed(
    session: AsyncSession, deal: Deal, from_stage, to: Stage, actor
) -> None:
    now = datetime.now(UTC)
    await _deal(
        session,
        deal,
        dev.DealStageChanged(
            deal_id=str(deal.id),
            from_stage_id=_s(from_stage),
            to_stage_id=str(to.id),
            to_stage_name=to.name,
            probability=to.probability,
            changed_by=_s(actor),
            changed_at=timestamp(now),
        ),
        now,
    )


async def _party_of(session: AsyncSession, deal: Deal) -> tuple[str, str, str, str]:
    """(name, phone, email, company) of the deal's party as leads knows it.

    The deal's lead first (its party id is the customer's to be); for a deal opened on an
    existing customer, the read model of contacts' customers. Empty strings when unknown.
    """
    if deal.lead_id is not None:
        lead = (
            await session.execute(
                select(Lead.name, Lead.phone, Lead.email, Lead.company_name).where(
                    Lead.tenant_id == deal.tenant_id, Lead.id == deal.lead_id
                )
            )
        ).first()
        if lead is not None:
            return lead.name, _s(lead.phone), _s(lead.email), _s(lead.company_name)
    if deal.party_id is not None:
        known = (
            await session.execute(
                select(KnownCustomer.name, KnownCustomer.phone, KnownCustomer.email).where(
                    KnownCustomer.tenant_id == deal.tenant_id,
                    KnownCustomer.party_id == deal.party_id,
                )
            )
        ).first()
        if known is not None:
            return known.name, _s(known.phone), _s(known.email), ""
    return "", "", "", ""


async def deal_won(session: AsyncSession, deal: Deal) -> None:
    assert deal.closed_at is not None
    name, phone, email, company = await _party_of(session, deal)
    await _deal(
        session,
        deal,
        dev.DealWon(
            deal_id=str(deal.id),
            party_id=_s(deal.party_id),
            lead_id=_s(deal.lead_id),
            title=deal.title,
            account_name=deal.account_name or "",
            amount_agorot=deal.amount_agorot,
            currency=deal.currency,
            owner_id=_s(deal.owner_id),
            pipeline_id=str(deal.pipeline_id),
            won_at=timestamp(deal.closed_at),
            party_name=name,
            party_phone=phone,
            party_email=email,
            party_company_name=company,
        ),
        deal.closed_at,
    )


async def deal_lost(session: AsyncSession, deal: Deal, reason_label: str) -> None:
    assert deal.closed_at is not None
    await _deal(
        session,
        deal,
        dev.DealLost(
            deal_id=str(deal.id),
            party_id=_s(deal.party_id),
            lost_reason_id=_s(deal.lost_reason_id),
            lost_reason=reason_label,
            amount_agorot=deal.amount_agorot,
            owner_id=_s(deal.owner_id),
            lost_at=timestamp(deal.closed_at),
        ),
        deal.closed_at,
    )


async def target_set(session: AsyncSession, target: SalesTarget) -> None:
    now = datetime.now(UTC)
    await add_event(
        session,
        topic=TARGET_TOPIC,
        aggregate_type="target",
        aggregate_id=target.id,
        tenant_id=target.tenant_id,
        event=tev.TargetSet(
            target_id=str(target.id),
            owner_id=_s(target.owner_id),
            team_id=_s(target.team_id),
            period=target.period,
            period_start=target.period_start.isoformat(),
            amount_agorot=target.amount_agorot,
            deal_count=target.deal_count,
            set_at=timestamp(now),
        ),
        occurred_at=now,
    )
