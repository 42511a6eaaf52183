"""Campaign costs (R2): what a source/campaign cost over a period of days, entered through
the API. The marketing report prorates each cost by the days its period overlaps the report's.
Source is trimmed and lower-cased like the leads service does; campaign is trimmed (empty: the
leads of that source without a campaign)."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db import uuid7
from crm_common.errors import FieldViolation, InvalidArgument, NotFound, Validator
from crm_reporting.facts.models import CampaignCost
from crm_reporting.reports.period import parse_date

MAX_COST_AGOROT = 10**13  # 100 billion shekels: a typo guard
MAX_COST_DAYS = 3 * 366 + 1


async def create_cost(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    source: str,
    campaign: str,
    period_start: str,
    period_end: str,
    cost_agorot: int,
    note: str,
) -> CampaignCost:
    v = Validator()
    source = source.strip().lower()
    campaign = campaign.strip()
    note = note.strip()
    if not source:
        v.add("source", "is required")
    elif len(source) > 50:
        v.add("source", "must be at most 50 characters")
    if len(campaign) > 100:
        v.add("campaign", "must be at most 100 characters")
    start = parse_date(period_start, "period_start", v)
    end = parse_date(period_end, "period_end", v)
    if start and end and end < start:
        v.add("period_end", "must not be before period_start")
    elif start and end and (end - start).days + 1 > MAX_COST_DAYS:
        v.add("period_end", f"the period must not be longer than {MAX_COST_DAYS} days")
    if cost_agorot < 0:
        v.add("cost_agorot", "must not be negative")
    elif cost_agorot > MAX_COST_AGOROT:
        v.add("cost_agorot", f"must be at most {MAX_COST_AGOROT}")
    if len(note) > 500:
        v.add("note", "must be at most 500 characters")
    for name, value in (("source", source), ("campaign", campaign), ("note", note)):
        if "\x00" in value:
            v.add(name, "must not contain NUL characters")
    v.raise_if_any("the campaign cost is not valid")
    assert start is not None and end is not None
    cost = CampaignCost(
        tenant_id=tenant_id,
        cost_id=uuid7(),
        source=source,
        campaign=campaign,
        period_start=start,
        period_end=end,
        cost_agorot=cost_agorot,
        note=note or None,
    )
    session.add(cost)
    await session.flush()
    await session.refresh(cost)
    return cost


async def list_costs(
    session: AsyncSession, tenant_id: uuid.UUID, *, source: str = ""
) -> list[CampaignCost]:
    if "\x00" in source or len(source) > 50:
        raise InvalidArgument(
            "the filter is not valid",
            violations=[FieldViolation("source", "must be at most 50 characters, no NUL")],
        )
    stmt = select(CampaignCost).where(CampaignCost.tenant_id == tenant_id)
    if source.strip():
        stmt = stmt.where(CampaignCost.source == source.strip().lower())
    stmt = stmt.order_by(
        CampaignCost.period_start, CampaignCost.source, CampaignCost.campaign, CampaignCost.cost_id
    )
    return list((await session.execute(stmt)).scalars())


async def delete_cost(session: AsyncSession, tenant_id: uuid.UUID, cost_id: uuid.UUID) -> None:
    deleted = await session.execute(
        delete(CampaignCost)
        .where(CampaignCost.tenant_id == tenant_id, CampaignCost.cost_id == cost_id)
        .returning(CampaignCost.cost_id)
    )
    if deleted.first() is None:
        raise NotFound(f"campaign cost {cost_id} not found", reason="CAMPAIGN_COST_NOT_FOUND")
