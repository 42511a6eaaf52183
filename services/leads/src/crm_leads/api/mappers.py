"""Domain <-> protobuf."""

from __future__ import annotations

from crm.leads.v1 import leads_service_pb2 as pb
from crm_common.protoutil import timestamp
from crm_leads.leads.models import CaptureEndpoint, Lead, LeadActivity, LeadImport, LeadStatus
from crm_leads.leads.models import RoutingRule as RuleModel
from crm_leads.leads.models import SalesTeam as TeamModel
from crm_leads.leads.repository import Match
from crm_leads.leads.routing import Assignment
from crm_leads.pipeline.models import Deal, LostReason, SalesTarget, StageChange
from crm_leads.pipeline.service import PipelineView

_STATUS_TO_PB = {
    LeadStatus.NEW: pb.LEAD_STATUS_NEW,
    LeadStatus.CONVERTED: pb.LEAD_STATUS_CONVERTED,
    LeadStatus.QUALIFIED: pb.LEAD_STATUS_QUALIFIED,
    LeadStatus.DISQUALIFIED: pb.LEAD_STATUS_DISQUALIFIED,
    LeadStatus.MERGED: pb.LEAD_STATUS_MERGED,
}
STATUS_FROM_PB = {v: k for k, v in _STATUS_TO_PB.items()}
CHANNEL_TO_PB = {
    "api": pb.CAPTURE_CHANNEL_API,
    "web_form": pb.CAPTURE_CHANNEL_WEB_FORM,
    "webhook": pb.CAPTURE_CHANNEL_WEBHOOK,
    "import": pb.CAPTURE_CHANNEL_IMPORT,
    "manual": pb.CAPTURE_CHANNEL_MANUAL,
}
CHANNEL_FROM_PB = {v: k for k, v in CHANNEL_TO_PB.items()}
STAGE_KIND_TO_PB = {
    "open": pb.STAGE_KIND_OPEN,
    "won": pb.STAGE_KIND_WON,
    "lost": pb.STAGE_KIND_LOST,
}
STAGE_KIND_FROM_PB = {v: k for k, v in STAGE_KIND_TO_PB.items()}
DEAL_STATUS_TO_PB = {
    "open": pb.DEAL_STATUS_OPEN,
    "won": pb.DEAL_STATUS_WON,
    "lost": pb.DEAL_STATUS_LOST,
}
DEAL_STATUS_FROM_PB = {v: k for k, v in DEAL_STATUS_TO_PB.items()}
PERIOD_TO_PB = {"month": pb.TARGET_PERIOD_MONTH, "quarter": pb.TARGET_PERIOD_QUARTER}
PERIOD_FROM_PB = {v: k for k, v in PERIOD_TO_PB.items()}


def _s(v: object | None) -> str:
    return "" if v is None else str(v)


def lead_to_pb(lead: Lead) -> pb.Lead:
    return pb.Lead(
        id=str(lead.id),
        party_id=str(lead.party_id),
        name=lead.name,
        phone=lead.phone or "",
        email=lead.email or "",
        company_name=lead.company_name or "",
        source=lead.source,
        campaign=lead.campaign or "",
        status=_STATUS_TO_PB[lead.status],
        created_at=timestamp(lead.created_at),
        converted_at=timestamp(lead.converted_at),
        owner_id=_s(lead.owner_id),
        team_id=_s(lead.team_id),
        product_interest=lead.product_interest or "",
        city=lead.city or "",
        language=lead.language or "",
        utm=pb.Utm(
            source=lead.utm_source or "",
            medium=lead.utm_medium or "",
            campaign=lead.utm_campaign or "",
            term=lead.utm_term or "",
            content=lead.utm_content or "",
        ),
        channel=CHANNEL_TO_PB.get(lead.channel, pb.CAPTURE_CHANNEL_UNSPECIFIED),
        merged_into_id=_s(lead.merged_into_id),
        disqualify_reason=lead.disqualify_reason or "",
        version=lead.version,
        updated_at=timestamp(lead.updated_at),
    )


def match_to_pb(m: Match) -> pb.DuplicateMatch:
    return pb.DuplicateMatch(
        kind=pb.DUPLICATE_KIND_LEAD if m.kind == "lead" else pb.DUPLICATE_KIND_CUSTOMER,
        lead_id=_s(m.lead_id),
        party_id=str(m.party_id),
        name=m.name,
        matched_on=m.matched_on,
    )


def assignment_to_pb(a: Assignment | None) -> pb.Assignment | None:
    if a is None:
        return None
    return pb.Assignment(
        owner_id=str(a.owner_id), team_id=_s(a.team_id), rule_id=_s(a.rule_id), strategy=a.strategy
    )


def activity_to_pb(a: LeadActivity) -> pb.LeadActivity:
    return pb.LeadActivity(
        id=str(a.id),
        lead_id=str(a.lead_id),
        kind=a.kind,
        body=a.body,
        actor_id=_s(a.actor_id),
        created_at=timestamp(a.created_at),
    )


def web_form_to_pb(f: CaptureEndpoint) -> pb.WebForm:
    return pb.WebForm(
        id=str(f.id), name=f.name, form_key=f.key, source=f.source, campaign=f.campaign or ""
    )


def import_to_pb(imp: LeadImport, preview=(), preview_errors=()) -> pb.LeadImport:
    errors = list(imp.errors) or list(preview_errors)
    return pb.LeadImport(
        id=str(imp.id),
        filename=imp.filename,
        status=imp.status,
        columns=imp.columns,
        mapping=imp.mapping,
        total_rows=imp.total_rows,
        processed_rows=imp.processed_rows,
        imported_rows=imp.imported_rows,
        failed_rows=imp.failed_rows,
        errors=[
            pb.ImportRowError(row=e["row"], field=e["field"], message=e["message"]) for e in errors
        ],
        preview=[pb.ImportRow(values=r) for r in preview],
        progress_percent=(100 * imp.processed_rows // imp.total_rows) if imp.total_rows else 100,
        default_source=imp.default_source,
    )


def team_to_pb(t: TeamModel) -> pb.SalesTeam:
    return pb.SalesTeam(
        id=str(t.id), name=t.name, strategy=t.strategy, member_ids=[str(m) for m in t.member_ids]
    )


def rule_to_pb(r: RuleModel) -> pb.RoutingRule:
    return pb.RoutingRule(
        id=str(r.id),
        position=r.position,
        name=r.name,
        source=r.source or "",
        product_interest=r.product_interest or "",
        city=r.city or "",
        language=r.language or "",
        team_id=_s(r.team_id),
        owner_id=_s(r.owner_id),
    )


def pipeline_to_pb(v: PipelineView) -> pb.Pipeline:
    return pb.Pipeline(
        id=str(v.pipeline.id),
        name=v.pipeline.name,
        product_type=v.pipeline.product_type or "",
        is_default=v.pipeline.is_default,
        stages=[
            pb.Stage(
                id=str(s.id),
                name=s.name,
                position=s.position,
                probability=s.probability,
                kind=STAGE_KIND_TO_PB[s.kind],
            )
            for s in v.stages
        ],
    )


def reason_to_pb(r: LostReason) -> pb.LostReason:
    return pb.LostReason(id=str(r.id), label=r.label)


def deal_to_pb(d: Deal, history: list[StageChange] = ()) -> pb.Deal:
    return pb.Deal(
        id=str(d.id),
        title=d.title,
        pipeline_id=str(d.pipeline_id),
        stage_id=str(d.stage_id),
        lead_id=_s(d.lead_id),
        party_id=_s(d.party_id),
        account_name=d.account_name or "",
        amount_agorot=d.amount_agorot,
        currency=d.currency,
        expected_close_date=_s(d.expected_close_date),
        probability=d.probability,
        owner_id=_s(d.owner_id),
        status=DEAL_STATUS_TO_PB[d.status],
        lost_reason_id=_s(d.lost_reason_id),
        version=d.version,
        created_at=timestamp(d.created_at),
        closed_at=timestamp(d.closed_at),
        history=[
            pb.StageChange(
                from_stage_id=_s(h.from_stage_id),
                to_stage_id=str(h.to_stage_id),
                changed_by=_s(h.changed_by),
                changed_at=timestamp(h.changed_at),
            )
            for h in history
        ],
    )


def target_to_pb(t: SalesTarget, amount: int = 0, count: int = 0) -> pb.SalesTarget:
    return pb.SalesTarget(
        id=str(t.id),
        owner_id=_s(t.owner_id),
        team_id=_s(t.team_id),
        period=PERIOD_TO_PB[t.period],
        period_start=t.period_start.isoformat(),
        amount_agorot=t.amount_agorot,
        deal_count=t.deal_count,
        actual_amount_agorot=amount,
        actual_deal_count=count,
    )
