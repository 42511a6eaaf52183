"""gRPC servicer: proto in, use case, proto out. No queries, no commits."""

from __future__ import annotations

import datetime as dt
import uuid

import grpc

from crm.leads.v1 import leads_service_pb2 as pb
from crm.leads.v1 import leads_service_pb2_grpc as pb_grpc
from crm_common.context import current_tenant, current_user
from crm_common.db import current_session
from crm_common.errors import FieldViolation, InvalidArgument
from crm_common.pagination import PageRequest, next_token
from crm_common.protoutil import parse_uuid
from crm_leads.api import mappers as m
from crm_leads.leads import capture, imports, routing, service
from crm_leads.leads.repository import LeadFilter
from crm_leads.leads.schemas import LeadCreate
from crm_leads.pipeline import service as pipeline


def opt_uuid(raw: str, field: str) -> uuid.UUID | None:
    return parse_uuid(raw, field) if raw else None


def _ts(msg, field: str) -> dt.datetime | None:
    return getattr(msg, field).ToDatetime(tzinfo=dt.UTC) if msg.HasField(field) else None


def _me() -> uuid.UUID:
    user = current_user()
    if user is None:
        raise InvalidArgument(
            "'mine' needs the calling user",
            violations=[FieldViolation("mine", "the call carries no x-user-id")],
        )
    return user


class LeadsServicer(pb_grpc.LeadsServiceServicer):
    # --- leads -------------------------------------------------------------

    async def CreateLead(self, request: pb.CreateLeadRequest, context) -> pb.CreateLeadResponse:
        session, tenant = current_session(), current_tenant()
        sources = await service.source_codes(session, tenant, want=request.source)
        utm = request.utm
        data = LeadCreate.parse(
            sources=sources,
            name=request.name,
            phone=request.phone or None,
            email=request.email or None,
            company_name=request.company_name or None,
            source=request.source,
            campaign=request.campaign or None,
            product_interest=request.product_interest or None,
            city=request.city or None,
            language=request.language or None,
            utm_source=utm.source or None,
            utm_medium=utm.medium or None,
            utm_campaign=utm.campaign or None,
            utm_term=utm.term or None,
            utm_content=utm.content or None,
            channel=m.CHANNEL_FROM_PB.get(request.channel, "api"),
        )
        owner_id = opt_uuid(request.owner_id, "owner_id")
        if len(request.note) > 5000:
            raise InvalidArgument(
                "note is too long", violations=[FieldViolation("note", "at most 5000 characters")]
            )
        got = await service.capture_lead(
            session=session,
            tenant_id=tenant,
            data=data,
            actor_id=current_user(),
            owner_id=owner_id,
            note=request.note or None,
        )
        return pb.CreateLeadResponse(
            lead=m.lead_to_pb(got.lead),
            duplicates=[m.match_to_pb(x) for x in got.duplicates],
            assignment=m.assignment_to_pb(got.assignment),
        )

    async def GetLead(self, request: pb.GetLeadRequest, context) -> pb.GetLeadResponse:
        lead = await service.get_lead(
            session=current_session(),
            tenant_id=current_tenant(),
            lead_id=parse_uuid(request.lead_id, "lead_id"),
        )
        return pb.GetLeadResponse(lead=m.lead_to_pb(lead))

    async def ListLeads(self, request: pb.ListLeadsRequest, context) -> pb.ListLeadsResponse:
        page = PageRequest.parse(request.page_size, "")
        owner = _me() if request.mine else opt_uuid(request.owner_id, "owner_id")
        filters = LeadFilter(
            status=m.STATUS_FROM_PB.get(request.status),
            owner_id=owner,
            source=request.source or None,
            stage_id=opt_uuid(request.stage_id, "stage_id"),
            created_after=_ts(request, "created_after"),
            created_before=_ts(request, "created_before"),
            query=request.query or None,
            order_by=request.order_by.strip().lower(),
        )
        leads, token = await service.list_leads(
            session=current_session(),
            tenant_id=current_tenant(),
            page=page,
            token=request.page_token,
            filters=filters,
        )
        return pb.ListLeadsResponse(leads=[m.lead_to_pb(x) for x in leads], next_page_token=token)

    async def ConvertLead(self, request: pb.ConvertLeadRequest, context) -> pb.ConvertLeadResponse:
        deal = None
        if request.HasField("deal"):
            d = request.deal
            deal = _DealDraft(
                title=d.title,
                amount_agorot=d.amount_agorot,
                pipeline_id=opt_uuid(d.pipeline_id, "deal.pipeline_id"),
                expected_close_date=d.expected_close_date,
            )
        lead, made = await service.convert_lead(
            session=current_session(),
            tenant_id=current_tenant(),
            lead_id=parse_uuid(request.lead_id, "lead_id"),
            actor_id=current_user(),
            account_name=request.account_name or None,
            create_account=request.create_account,
            deal=deal,
        )
        return pb.ConvertLeadResponse(
            lead=m.lead_to_pb(lead), deal=m.deal_to_pb(made) if made else None
        )

    async def QualifyLead(self, request: pb.QualifyLeadRequest, context) -> pb.QualifyLeadResponse:
        lead = await service.qualify_lead(
            session=current_session(),
            tenant_id=current_tenant(),
            lead_id=parse_uuid(request.lead_id, "lead_id"),
            qualified=request.qualified,
            reason=request.reason,
            actor_id=current_user(),
        )
        return pb.QualifyLeadResponse(lead=m.lead_to_pb(lead))

    async def AssignLead(self, request: pb.AssignLeadRequest, context) -> pb.AssignLeadResponse:
        lead = await service.assign_lead(
            session=current_session(),
            tenant_id=current_tenant(),
            lead_id=parse_uuid(request.lead_id, "lead_id"),
            owner_id=parse_uuid(request.owner_id, "owner_id"),
            actor_id=current_user(),
        )
        return pb.AssignLeadResponse(lead=m.lead_to_pb(lead))

    async def AddLeadActivity(self, request, context) -> pb.AddLeadActivityResponse:
        act = await service.add_activity(
            session=current_session(),
            tenant_id=current_tenant(),
            lead_id=parse_uuid(request.lead_id, "lead_id"),
            kind=request.kind,
            body=request.body,
            actor_id=current_user(),
        )
        return pb.AddLeadActivityResponse(activity=m.activity_to_pb(act))

    async def ListLeadActivities(self, request, context) -> pb.ListLeadActivitiesResponse:
        acts = await service.list_activities(
            session=current_session(),
            tenant_id=current_tenant(),
            lead_id=parse_uuid(request.lead_id, "lead_id"),
        )
        return pb.ListLeadActivitiesResponse(activities=[m.activity_to_pb(a) for a in acts])

    async def MergeLeads(self, request: pb.MergeLeadsRequest, context) -> pb.MergeLeadsResponse:
        lead = await service.merge_leads(
            session=current_session(),
            tenant_id=current_tenant(),
            lead_id=parse_uuid(request.lead_id, "lead_id"),
            duplicate_id=parse_uuid(request.duplicate_lead_id, "duplicate_lead_id"),
            actor_id=current_user(),
        )
        return pb.MergeLeadsResponse(lead=m.lead_to_pb(lead))

    # --- sources and capture endpoints --------------------------------------

    async def ListLeadSources(self, request, context) -> pb.ListLeadSourcesResponse:
        rows = await service.list_sources(current_session(), current_tenant())
        return pb.ListLeadSourcesResponse(
            sources=[pb.LeadSource(code=c, label=lb) for c, lb in rows]
        )

    async def AddLeadSource(self, request, context) -> pb.AddLeadSourceResponse:
        code, label = await service.add_source(
            current_session(), current_tenant(), request.code, request.label
        )
        return pb.AddLeadSourceResponse(source=pb.LeadSource(code=code, label=label))

    async def CreateWebForm(self, request, context) -> pb.CreateWebFormResponse:
        form = await capture.create_web_form(
            current_session(),
            current_tenant(),
            name=request.name,
            source=request.source,
            campaign=request.campaign,
        )
        return pb.CreateWebFormResponse(form=m.web_form_to_pb(form))

    async def ResolveWebForm(self, request, context) -> pb.ResolveWebFormResponse:
        form = await capture.resolve_web_form(current_session(), current_tenant(), request.form_key)
        return pb.ResolveWebFormResponse(tenant_id=str(form.tenant_id), form=m.web_form_to_pb(form))

    async def CreateWebhookEndpoint(self, request, context) -> pb.CreateWebhookEndpointResponse:
        hook = await capture.create_webhook(
            current_session(), current_tenant(), name=request.name, source=request.source
        )
        return pb.CreateWebhookEndpointResponse(
            endpoint=pb.WebhookEndpoint(
                id=str(hook.id),
                name=hook.name,
                endpoint_key=hook.key,
                secret=hook.secret or "",
                source=hook.source,
            )
        )

    async def CaptureWebhookLead(self, request, context) -> pb.CaptureWebhookLeadResponse:
        got = await capture.capture_webhook(
            current_session(),
            current_tenant(),
            endpoint_key=request.endpoint_key,
            timestamp=request.timestamp,
            signature=request.signature,
            body=request.body,
        )
        return pb.CaptureWebhookLeadResponse(
            lead=m.lead_to_pb(got.lead), duplicates=[m.match_to_pb(x) for x in got.duplicates]
        )

    # --- imports ---------------------------------------------------------------

    async def CreateLeadImport(self, request, context) -> pb.CreateLeadImportResponse:
        imp, preview, errors = await imports.create_import(
            current_session(),
            current_tenant(),
            filename=request.filename,
            content=request.content,
            default_source=request.default_source,
        )
        return pb.CreateLeadImportResponse(lead_import=m.import_to_pb(imp, preview, errors))

    async def RunLeadImport(self, request, context) -> pb.RunLeadImportResponse:
        imp = await imports.run_import(
            current_session(),
            current_tenant(),
            import_id=parse_uuid(request.import_id, "import_id"),
            mapping=dict(request.mapping),
            max_rows=request.max_rows,
            actor_id=current_user(),
        )
        return pb.RunLeadImportResponse(lead_import=m.import_to_pb(imp))

    async def GetLeadImport(self, request, context) -> pb.GetLeadImportResponse:
        imp = await imports.get_import(
            current_session(), current_tenant(), parse_uuid(request.import_id, "import_id")
        )
        return pb.GetLeadImportResponse(lead_import=m.import_to_pb(imp))

    # --- routing ------------------------------------------------------------------

    async def CreateSalesTeam(self, request, context) -> pb.CreateSalesTeamResponse:
        members = [parse_uuid(x, f"member_ids[{i}]") for i, x in enumerate(request.member_ids)]
        team = await routing.create_team(
            current_session(),
            current_tenant(),
            name=request.name,
            strategy=request.strategy,
            member_ids=members,
        )
        return pb.CreateSalesTeamResponse(team=m.team_to_pb(team))

    async def ListSalesTeams(self, request, context) -> pb.ListSalesTeamsResponse:
        teams = await routing.list_teams(current_session(), current_tenant())
        return pb.ListSalesTeamsResponse(teams=[m.team_to_pb(t) for t in teams])

    async def CreateRoutingRule(self, request, context) -> pb.CreateRoutingRuleResponse:
        rule = await routing.create_rule(
            current_session(),
            current_tenant(),
            position=request.position,
            name=request.name.strip(),
            source=request.source.strip().lower() or None,
            product_interest=request.product_interest.strip() or None,
            city=request.city.strip() or None,
            language=request.language.strip().lower() or None,
            team_id=opt_uuid(request.team_id, "team_id"),
            owner_id=opt_uuid(request.owner_id, "owner_id"),
        )
        return pb.CreateRoutingRuleResponse(rule=m.rule_to_pb(rule))

    async def ListRoutingRules(self, request, context) -> pb.ListRoutingRulesResponse:
        rules = await routing.list_rules(current_session(), current_tenant())
        return pb.ListRoutingRulesResponse(rules=[m.rule_to_pb(r) for r in rules])

    # --- pipelines and deals ---------------------------------------------------------

    async def CreatePipeline(self, request, context) -> pb.CreatePipelineResponse:
        view = await pipeline.create_pipeline(
            current_session(),
            current_tenant(),
            name=request.name,
            product_type=request.product_type,
            stages=[
                (s.name, s.probability, m.STAGE_KIND_FROM_PB.get(s.kind, ""))
                for s in request.stages
            ],
            is_default=request.is_default,
        )
        return pb.CreatePipelineResponse(pipeline=m.pipeline_to_pb(view))

    async def ListPipelines(self, request, context) -> pb.ListPipelinesResponse:
        views = await pipeline.list_pipelines(current_session(), current_tenant())
        return pb.ListPipelinesResponse(pipelines=[m.pipeline_to_pb(v) for v in views])

    async def CreateLostReason(self, request, context) -> pb.CreateLostReasonResponse:
        r = await pipeline.create_lost_reason(current_session(), current_tenant(), request.label)
        return pb.CreateLostReasonResponse(reason=m.reason_to_pb(r))

    async def ListLostReasons(self, request, context) -> pb.ListLostReasonsResponse:
        rows = await pipeline.list_lost_reasons(current_session(), current_tenant())
        return pb.ListLostReasonsResponse(reasons=[m.reason_to_pb(r) for r in rows])

    async def CreateDeal(self, request: pb.CreateDealRequest, context) -> pb.CreateDealResponse:
        deal = await pipeline.create_deal(
            current_session(),
            current_tenant(),
            actor_id=current_user(),
            title=request.title,
            pipeline_id=opt_uuid(request.pipeline_id, "pipeline_id"),
            lead_id=opt_uuid(request.lead_id, "lead_id"),
            party_id=opt_uuid(request.party_id, "party_id"),
            account_name=request.account_name.strip() or None,
            amount_agorot=request.amount_agorot,
            expected_close_date=request.expected_close_date,
            owner_id=opt_uuid(request.owner_id, "owner_id"),
        )
        hist = await pipeline.history(current_session(), current_tenant(), deal.id)
        return pb.CreateDealResponse(deal=m.deal_to_pb(deal, hist))

    async def GetDeal(self, request, context) -> pb.GetDealResponse:
        session, tenant = current_session(), current_tenant()
        deal = await pipeline.get_deal(session, tenant, parse_uuid(request.deal_id, "deal_id"))
        return pb.GetDealResponse(
            deal=m.deal_to_pb(deal, await pipeline.history(session, tenant, deal.id))
        )

    async def ListDeals(self, request: pb.ListDealsRequest, context) -> pb.ListDealsResponse:
        page = PageRequest.parse(request.page_size, request.page_token)
        rows = await pipeline.list_deals(
            current_session(),
            current_tenant(),
            size=page.size,
            before=page.before,
            status=m.DEAL_STATUS_FROM_PB.get(request.status),
            owner_id=_me() if request.mine else opt_uuid(request.owner_id, "owner_id"),
            stage_id=opt_uuid(request.stage_id, "stage_id"),
            pipeline_id=opt_uuid(request.pipeline_id, "pipeline_id"),
        )
        return pb.ListDealsResponse(
            deals=[m.deal_to_pb(d) for d in rows[: page.size]],
            next_page_token=next_token(rows, page.size),
        )

    async def MoveDealStage(
        self, request: pb.MoveDealStageRequest, context
    ) -> pb.MoveDealStageResponse:
        session, tenant = current_session(), current_tenant()
        deal = await pipeline.move_stage(
            session,
            tenant,
            deal_id=parse_uuid(request.deal_id, "deal_id"),
            stage_id=parse_uuid(request.stage_id, "stage_id"),
            expected_version=request.expected_version,
            lost_reason_id=opt_uuid(request.lost_reason_id, "lost_reason_id"),
            note=request.note,
            actor_id=current_user(),
        )
        return pb.MoveDealStageResponse(
            deal=m.deal_to_pb(deal, await pipeline.history(session, tenant, deal.id))
        )

    # --- targets ---------------------------------------------------------------------

    async def SetSalesTarget(
        self, request: pb.SetSalesTargetRequest, context
    ) -> pb.SetSalesTargetResponse:
        t = await pipeline.set_target(
            current_session(),
            current_tenant(),
            owner_id=opt_uuid(request.owner_id, "owner_id"),
            team_id=opt_uuid(request.team_id, "team_id"),
            period=m.PERIOD_FROM_PB.get(request.period, ""),
            period_start=request.period_start,
            amount_agorot=request.amount_agorot,
            deal_count=request.deal_count,
        )
        return pb.SetSalesTargetResponse(target=m.target_to_pb(t))

    async def ListSalesTargets(self, request, context) -> pb.ListSalesTargetsResponse:
        rows = await pipeline.list_targets(
            current_session(), current_tenant(), request.period_start
        )
        return pb.ListSalesTargetsResponse(targets=[m.target_to_pb(t, a, c) for t, a, c in rows])


class _DealDraft:
    def __init__(self, **kw) -> None:
        self.__dict__.update(kw)


def register(server: grpc.aio.Server) -> None:
    pb_grpc.add_LeadsServiceServicer_to_server(LeadsServicer(), server)


SERVICE_NAMES = [pb.DESCRIPTOR.services_by_name["LeadsService"].full_name]
