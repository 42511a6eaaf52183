"""Pipelines, stages, lost reasons, deals (L4, L8), targets (L7). They flush; the edge commits."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import grpc
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.audit import record_bulk, record_upsert
from crm_common.db import uuid7
from crm_common.errors import (
    AlreadyExists,
    DomainError,
    FailedPrecondition,
    FieldViolation,
    InvalidArgument,
    NotFound,
    Validator,
)
from crm_leads.leads.models import Lead, LeadActivity, LeadStatus, SalesTeam
from crm_leads.pipeline import events
from crm_leads.pipeline.models import Deal, LostReason, Pipeline, SalesTarget, Stage, StageChange

STAGE_KINDS = ("open", "won", "lost")
# The default Israeli sales flow (seeds 001, 002): needs discovery -> relevance -> closing.
DEFAULT_STAGES = (
    ("בירור צרכים", 10, "open"),
    ("בדיקת רלוונטיות", 30, "open"),
    ("סגירה", 70, "open"),
    ("נסגר בהצלחה", 100, "won"),
    ("לא נסגר", 0, "lost"),
)
ISRAEL = ZoneInfo("Asia/Jerusalem")
DEFAULT_LOST_REASONS = ("מחיר", "בחר במתחרה", "אין תקציב", "לא רלוונטי", "אין מענה")


@dataclass
class Aborted(DomainError):
    """A concurrent change won: re-read and retry (optimistic version check)."""

    reason: str = "VERSION_CONFLICT"

    def __post_init__(self) -> None:
        self.code = grpc.StatusCode.ABORTED


@dataclass
class PipelineView:
    pipeline: Pipeline
    stages: list[Stage] = field(default_factory=list)


# --- pipelines -----------------------------------------------------------------


async def _stages(session: AsyncSession, tenant_id: uuid.UUID, pipeline_ids) -> dict:
    rows = (
        await session.execute(
            select(Stage)
            .where(Stage.tenant_id == tenant_id, Stage.pipeline_id.in_(pipeline_ids))
            .order_by(Stage.position)
        )
    ).scalars()
    out: dict[uuid.UUID, list[Stage]] = {}
    for s in rows:
        out.setdefault(s.pipeline_id, []).append(s)
    return out


async def _make_pipeline(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    name: str,
    product_type: str | None,
    stages,
    is_default: bool,
) -> PipelineView:
    p = Pipeline(
        id=uuid7(), tenant_id=tenant_id, name=name, product_type=product_type, is_default=is_default
    )
    session.add(p)
    view = PipelineView(p)
    for i, (sname, prob, kind) in enumerate(stages):
        s = Stage(
            id=uuid7(),
            tenant_id=tenant_id,
            pipeline_id=p.id,
            name=sname,
            position=i,
            probability=prob,
            kind=kind,
        )
        session.add(s)
        view.stages.append(s)
    await session.flush()
    return view


async def list_pipelines(session: AsyncSession, tenant_id: uuid.UUID) -> list[PipelineView]:
    """Every pipeline; a tenant without any gets the default Israeli one."""
    pipes = list(
        (
            await session.execute(
                select(Pipeline).where(Pipeline.tenant_id == tenant_id).order_by(Pipeline.id)
            )
        ).scalars()
    )
    if not pipes:
        return [await _make_pipeline(session, tenant_id, "מכירות", None, DEFAULT_STAGES, True)]
    stages = await _stages(session, tenant_id, [p.id for p in pipes])
    return [PipelineView(p, stages.get(p.id, [])) for p in pipes]


async def create_pipeline(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    name: str,
    product_type: str,
    stages: list[tuple[str, int, str]],
    is_default: bool,
) -> PipelineView:
    v = Validator()
    name = name.strip()
    if not name or len(name) > 200:
        v.add("name", "is required, at most 200 characters")
    if len(product_type) > 100:
        v.add("product_type", "at most 100 characters")
    kinds = [k for _, _, k in stages]
    for i, (sname, prob, kind) in enumerate(stages):
        if not sname.strip() or len(sname) > 100:
            v.add(f"stages[{i}].name", "is required, at most 100 characters")
        if not 0 <= prob <= 100:
            v.add(f"stages[{i}].probability", "must be between 0 and 100")
        if kind not in STAGE_KINDS:
            v.add(f"stages[{i}].kind", "must be open, won or lost")
    if kinds.count("open") < 1 or kinds.count("won") != 1 or kinds.count("lost") != 1:
        v.add("stages", "needs at least one open stage, exactly one won and one lost stage")
    if len({s[0].strip() for s in stages}) != len(stages):
        v.add("stages", "stage names must not repeat")
    v.raise_if_any("the pipeline is not valid")
    await list_pipelines(session, tenant_id)  # make the default one first if missing
    if is_default:
        was = await session.execute(
            update(Pipeline)
            .where(Pipeline.tenant_id == tenant_id, Pipeline.is_default.is_(True))
            .values(is_default=False)
            .returning(Pipeline.id)
        )
        await record_bulk(
            session, "pipelines", was.scalars().all(), "update", {"is_default": [True, False]}
        )
    return await _make_pipeline(
        session,
        tenant_id,
        name,
        product_type.strip() or None,
        [(s.strip(), p, k) for s, p, k in stages],
        is_default,
    )


# --- lost reasons ----------------------------------------------------------------


async def list_lost_reasons(session: AsyncSession, tenant_id: uuid.UUID) -> list[LostReason]:
    rows = list(
        (
            await session.execute(
                select(LostReason).where(LostReason.tenant_id == tenant_id).order_by(LostReason.id)
            )
        ).scalars()
    )
    if rows:
        return rows
    made = [LostReason(id=uuid7(), tenant_id=tenant_id, label=lbl) for lbl in DEFAULT_LOST_REASONS]
    session.add_all(made)
    await session.flush()
    return made


async def create_lost_reason(session: AsyncSession, tenant_id: uuid.UUID, label: str) -> LostReason:
    label = label.strip()
    if not label or len(label) > 200:
        raise InvalidArgument(
            "the lost reason is not valid",
            violations=[FieldViolation("label", "is required, at most 200 characters")],
        )
    existing = await list_lost_reasons(session, tenant_id)
    if any(r.label == label for r in existing):
        raise AlreadyExists(f"lost reason {label!r} exists", reason="LOST_REASON_EXISTS")
    reason = LostReason(id=uuid7(), tenant_id=tenant_id, label=label)
    session.add(reason)
    await session.flush()
    return reason


# --- deals -----------------------------------------------------------------------------


def parse_date(raw: str, name: str) -> dt.date | None:
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise InvalidArgument(
            f"{name} is not a date", violations=[FieldViolation(name, "must be YYYY-MM-DD")]
        ) from None


async def _pipeline_for(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    pipeline_id: uuid.UUID | None,
    product: str | None = None,
) -> PipelineView:
    """The pipeline asked for; else the one whose product type is the lead's product
    interest; else the tenant's default."""
    views = await list_pipelines(session, tenant_id)
    if pipeline_id is None:
        if product:
            for view in views:
                if (view.pipeline.product_type or "").casefold() == product.casefold():
                    return view
        return next((v for v in views if v.pipeline.is_default), views[0])
    for view in views:
        if view.pipeline.id == pipeline_id:
            return view
    raise NotFound(f"pipeline {pipeline_id} not found")


async def create_deal(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    actor_id: uuid.UUID | None,
    title: str,
    pipeline_id: uuid.UUID | None,
    lead_id: uuid.UUID | None,
    party_id: uuid.UUID | None,
    account_name: str | None,
    amount_agorot: int,
    expected_close_date: str,
    owner_id: uuid.UUID | None,
    lead: Lead | None = None,
) -> Deal:
    v = Validator()
    title = (title or "").strip()
    if not title or len(title) > 200:
        v.add("title", "is required, at most 200 characters")
    if amount_agorot < 0:
        v.add("amount_agorot", "must not be negative")
    if account_name and len(account_name) > 200:
        v.add("account_name", "at most 200 characters")
    try:
        close = parse_date(expected_close_date, "expected_close_date")
    except InvalidArgument as exc:
        v.violations.extend(exc.violations)
        close = None
    v.raise_if_any("the deal is not valid")
    if lead is None and lead_id is not None:
        lead = (
            await session.execute(
                select(Lead).where(Lead.tenant_id == tenant_id, Lead.id == lead_id)
            )
        ).scalar_one_or_none()
        if lead is None:
            raise NotFound(f"lead {lead_id} not found")
        if lead.status in (LeadStatus.MERGED, LeadStatus.DISQUALIFIED):
            raise FailedPrecondition(
                f"lead {lead.id} is {lead.status}; no deal can be opened", reason="LEAD_CLOSED"
            )
    if lead is not None:
        # The lead's party id is the customer's to be: billing and contacts key on it.
        party_id = lead.party_id
    view = await _pipeline_for(
        session, tenant_id, pipeline_id, lead.product_interest if lead else None
    )
    first = next(s for s in view.stages if s.kind == "open")
    now = datetime.now(UTC)
    deal = Deal(
        id=uuid7(),
        tenant_id=tenant_id,
        pipeline_id=view.pipeline.id,
        stage_id=first.id,
        lead_id=lead.id if lead else None,
        party_id=party_id,
        account_name=account_name or (lead.company_name if lead else None),
        title=title,
        amount_agorot=amount_agorot,
        currency="ILS",
        expected_close_date=close,
        probability=first.probability,
        owner_id=owner_id or (lead.owner_id if lead else None) or actor_id,
        status="open",
        version=1,
        created_at=now,
        updated_at=now,
    )
    session.add(deal)
    await session.flush()
    session.add(
        StageChange(
            id=uuid7(),
            tenant_id=tenant_id,
            deal_id=deal.id,
            from_stage_id=None,
            to_stage_id=first.id,
            changed_by=actor_id,
            changed_at=now,
        )
    )
    if lead is not None:
        session.add(
            LeadActivity(
                id=uuid7(),
                tenant_id=tenant_id,
                lead_id=lead.id,
                kind="deal",
                body=f"deal {deal.id}: {title}",
                actor_id=actor_id,
                created_at=now,
            )
        )
    await session.flush()
    await events.deal_created(session, deal)
    return deal


async def get_deal(
    session: AsyncSession, tenant_id: uuid.UUID, deal_id: uuid.UUID, *, lock: bool = False
) -> Deal:
    stmt = select(Deal).where(Deal.tenant_id == tenant_id, Deal.id == deal_id)
    if lock:
        stmt = stmt.with_for_update()
    deal = (await session.execute(stmt)).scalar_one_or_none()
    if deal is None:
        raise NotFound(f"deal {deal_id} not found")
    return deal


async def history(
    session: AsyncSession, tenant_id: uuid.UUID, deal_id: uuid.UUID
) -> list[StageChange]:
    stmt = (
        select(StageChange)
        .where(StageChange.tenant_id == tenant_id, StageChange.deal_id == deal_id)
        .order_by(StageChange.id)
    )
    return list((await session.execute(stmt)).scalars())


async def list_deals(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    size: int,
    before: uuid.UUID | None,
    status: str | None,
    owner_id: uuid.UUID | None,
    stage_id: uuid.UUID | None,
    pipeline_id: uuid.UUID | None,
) -> list[Deal]:
    stmt = select(Deal).where(Deal.tenant_id == tenant_id)
    if status:
        stmt = stmt.where(Deal.status == status)
    if owner_id:
        stmt = stmt.where(Deal.owner_id == owner_id)
    if stage_id:
        stmt = stmt.where(Deal.stage_id == stage_id)
    if pipeline_id:
        stmt = stmt.where(Deal.pipeline_id == pipeline_id)
    if before:
        stmt = stmt.where(Deal.id < before)
    stmt = stmt.order_by(Deal.id.desc()).limit(size + 1)
    return list((await session.execute(stmt)).scalars())


async def move_stage(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    deal_id: uuid.UUID,
    stage_id: uuid.UUID,
    expected_version: int,
    lost_reason_id: uuid.UUID | None,
    note: str,
    actor_id: uuid.UUID | None,
) -> Deal:
    """Validated stage move under a row lock; a stale ``expected_version`` is ABORTED."""
    if len(note) > 2000:
        raise InvalidArgument(
            "note is too long", violations=[FieldViolation("note", "at most 2000 characters")]
        )
    deal = await get_deal(session, tenant_id, deal_id, lock=True)
    if expected_version and expected_version != deal.version:
        raise Aborted(
            f"deal {deal_id} changed: version is {deal.version}, not {expected_version}; "
            "re-read it and try again"
        )
    if deal.status != "open":
        raise FailedPrecondition(f"deal {deal_id} is already {deal.status}", reason="DEAL_CLOSED")
    stage = (
        await session.execute(
            select(Stage).where(Stage.tenant_id == tenant_id, Stage.id == stage_id)
        )
    ).scalar_one_or_none()
    if stage is None or stage.pipeline_id != deal.pipeline_id:
        raise InvalidArgument(
            "the stage is not in the deal's pipeline",
            violations=[FieldViolation("stage_id", "must be a stage of the deal's pipeline")],
        )
    if stage.id == deal.stage_id:
        raise FailedPrecondition(
            f"deal {deal_id} is already in stage {stage.name}", reason="SAME_STAGE"
        )
    reason_label = ""
    if stage.kind == "lost":
        if lost_reason_id is None:
            raise InvalidArgument(
                "a lost deal needs a lost reason",
                violations=[FieldViolation("lost_reason_id", "is required for a lost stage")],
            )
        reason = (
            await session.execute(
                select(LostReason).where(
                    LostReason.tenant_id == tenant_id, LostReason.id == lost_reason_id
                )
            )
        ).scalar_one_or_none()
        if reason is None:
            raise InvalidArgument(
                "unknown lost reason",
                violations=[
                    FieldViolation("lost_reason_id", "not one of the tenant's lost reasons")
                ],
            )
        reason_label = reason.label
    now = datetime.now(UTC)
    previous = deal.stage_id
    deal.stage_id = stage.id
    deal.probability = stage.probability
    deal.version += 1
    deal.updated_at = now
    if stage.kind != "open":
        deal.status = stage.kind
        deal.closed_at = now
    if stage.kind == "lost":
        deal.lost_reason_id = lost_reason_id
    session.add(
        StageChange(
            id=uuid7(),
            tenant_id=tenant_id,
            deal_id=deal.id,
            from_stage_id=previous,
            to_stage_id=stage.id,
            changed_by=actor_id,
            note=note or None,
            changed_at=now,
        )
    )
    await session.flush()
    await events.deal_stage_changed(session, deal, previous, stage, actor_id)
    if stage.kind == "won":
        await events.deal_won(session, deal)
        await _convert_on_win(session, tenant_id, deal, actor_id)
    elif stage.kind == "lost":
        await events.deal_lost(session, deal, reason_label)
    return deal


async def _convert_on_win(
    session: AsyncSession, tenant_id: uuid.UUID, deal: Deal, actor_id: uuid.UUID | None
) -> None:
    """L8: a won deal makes its lead a customer (LeadConverted, same party id) if it is not one."""
    if deal.lead_id is None:
        return
    from crm_leads.leads import service as leads_service

    lead = (
        await session.execute(
            select(Lead)
            .where(Lead.tenant_id == tenant_id, Lead.id == deal.lead_id)
            .with_for_update()
        )
    ).scalar_one_or_none()
    if lead is None or lead.status not in (LeadStatus.NEW, LeadStatus.QUALIFIED):
        return
    await leads_service.mark_converted(
        session, lead, actor_id=actor_id, account=deal.account_name, deal_id=deal.id, why="won"
    )


# --- targets (L7) -------------------------------------------------------------------------


def period_end(period: str, start: dt.date) -> dt.date:
    months = 1 if period == "month" else 3
    m = start.month - 1 + months
    return dt.date(start.year + m // 12, m % 12 + 1, 1)


async def set_target(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    owner_id: uuid.UUID | None,
    team_id: uuid.UUID | None,
    period: str,
    period_start: str,
    amount_agorot: int,
    deal_count: int,
) -> SalesTarget:
    v = Validator()
    if (owner_id is None) == (team_id is None):
        v.add("owner_id", "set exactly one of owner_id or team_id")
    if period not in ("month", "quarter"):
        v.add("period", "must be month or quarter")
    start = None
    try:
        start = parse_date(period_start, "period_start")
    except InvalidArgument as exc:
        v.violations.extend(exc.violations)
    if start is None and not v.violations:
        v.add("period_start", "is required")
    if start is not None and (start.day != 1 or (period == "quarter" and start.month % 3 != 1)):
        v.add("period_start", "must be the first day of the month or quarter")
    if amount_agorot < 0:
        v.add("amount_agorot", "must not be negative")
    if deal_count < 0:
        v.add("deal_count", "must not be negative")
    v.raise_if_any("the target is not valid")
    if team_id is not None:
        team = (
            await session.execute(
                select(SalesTeam).where(SalesTeam.tenant_id == tenant_id, SalesTeam.id == team_id)
            )
        ).scalar_one_or_none()
        if team is None:
            raise NotFound(f"team {team_id} not found")
    scope = f"owner:{owner_id}" if owner_id else f"team:{team_id}"
    row = (
        await session.execute(
            pg_insert(SalesTarget)
            .values(
                id=uuid7(),
                tenant_id=tenant_id,
                owner_id=owner_id,
                team_id=team_id,
                scope_key=scope,
                period=period,
                period_start=start,
                amount_agorot=amount_agorot,
                deal_count=deal_count,
            )
            .on_conflict_do_update(
                constraint="uq_sales_targets_scope",
                set_={"amount_agorot": amount_agorot, "deal_count": deal_count},
            )
            .returning(SalesTarget.id)
        )
    ).scalar_one()
    await record_upsert(  # A5
        session,
        SalesTarget,
        row,
        {"scope_key": scope, "period": period, "period_start": start}
        | {"amount_agorot": amount_agorot, "deal_count": deal_count},
        tenant_id=tenant_id,
    )
    target = (
        await session.execute(
            select(SalesTarget)
            .where(SalesTarget.id == row)
            .execution_options(populate_existing=True)
        )
    ).scalar_one()
    await events.target_set(session, target)
    return target


async def list_targets(
    session: AsyncSession, tenant_id: uuid.UUID, period_start: str
) -> list[tuple[SalesTarget, int, int]]:
    """Targets with (actual amount, actual count) of deals won in their period."""
    stmt = select(SalesTarget).where(SalesTarget.tenant_id == tenant_id)
    start = parse_date(period_start, "period_start")
    if start is not None:
        stmt = stmt.where(SalesTarget.period_start == start)
    targets = list(
        (await session.execute(stmt.order_by(SalesTarget.period_start, SalesTarget.id))).scalars()
    )
    teams = {
        t.id: t.member_ids
        for t in (
            await session.execute(select(SalesTeam).where(SalesTeam.tenant_id == tenant_id))
        ).scalars()
    }
    out = []
    for t in targets:
        owners = [t.owner_id] if t.owner_id else list(teams.get(t.team_id, []))
        lo = datetime.combine(t.period_start, dt.time(), tzinfo=ISRAEL)
        hi = datetime.combine(period_end(t.period, t.period_start), dt.time(), tzinfo=ISRAEL)
        amount, count = (
            await session.execute(
                select(func.coalesce(func.sum(Deal.amount_agorot), 0), func.count()).where(
                    Deal.tenant_id == tenant_id,
                    Deal.status == "won",
                    Deal.owner_id.in_(owners),
                    Deal.closed_at >= lo,
                    Deal.closed_at < hi,
                )
            )
        ).one()
        out.append((t, int(amount), int(count)))
    return out
