"""Lead events: protobuf payloads written to the outbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.leads.v1 import lead_events_pb2 as ev
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp
from crm_leads.leads.models import Lead

LEAD_TOPIC = "crm.leads.lead"


def _s(value: object | None) -> str:
    return "" if value is None else str(value)


async def _add(session: AsyncSession, lead: Lead, event, occurred_at: datetime) -> None:
    await add_event(
        session,
        topic=LEAD_TOPIC,
        aggregate_type="lead",
        aggregate_id=lead.id,
        tenant_id=lead.tenant_id,
        event=event,
        occurred_at=occurred_at,
    )


async def lead_captured(session: AsyncSession, lead: Lead) -> None:
    await _add(
        session,
        lead,
        ev.LeadCaptured(
            lead_id=str(lead.id),
            party_id=str(lead.party_id),
            name=lead.name,
            phone=lead.phone or "",
            email=lead.email or "",
            company_name=lead.company_name or "",
            source=lead.source,
            campaign=lead.campaign or "",
            captured_at=timestamp(lead.created_at),
            channel=lead.channel,
            product_interest=lead.product_interest or "",
            city=lead.city or "",
            utm_source=lead.utm_source or "",
            utm_medium=lead.utm_medium or "",
            utm_campaign=lead.utm_campaign or "",
            duplicate_of_lead_id=_s(lead.duplicate_of_lead_id),
            duplicate_of_party_id=_s(lead.duplicate_of_party_id),
        ),
        lead.created_at,
    )


async def lead_converted(
    session: AsyncSession, lead: Lead, *, account_name: str | None, deal_id: uuid.UUID | None
) -> None:
    assert lead.converted_at is not None
    await _add(
        session,
        lead,
        ev.LeadConverted(
            lead_id=str(lead.id),
            party_id=str(lead.party_id),
            name=lead.name,
            phone=lead.phone or "",
            email=lead.email or "",
            company_name=lead.company_name or "",
            source=lead.source,
            converted_at=timestamp(lead.converted_at),
            account_name=account_name or "",
            deal_id=_s(deal_id),
            owner_id=_s(lead.owner_id),
        ),
        lead.converted_at,
    )


async def lead_assigned(
    session: AsyncSession,
    lead: Lead,
    *,
    previous_owner_id: uuid.UUID | None,
    rule_id: uuid.UUID | None,
    strategy: str,
) -> None:
    now = datetime.now(UTC)
    await _add(
        session,
        lead,
        ev.LeadAssigned(
            lead_id=str(lead.id),
            party_id=str(lead.party_id),
            owner_id=_s(lead.owner_id),
            previous_owner_id=_s(previous_owner_id),
            team_id=_s(lead.team_id),
            rule_id=_s(rule_id),
            strategy=strategy,
            assigned_at=timestamp(now),
        ),
        now,
    )


async def lead_qualified(session: AsyncSession, lead: Lead) -> None:
    now = datetime.now(UTC)
    await _add(
        session,
        lead,
        ev.LeadQualified(
            lead_id=str(lead.id),
            party_id=str(lead.party_id),
            owner_id=_s(lead.owner_id),
            qualified_at=timestamp(now),
        ),
        now,
    )


async def lead_disqualified(session: AsyncSession, lead: Lead) -> None:
    now = datetime.now(UTC)
    await _add(
        session,
        lead,
        ev.LeadDisqualified(
            lead_id=str(lead.id),
            party_id=str(lead.party_id),
            reason=lead.disqualify_reason or "",
            disqualified_at=timestamp(now),
        ),
        now,
    )


async def lead_merged(session: AsyncSession, lead: Lead, duplicate: Lead) -> None:
    now = datetime.now(UTC)
    await _add(
        session,
        lead,
        ev.LeadMerged(
            lead_id=str(lead.id),
            duplicate_lead_id=str(duplicate.id),
            party_id=str(lead.party_id),
            duplicate_party_id=str(duplicate.party_id),
            merged_at=timestamp(now),
        ),
        now,
    )


async def lead_activity_added(session: AsyncSession, lead: Lead, activity) -> None:
    await _add(
        session,
        lead,
        ev.LeadActivityAdded(
            lead_id=str(lead.id),
            party_id=str(lead.party_id),
            activity_id=str(activity.id),
            kind=activity.kind,
            body=activity.body,
            actor_id=_s(activity.actor_id),
            added_at=timestamp(activity.created_at),
        ),
        activity.created_at,
    )
