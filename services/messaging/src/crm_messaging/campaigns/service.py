"""Campaign use cases (M3). They flush; the edge or the dispatcher commits.

A campaign is its recipients, given as a list or as a contacts segment (C7). A
segment is resolved through contacts' gRPC by the dispatcher when the campaign
starts, page by page, and snapshotted into the recipients in one transaction
(``resolved_at``): a resumed campaign never resolves it again, so the people who
joined the segment meanwhile are not added halfway and nobody is sent twice.

Each recipient is in state ``pending`` until the dispatcher
turns it, in one transaction, into a queued message whose idempotency key is
``campaign:<campaign id>:<recipient id>`` (or marks it ``opted_out`` /
``failed``). A crash rolls back the batch in flight; the next pass takes the
still-pending recipients, so nobody is skipped and nobody gets two messages.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db import uuid7
from crm_common.errors import (
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    Validator,
)
from crm_messaging.campaigns.models import Campaign
from crm_messaging.campaigns.repository import CampaignRepository
from crm_messaging.consent import service as consent
from crm_messaging.messages import events
from crm_messaging.messages.models import CHANNELS, PURPOSES
from crm_messaging.messages.repository import MessageRepository
from crm_messaging.messages.service import (
    Refused,
    SendCommand,
    has_marketing_mark,
    normalize_address,
    prepare,
)
from crm_messaging.parties.repository import PartyRepository
from crm_messaging.templates import service as templates
from crm_messaging.upstreams import Upstreams, UpstreamUnavailable

if TYPE_CHECKING:
    from crm.contacts.v1 import card_service_pb2 as card_pb

MAX_RECIPIENTS = 200_000


@dataclass(frozen=True, slots=True)
class RecipientIn:
    party_id: uuid.UUID | None = None
    address: str = ""
    variables: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Progress:
    total: int = 0
    pending: int = 0
    queued: int = 0
    sent: int = 0
    delivered: int = 0
    failed: int = 0
    opted_out: int = 0


async def create_campaign(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    idempotency_key: str,
    name: str,
    channel: str,
    purpose: str,
    template_name: str,
    language: str,
    recipients: list[RecipientIn],
    rate_per_second: int,
    scheduled_at: dt.datetime | None,
    default_rate: int = 20,
    segment_id: uuid.UUID | None = None,
    upstreams: Upstreams | None = None,
) -> Campaign:
    repo = CampaignRepository(session)
    if idempotency_key:
        existing = await repo.by_idempotency_key(tenant_id=tenant_id, key=idempotency_key)
        if existing is not None:
            return existing
    v = Validator()
    if not name.strip() or len(name) > 200:
        v.add("name", "required, at most 200 characters")
    if channel not in CHANNELS:
        v.add("channel", f"must be one of {', '.join(CHANNELS)}")
    if purpose not in PURPOSES:
        v.add("purpose", f"must be one of {', '.join(PURPOSES)}")
    if not template_name:
        v.add("template_name", "required")
    if not recipients and segment_id is None:
        v.add("recipients", "at least one recipient, or a segment_id")
    if len(recipients) > MAX_RECIPIENTS:
        v.add("recipients", f"at most {MAX_RECIPIENTS}")
    if rate_per_second < 0:
        v.add("rate_per_second", "must not be negative")
    v.raise_if_any("the campaign is not valid")
    if segment_id is not None:
        if upstreams is None:
            raise FailedPrecondition("campaigns to a segment need the contacts service")
        try:
            await upstreams.segment_size(tenant_id, segment_id)
        except (NotFound, InvalidArgument):
            v.add("segment_id", "no such segment in contacts")
            v.raise_if_any("the campaign is not valid")
    template = await templates.get_template(
        session=session, tenant_id=tenant_id, channel=channel, name=template_name, language=language
    )
    if purpose == "marketing" and not has_marketing_mark(channel, template.subject, template.text):
        where = "subject" if channel == "email" else "text"
        v.add(
            "template_name", f"the template's {where} must start with {templates.MARKETING_MARK!r}"
        )
        v.raise_if_any("marketing messages must be marked as advertising (Communications Law §30A)")

    party_ids = [r.party_id for r in recipients if r.party_id is not None and not r.address]
    parties = (
        await PartyRepository(session).many(tenant_id=tenant_id, party_ids=party_ids)
        if party_ids
        else {}
    )
    now = dt.datetime.now(UTC)
    campaign = Campaign(
        id=uuid7(),
        tenant_id=tenant_id,
        name=name.strip(),
        channel=channel,
        purpose=purpose,
        template_name=template_name,
        language=language,
        status="scheduled",
        rate_per_second=rate_per_second or default_rate,
        scheduled_at=scheduled_at or now,
        idempotency_key=idempotency_key or None,
        created_at=now,
        segment_id=segment_id,
        skipped_no_address=0,
    )
    rows = []
    for i, r in enumerate(recipients):
        raw = r.address
        if not raw and r.party_id is not None:
            party = parties.get(r.party_id)
            if party is None:
                v.add(f"recipients[{i}].party_id", "unknown party")
                continue
            raw = (party.email if channel == "email" else party.phone) or ""
            if not raw:
                v.add(f"recipients[{i}].party_id", f"the party has no {channel} address")
                continue
        try:
            address = normalize_address(channel, raw)
        except ValueError as exc:
            v.add(f"recipients[{i}].address", str(exc))
            continue
        rows.append(
            {
                "id": uuid7(),
                "tenant_id": tenant_id,
                "campaign_id": campaign.id,
                "party_id": r.party_id,
                "address": address,
                "variables": dict(r.variables),
                "state": "pending",
            }
        )
        if len(v.violations) >= 50:
            break
    v.raise_if_any("some recipients are not valid")
    session.add(campaign)
    await session.flush()
    await repo.add_recipients(rows)
    return campaign


async def get_campaign(
    *, session: AsyncSession, tenant_id: uuid.UUID, campaign_id: uuid.UUID
) -> tuple[Campaign, Progress]:
    repo = CampaignRepository(session)
    campaign = await repo.get(tenant_id=tenant_id, campaign_id=campaign_id)
    if campaign is None:
        raise NotFound(f"campaign {campaign_id} not found")
    return campaign, await progress(session=session, campaign_id=campaign_id)


async def progress(*, session: AsyncSession, campaign_id: uuid.UUID) -> Progress:
    counts = dict(total=0, pending=0, queued=0, sent=0, delivered=0, failed=0, opted_out=0)
    for state, status, n in await CampaignRepository(session).progress(campaign_id=campaign_id):
        counts["total"] += n
        if state in ("pending", "opted_out", "failed"):
            counts[state] += n
        elif status in ("queued", "sending"):
            counts["queued"] += n
        elif status == "sent":
            counts["sent"] += n
        elif status in ("delivered", "read"):
            counts["delivered"] += n
        elif status == "failed":
            counts["failed"] += n
    return Progress(**counts)


async def due_campaigns(*, session: AsyncSession, now: dt.datetime):
    return await CampaignRepository(session).due(now=now)


async def running_campaigns(*, session: AsyncSession):
    return await CampaignRepository(session).running()


async def advance(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    campaign_id: uuid.UUID,
    now: dt.datetime,
    sms_cost_per_segment: int = 8,
    upstreams: Upstreams | None = None,
) -> int:
    """Queue the next throttled batch of recipients; returns how many were handled.

    A segment campaign not yet resolved is resolved instead (nothing is queued in
    that pass). :class:`UpstreamUnavailable` propagates: the caller rolls back and
    tries again on a later pass.
    """
    repo = CampaignRepository(session)
    campaign = await repo.get(tenant_id=tenant_id, campaign_id=campaign_id, lock=True)
    if campaign is None or campaign.status not in ("scheduled", "running"):
        return 0
    if campaign.segment_id is not None and campaign.resolved_at is None:
        # Resolve the segment once, in its own transaction; sending starts next pass.
        if upstreams is None:
            return 0
        try:
            return await resolve_segment(
                session=session, campaign=campaign, upstreams=upstreams, now=now
            )
        except UpstreamUnavailable:
            raise
        except DomainError as exc:
            campaign.status = "failed"
            campaign.failure_reason = f"the segment could not be resolved: {exc.message}"[:500]
            campaign.completed_at = now
            await session.flush()
            return 0
    if campaign.status == "scheduled":
        campaign.status = "running"
    elapsed = 1.0
    if campaign.last_advanced_at is not None:
        elapsed = min(1.0, (now - campaign.last_advanced_at).total_seconds())
    budget = math.floor(campaign.rate_per_second * elapsed)
    if budget < 1:
        return 0
    recipients = await repo.next_pending(campaign_id=campaign.id, limit=min(budget, 2000))
    campaign.last_advanced_at = now
    if not recipients:
        await session.flush()
        return 0
    template = await templates.get_template(
        session=session,
        tenant_id=tenant_id,
        channel=campaign.channel,
        name=campaign.template_name,
        language=campaign.language,
    )
    refused = await consent.refusals(
        session=session,
        tenant_id=tenant_id,
        channel=campaign.channel,
        purpose=campaign.purpose,
        addresses=[r.address for r in recipients],
    )
    parties = await PartyRepository(session).many(
        tenant_id=tenant_id, party_ids=[r.party_id for r in recipients if r.party_id]
    )
    messages = MessageRepository(session)
    batch = events.OutboxBatch()
    for r in recipients:
        cmd = SendCommand(
            idempotency_key=f"campaign:{campaign.id}:{r.id}",
            channel=campaign.channel,
            purpose=campaign.purpose,
            party_id=r.party_id,
            to_address=r.address,
            template_name=campaign.template_name,
            language=campaign.language,
            variables=r.variables or {},
            campaign_id=campaign.id,
        )
        try:
            prepared = await prepare(
                session=session,
                tenant_id=tenant_id,
                cmd=cmd,
                party=parties.get(r.party_id) if r.party_id else None,
                template=template,
                refusal=refused.get(r.address),
                now=now,
                sms_cost_per_segment=sms_cost_per_segment,
            )
        except Refused as exc:
            r.state, r.reason = "opted_out", exc.message[:300]
            continue
        except DomainError as exc:
            r.state, r.reason = "failed", exc.message[:300]
            continue
        if await messages.add(prepared.message, prepared.attachments):
            await events.message_queued(session, prepared.message, batch)
            r.message_id = prepared.message.id
        else:
            existing = await messages.by_idempotency_key(
                tenant_id=tenant_id, key=cmd.idempotency_key
            )
            r.message_id = existing.id if existing else None
        r.state = "queued"
    await batch.flush(session)
    await session.flush()
    return len(recipients)


async def complete_if_done(
    *, session: AsyncSession, tenant_id: uuid.UUID, campaign_id: uuid.UUID, now: dt.datetime
) -> bool:
    repo = CampaignRepository(session)
    campaign = await repo.get(tenant_id=tenant_id, campaign_id=campaign_id, lock=True)
    if campaign is None or campaign.status != "running":
        return False
    if campaign.segment_id is not None and campaign.resolved_at is None:
        return False
    if await repo.unfinished(campaign_id=campaign_id):
        return False
    campaign.status = "completed"
    campaign.completed_at = now
    await session.flush()
    return True


def ensure_startable(campaign: Campaign) -> None:
    if campaign.status == "completed":
        raise FailedPrecondition("the campaign is completed")


def member_address(channel: str, contact: card_pb.Contact) -> str | None:
    """The contact's first usable address on the channel, normalised (None: none)."""
    candidates = contact.emails if channel == "email" else contact.phones
    for raw in candidates:
        try:
            return normalize_address(channel, raw)
        except ValueError:
            continue
    return None


def member_variables(contact: card_pb.Contact) -> dict[str, str]:
    name = " ".join(p for p in (contact.first_name, contact.last_name) if p)
    values = {
        "name": name,
        "first_name": contact.first_name or name,
        "last_name": contact.last_name,
        "contact.name": name,
        "contact.first_name": contact.first_name or name,
    }
    return {k: v for k, v in values.items() if v}


async def resolve_segment(
    *, session: AsyncSession, campaign: Campaign, upstreams: Upstreams, now: dt.datetime
) -> int:
    """Snapshot the segment's members into the campaign's recipients; returns how many."""
    repo = CampaignRepository(session)
    rows: list[dict] = []
    added = skipped = 0
    seen: set[str] = set()
    async for page in upstreams.segment_members(campaign.tenant_id, campaign.segment_id):
        for contact in page:
            address = member_address(campaign.channel, contact)
            if address is None:
                skipped += 1
                continue
            if address in seen:
                continue
            seen.add(address)
            rows.append(
                {
                    "id": uuid7(),
                    "tenant_id": campaign.tenant_id,
                    "campaign_id": campaign.id,
                    "party_id": uuid.UUID(contact.party_id) if contact.party_id else None,
                    "address": address,
                    "variables": member_variables(contact),
                    "state": "pending",
                }
            )
        if len(rows) >= 2000:
            await repo.add_recipients(rows)
            added += len(rows)
            rows = []
    if rows:
        await repo.add_recipients(rows)
        added += len(rows)
    campaign.resolved_at = now
    campaign.skipped_no_address = skipped
    if campaign.status == "scheduled":
        campaign.status = "running"
    await session.flush()
    return added
