"""Lead use cases. They flush; the edge commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.audit import record_bulk
from crm_common.context import current_context
from crm_common.db import uuid7 as _uuid7
from crm_common.errors import (
    AlreadyExists,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from crm_common.pagination import PageRequest
from crm_common.scope import INCLUDE_UNOWNED_OPTION, owners_in_scope
from crm_leads.leads import events, repository, routing
from crm_leads.leads.models import Lead, LeadActivity, LeadSource, LeadStatus
from crm_leads.leads.repository import LeadFilter, Match
from crm_leads.leads.schemas import (
    DEFAULT_SOURCE_LABELS,
    DEFAULT_SOURCES,
    LeadCreate,
    validate_source_code,
)
from crm_leads.pipeline import service as pipeline
from crm_leads.pipeline.models import Deal

ACTIVITY_KINDS = ("note", "call", "meeting", "email", "whatsapp", "sms", "task")


@dataclass(frozen=True, slots=True)
class Captured:
    lead: Lead
    duplicates: list[Match]
    assignment: routing.Assignment | None


# --- sources ---------------------------------------------------------------


async def list_sources(session: AsyncSession, tenant_id: uuid.UUID) -> list[tuple[str, str]]:
    """The tenant's sources; the defaults are written on first use."""
    rows = (
        await session.execute(
            select(LeadSource.code, LeadSource.label)
            .where(LeadSource.tenant_id == tenant_id)
            .order_by(LeadSource.created_at, LeadSource.code)
        )
    ).all()
    if rows:
        return [(r.code, r.label) for r in rows]
    await session.execute(
        pg_insert(LeadSource)
        .values(
            [
                {
                    "id": uuid.uuid4(),
                    "tenant_id": tenant_id,
                    "code": c,
                    "label": DEFAULT_SOURCE_LABELS[c],
                }
                for c in DEFAULT_SOURCES
            ]
        )
        .on_conflict_do_nothing(constraint="uq_lead_sources_tenant_id_code")
    )
    return [(c, DEFAULT_SOURCE_LABELS[c]) for c in DEFAULT_SOURCES]


# Sources are never removed, so a code once seen stays valid: a per-process cache of the
# codes seen per tenant answers the common case; a code not in it is looked up again.
_known_sources: dict[uuid.UUID, frozenset[str]] = {}


async def source_codes(
    session: AsyncSession, tenant_id: uuid.UUID, want: str | None = None
) -> frozenset[str]:
    cached = _known_sources.get(tenant_id)
    if cached is not None and want is not None and want.strip().lower() in cached:
        return cached
    codes = frozenset(code for code, _ in await list_sources(session, tenant_id))
    if len(_known_sources) > 50_000:
        _known_sources.clear()
    _known_sources[tenant_id] = codes
    return codes


async def add_source(
    session: AsyncSession, tenant_id: uuid.UUID, code: str, label: str
) -> tuple[str, str]:
    code, label = validate_source_code(code, label)
    existing = await source_codes(session, tenant_id)
    if code in existing:
        raise AlreadyExists(f"source {code!r} already exists", reason="SOURCE_EXISTS")
    session.add(LeadSource(tenant_id=tenant_id, code=code, label=label))
    await session.flush()
    return code, label


# --- capture (L1 + L3 + L6) --------------------------------------------------


async def capture_lead(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    data: LeadCreate,
    actor_id: uuid.UUID | None = None,
    owner_id: uuid.UUID | None = None,
    note: str | None = None,
) -> Captured:
    """Capture, duplicate check and routing in one transaction (the caller's)."""
    now = datetime.now(UTC)
    duplicates = await repository.find_duplicates(session, tenant_id, data.phone, data.email)
    first_lead = next((m for m in duplicates if m.kind == "lead"), None)
    first_customer = next((m for m in duplicates if m.kind == "customer"), None)
    lead = Lead(
        id=_uuid7(),
        tenant_id=tenant_id,
        party_id=_uuid7(),
        **data.model_dump(),
        status=LeadStatus.NEW,
        version=1,
        created_at=now,
        updated_at=now,
        duplicate_of_lead_id=first_lead.lead_id if first_lead else None,
        duplicate_of_party_id=first_customer.party_id if first_customer else None,
    )
    if owner_id is not None:
        assignment = routing.Assignment(owner_id, None, None, "manual")
    else:
        assignment = await routing.route(session, lead)
    if assignment is not None:
        lead.owner_id = assignment.owner_id
        lead.team_id = assignment.team_id
        lead.routing_seq = assignment.seq
    session.add(lead)
    session.add(
        LeadActivity(
            id=_uuid7(),
            tenant_id=tenant_id,
            lead_id=lead.id,
            kind="captured",
            body=f"{data.channel}: {data.source}" + (f"\n{note}" if note else ""),
            actor_id=actor_id,
            created_at=now,
        )
    )
    await session.flush()
    await events.lead_captured(session, lead)
    if assignment is not None:
        await events.lead_assigned(
            session,
            lead,
            previous_owner_id=None,
            rule_id=assignment.rule_id,
            strategy=assignment.strategy,
        )
    return Captured(lead, duplicates, assignment)


# --- reads ----------------------------------------------------------------------


async def get_lead(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    lead_id: uuid.UUID,
    for_update: bool = False,
    claim: bool = False,
) -> Lead:
    """The lead in the caller's record scope; ``for_update`` locks it for a change.

    An unassigned lead is read by own/team scopes (the reps' queue) but not loaded for a
    change: the caller is told to claim it first (PERMISSION_DENIED, LEAD_UNCLAIMED), except
    for the claim itself (``claim``)."""
    stmt = select(Lead).where(Lead.tenant_id == tenant_id, Lead.id == lead_id)
    if for_update:
        stmt = stmt.with_for_update()
    if claim:
        stmt = stmt.execution_options(**{INCLUDE_UNOWNED_OPTION: True})
    lead = (await session.execute(stmt)).scalar_one_or_none()
    if lead is None and for_update and not claim:
        queued = await session.execute(
            select(Lead.owner_id).where(Lead.tenant_id == tenant_id, Lead.id == lead_id)
        )
        if queued.first() is not None:  # visible without the lock: an unassigned lead
            raise PermissionDenied(
                f"lead {lead_id} is unassigned: claim it (assign it to yourself) first",
                reason="LEAD_UNCLAIMED",
            )
    if lead is None:
        raise NotFound(f"lead {lead_id} not found")
    return lead


async def list_leads(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    page: PageRequest,
    token: str = "",
    filters: LeadFilter | None = None,
) -> tuple[list[Lead], str]:
    return await repository.list_leads(
        session, tenant_id, filters or LeadFilter(), page.size, token
    )


# --- lifecycle ----------------------------------------------------------------


def _refuse_closed(lead: Lead) -> None:
    if lead.status == LeadStatus.CONVERTED:
        raise FailedPrecondition(
            f"lead {lead.id} was already converted on {lead.converted_at:%Y-%m-%d}",
            reason="LEAD_ALREADY_CONVERTED",
        )
    if lead.status == LeadStatus.MERGED:
        raise FailedPrecondition(
            f"lead {lead.id} was merged into lead {lead.merged_into_id}", reason="LEAD_MERGED"
        )


async def _activity(
    session: AsyncSession, lead: Lead, kind: str, body: str, actor_id: uuid.UUID | None
) -> LeadActivity:
    act = LeadActivity(
        id=_uuid7(),
        tenant_id=lead.tenant_id,
        lead_id=lead.id,
        kind=kind,
        body=body,
        actor_id=actor_id,
        created_at=datetime.now(UTC),
    )
    session.add(act)
    return act


def _touch(lead: Lead) -> None:
    lead.version += 1
    lead.updated_at = datetime.now(UTC)


async def convert_lead(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    lead_id: uuid.UUID,
    actor_id: uuid.UUID | None = None,
    account_name: str | None = None,
    create_account: bool = False,
    deal=None,
) -> tuple[Lead, Deal | None]:
    """Lead -> customer with the same party_id (contacts consumes LeadConverted),
    optionally an account and an open deal; deals and timeline stay attached."""
    lead = await get_lead(session=session, tenant_id=tenant_id, lead_id=lead_id, for_update=True)
    _refuse_closed(lead)
    account = (account_name or lead.company_name or "").strip() or None
    if create_account and not account:
        raise InvalidArgument(
            "an account needs a name",
            violations=[FieldViolation("account_name", "is required when the lead has no company")],
        )
    if account and len(account) > 200:
        raise InvalidArgument(
            "account_name is too long",
            violations=[FieldViolation("account_name", "must be at most 200 characters")],
        )
    made = None
    if deal is not None:
        made = await pipeline.create_deal(
            session,
            tenant_id,
            actor_id=actor_id,
            title=deal.title or lead.company_name or lead.name,
            pipeline_id=deal.pipeline_id,
            lead_id=lead.id,
            party_id=None,
            account_name=account if create_account else None,
            amount_agorot=deal.amount_agorot,
            expected_close_date=deal.expected_close_date,
            owner_id=lead.owner_id or actor_id,
            lead=lead,
        )
    await mark_converted(
        session,
        lead,
        actor_id=actor_id,
        account=account if create_account else None,
        deal_id=made.id if made else None,
    )
    return lead, made


async def mark_converted(
    session: AsyncSession,
    lead: Lead,
    *,
    actor_id: uuid.UUID | None,
    account: str | None,
    deal_id: uuid.UUID | None,
    why: str = "",
) -> None:
    """Status converted, the lead's deals belong to the customer, timeline, LeadConverted."""
    lead.status = LeadStatus.CONVERTED
    lead.converted_at = datetime.now(UTC)
    _touch(lead)
    # The lead's deals follow it whoever owns them (a consequence of a change the caller
    # may make, not a query of theirs): unscoped, and audited as a bulk change (A5).
    moved = await session.execute(
        update(Deal)
        .where(Deal.tenant_id == lead.tenant_id, Deal.lead_id == lead.id)
        .values(party_id=lead.party_id)
        .returning(Deal.id)
        .execution_options(crm_unscoped=True)
    )
    await record_bulk(
        session,
        "deals",
        moved.scalars().all(),
        "update",
        {"party_id": [None, lead.party_id]},
        tenant_id=lead.tenant_id,
    )
    body = "הומר ללקוח" + (f" ({account})" if account else "")
    if why == "won":
        body += f" — עסקה {deal_id} נסגרה בהצלחה"
    await _activity(session, lead, "converted", body, actor_id)
    await session.flush()
    await events.lead_converted(session, lead, account_name=account, deal_id=deal_id)


async def qualify_lead(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    lead_id: uuid.UUID,
    qualified: bool,
    reason: str,
    actor_id: uuid.UUID | None,
) -> Lead:
    reason = reason.strip()
    if not qualified and not reason:
        raise InvalidArgument(
            "disqualifying a lead needs a reason",
            violations=[FieldViolation("reason", "is required when qualified is false")],
        )
    if len(reason) > 200:
        raise InvalidArgument(
            "reason is too long", violations=[FieldViolation("reason", "at most 200 characters")]
        )
    lead = await get_lead(session=session, tenant_id=tenant_id, lead_id=lead_id, for_update=True)
    _refuse_closed(lead)
    target = LeadStatus.QUALIFIED if qualified else LeadStatus.DISQUALIFIED
    if lead.status == target:
        raise FailedPrecondition(f"lead {lead.id} is already {target}", reason="LEAD_UNCHANGED")
    lead.status = target
    _touch(lead)
    if qualified:
        lead.qualified_at = datetime.now(UTC)
        lead.disqualify_reason = None
        await _activity(session, lead, "qualified", reason or "הליד נמצא רלוונטי", actor_id)
        await session.flush()
        await events.lead_qualified(session, lead)
    else:
        lead.disqualify_reason = reason
        await _activity(session, lead, "disqualified", reason, actor_id)
        await session.flush()
        await events.lead_disqualified(session, lead)
    return lead


async def assign_lead(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    lead_id: uuid.UUID,
    owner_id: uuid.UUID,
    actor_id: uuid.UUID | None,
) -> Lead:
    lead = await get_lead(
        session=session, tenant_id=tenant_id, lead_id=lead_id, for_update=True, claim=True
    )
    _refuse_closed(lead)
    previous = lead.owner_id
    if previous is None:
        # A claim from the queue: a scoped caller takes it for themselves (own) or for one of
        # their team (team); managers and admins (scope all) hand it to anyone.
        allowed = owners_in_scope(current_context())
        if allowed is not None and owner_id not in allowed:
            raise PermissionDenied(
                "an unassigned lead can only be claimed by assigning it to yourself"
                + (" or to your team" if len(allowed) > 1 else ""),
                reason="LEAD_CLAIM_FOR_ANOTHER",
            )
    lead.owner_id = owner_id
    _touch(lead)
    await _activity(session, lead, "assigned", f"owner {owner_id}", actor_id)
    await session.flush()
    await events.lead_assigned(
        session, lead, previous_owner_id=previous, rule_id=None, strategy="manual"
    )
    return lead


async def add_activity(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    lead_id: uuid.UUID,
    kind: str,
    body: str,
    actor_id: uuid.UUID | None,
) -> LeadActivity:
    bad = []
    if kind not in ACTIVITY_KINDS:
        bad.append(FieldViolation("kind", f"must be one of: {', '.join(ACTIVITY_KINDS)}"))
    if not body.strip() or len(body) > 5000:
        bad.append(FieldViolation("body", "is required, at most 5000 characters"))
    if bad:
        raise InvalidArgument("the activity is not valid", violations=bad)
    # for_update: an activity is a change, refused on an unassigned lead until it is claimed
    lead = await get_lead(session=session, tenant_id=tenant_id, lead_id=lead_id, for_update=True)
    act = await _activity(session, lead, kind, body.strip(), actor_id)
    await session.flush()
    await events.lead_activity_added(session, lead, act)
    return act


async def list_activities(
    *, session: AsyncSession, tenant_id: uuid.UUID, lead_id: uuid.UUID
) -> list[LeadActivity]:
    await get_lead(session=session, tenant_id=tenant_id, lead_id=lead_id)
    stmt = (
        select(LeadActivity)
        .where(LeadActivity.tenant_id == tenant_id, LeadActivity.lead_id == lead_id)
        .order_by(LeadActivity.id)
    )
    return list((await session.execute(stmt)).scalars())


_MERGE_FILL = (
    "phone",
    "email",
    "company_name",
    "campaign",
    "product_interest",
    "city",
    "language",
    "owner_id",
    "utm_source",
    "utm_medium",
    "utm_campaign",
)


async def merge_leads(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    lead_id: uuid.UUID,
    duplicate_id: uuid.UUID,
    actor_id: uuid.UUID | None,
) -> Lead:
    """Merge ``duplicate_id`` into ``lead_id``: the survivor takes the duplicate's
    timeline and deals and fills its empty fields; the duplicate stays, status merged."""
    if lead_id == duplicate_id:
        raise InvalidArgument(
            "a lead cannot be merged into itself",
            violations=[FieldViolation("duplicate_lead_id", "must differ from lead_id")],
        )
    # Lock both rows in id order so two opposite merges cannot deadlock.
    rows = (
        await session.execute(
            select(Lead)
            .where(Lead.tenant_id == tenant_id, Lead.id.in_([lead_id, duplicate_id]))
            .order_by(Lead.id)
            .with_for_update()
        )
    ).scalars()
    by_id = {r.id: r for r in rows}
    for wanted in (lead_id, duplicate_id):
        if wanted not in by_id:
            raise NotFound(f"lead {wanted} not found")
    lead, dup = by_id[lead_id], by_id[duplicate_id]
    _refuse_closed(lead)
    _refuse_closed(dup)
    for name in _MERGE_FILL:
        if getattr(lead, name) is None and getattr(dup, name) is not None:
            setattr(lead, name, getattr(dup, name))
    if dup.status == LeadStatus.QUALIFIED and lead.status == LeadStatus.NEW:
        lead.status = LeadStatus.QUALIFIED
    dup.status = LeadStatus.MERGED
    dup.merged_into_id = lead.id
    _touch(lead)
    _touch(dup)
    # The duplicate's timeline and deals move with it, whoever owns them (unscoped; A5 bulk).
    for model in (LeadActivity, Deal):
        moved = await session.execute(
            update(model)
            .where(model.tenant_id == tenant_id, model.lead_id == dup.id)
            .values(lead_id=lead.id)
            .returning(model.id)
            .execution_options(crm_unscoped=True)
        )
        await record_bulk(
            session,
            model.__tablename__,
            moved.scalars().all(),
            "update",
            {"lead_id": [dup.id, lead.id]},
            tenant_id=tenant_id,
        )
    await _activity(session, lead, "merged", f"merged lead {dup.id} ({dup.name})", actor_id)
    await _activity(session, dup, "merged", f"merged into lead {lead.id}", actor_id)
    await session.flush()
    await events.lead_merged(session, lead, dup)
    return lead


async def set_session_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    """Switch the transaction's RLS tenant (public capture resolved a key to a tenant)."""
    await session.execute(
        text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant_id)}
    )
