"""gRPC servicer of ReportsService: proto in, report query, proto out. No commits."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import grpc

from crm.reporting.v1 import reports_service_pb2 as pb
from crm.reporting.v1 import reports_service_pb2_grpc as pb_grpc
from crm_common.context import current_context, current_tenant
from crm_common.db import current_session
from crm_common.errors import FieldViolation, InvalidArgument
from crm_common.protoutil import parse_uuid, timestamp
from crm_reporting.facts.models import CampaignCost
from crm_reporting.reports import costs, finance, marketing, performance, targets, tasks
from crm_reporting.reports.period import Period, Visibility, resolve_period, visibility_of


def _seen() -> Visibility:
    return visibility_of(current_context())


def _period(p: Period) -> pb.ReportPeriod:
    return pb.ReportPeriod(
        from_date=p.start.isoformat(), to_date=p.end.isoformat(), time_zone=p.time_zone
    )


def _finance_row(row: finance.FinanceRow) -> pb.FinanceRow:
    a = row.aging
    return pb.FinanceRow(
        key=row.key,
        name=row.name,
        invoiced_agorot=row.invoiced_agorot,
        revenue_net_agorot=row.revenue_net_agorot,
        credited_agorot=row.credited_agorot,
        collected_agorot=row.collected_agorot,
        open_balance_agorot=row.open_balance_agorot,
        aging=pb.Aging(
            days_0_30_agorot=a[0],
            days_31_60_agorot=a[1],
            days_61_90_agorot=a[2],
            days_over_90_agorot=a[3],
        ),
    )


def _cost(c: CampaignCost) -> pb.CampaignCost:
    return pb.CampaignCost(
        cost_id=str(c.cost_id),
        source=c.source,
        campaign=c.campaign,
        period_start=c.period_start.isoformat(),
        period_end=c.period_end.isoformat(),
        cost_agorot=c.cost_agorot,
        note=c.note or "",
        created_at=timestamp(c.created_at),
    )


class ReportsServicer(pb_grpc.ReportsServiceServicer):
    async def _period(self, request) -> Period:
        return await resolve_period(
            current_session(), current_tenant(), request.from_date, request.to_date
        )

    async def GetMarketingReport(
        self, request: pb.GetMarketingReportRequest, context
    ) -> pb.GetMarketingReportResponse:
        period = await self._period(request)
        report = await marketing.marketing_report(
            current_session(), current_tenant(), period, _seen()
        )
        return pb.GetMarketingReportResponse(
            period=_period(period),
            rows=[pb.MarketingRow(**asdict(r)) for r in report.rows],
            total=pb.MarketingRow(**asdict(report.total)),
        )

    async def GetTargetsReport(
        self, request: pb.GetTargetsReportRequest, context
    ) -> pb.GetTargetsReportResponse:
        period = await self._period(request)
        rows = await targets.targets_report(current_session(), current_tenant(), period, _seen())
        return pb.GetTargetsReportResponse(
            period=_period(period), targets=[pb.TargetRow(**asdict(r)) for r in rows]
        )

    async def GetPerformanceReport(
        self, request: pb.GetPerformanceReportRequest, context
    ) -> pb.GetPerformanceReportResponse:
        period = await self._period(request)
        rows = await performance.performance_report(
            current_session(), current_tenant(), period, _seen()
        )
        return pb.GetPerformanceReportResponse(
            period=_period(period), reps=[pb.RepPerformanceRow(**asdict(r)) for r in rows]
        )

    async def GetFunnelReport(
        self, request: pb.GetFunnelReportRequest, context
    ) -> pb.GetFunnelReportResponse:
        period = await self._period(request)
        pipeline = parse_uuid(request.pipeline_id, "pipeline_id") if request.pipeline_id else None
        funnel = await performance.funnel_report(
            current_session(), current_tenant(), period, pipeline, _seen()
        )
        return pb.GetFunnelReportResponse(
            period=_period(period),
            deals_created=funnel.deals_created,
            deals_won=funnel.deals_won,
            deals_lost=funnel.deals_lost,
            win_rate=funnel.win_rate,
            stages=[pb.FunnelStage(**asdict(s)) for s in funnel.stages],
        )

    async def GetFinanceReport(
        self, request: pb.GetFinanceReportRequest, context
    ) -> pb.GetFinanceReportResponse:
        limit = request.customer_limit or finance.DEFAULT_CUSTOMER_LIMIT
        if not 1 <= limit <= finance.MAX_CUSTOMER_LIMIT:
            raise InvalidArgument(
                "the report request is not valid",
                violations=[
                    FieldViolation(
                        "customer_limit", f"must be between 1 and {finance.MAX_CUSTOMER_LIMIT}"
                    )
                ],
            )
        period = await self._period(request)
        report = await finance.finance_report(
            current_session(), current_tenant(), period, _seen(), limit
        )
        return pb.GetFinanceReportResponse(
            period=_period(period),
            customers=[_finance_row(r) for r in report.customers],
            reps=[_finance_row(r) for r in report.reps],
            sources=[_finance_row(r) for r in report.sources],
            total=_finance_row(report.total),
            recency=[pb.RecencyCustomer(**asdict(r)) for r in report.recency],
            recency_buckets=[
                pb.RecencyBucket(bucket=b, customers=n) for b, n in report.recency_buckets
            ],
            customers_total=report.customers_total,
        )

    async def GetTasksReport(
        self, request: pb.GetTasksReportRequest, context
    ) -> pb.GetTasksReportResponse:
        period = await self._period(request)
        now = (
            request.now.ToDatetime(tzinfo=dt.UTC)
            if request.HasField("now")
            else dt.datetime.now(dt.UTC)
        )
        report = await tasks.tasks_report(current_session(), current_tenant(), period, now, _seen())

        def rows(items: list[tasks.TaskRow]) -> list[pb.TaskRow]:
            return [pb.TaskRow(**asdict(r)) for r in items]

        return pb.GetTasksReportResponse(
            period=_period(period),
            now=timestamp(now),
            by_type=rows(report.by_type),
            by_assignee=rows(report.by_assignee),
            by_assignee_and_type=rows(report.by_assignee_and_type),
            by_team=rows(report.by_team),
            total=pb.TaskRow(**asdict(report.total)),
        )

    async def CreateCampaignCost(
        self, request: pb.CreateCampaignCostRequest, context
    ) -> pb.CreateCampaignCostResponse:
        cost = await costs.create_cost(
            current_session(),
            current_tenant(),
            source=request.source,
            campaign=request.campaign,
            period_start=request.period_start,
            period_end=request.period_end,
            cost_agorot=request.cost_agorot,
            note=request.note,
        )
        return pb.CreateCampaignCostResponse(cost=_cost(cost))

    async def ListCampaignCosts(
        self, request: pb.ListCampaignCostsRequest, context
    ) -> pb.ListCampaignCostsResponse:
        rows = await costs.list_costs(current_session(), current_tenant(), source=request.source)
        return pb.ListCampaignCostsResponse(costs=[_cost(c) for c in rows])

    async def DeleteCampaignCost(
        self, request: pb.DeleteCampaignCostRequest, context
    ) -> pb.DeleteCampaignCostResponse:
        await costs.delete_cost(
            current_session(), current_tenant(), parse_uuid(request.cost_id, "cost_id")
        )
        return pb.DeleteCampaignCostResponse()


def register(server: grpc.aio.Server) -> None:
    pb_grpc.add_ReportsServiceServicer_to_server(ReportsServicer(), server)


SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ReportsService"].full_name
