"""gRPC servicer: proto in, use case, proto out. No queries, no commits."""

from __future__ import annotations

import grpc

from crm.reporting.v1 import reporting_service_pb2 as pb
from crm.reporting.v1 import reporting_service_pb2_grpc as pb_grpc
from crm_common.context import current_tenant
from crm_common.db import current_session
from crm_reporting.api.mappers import source_count_to_pb
from crm_reporting.builder import api as builder_api
from crm_reporting.lead_sources import service
from crm_reporting.reports import servicer as reports_servicer


class ReportingServicer(pb_grpc.ReportingServiceServicer):
    async def GetLeadsBySource(
        self, request: pb.GetLeadsBySourceRequest, context
    ) -> pb.GetLeadsBySourceResponse:
        rows, total = await service.leads_by_source(
            session=current_session(), tenant_id=current_tenant()
        )
        return pb.GetLeadsBySourceResponse(
            sources=[source_count_to_pb(x) for x in rows], total=total
        )


def register(server: grpc.aio.Server) -> None:
    pb_grpc.add_ReportingServiceServicer_to_server(ReportingServicer(), server)
    reports_servicer.register(server)
    builder_api.register(server)


SERVICE_NAMES = [
    pb.DESCRIPTOR.services_by_name["ReportingService"].full_name,
    reports_servicer.SERVICE_NAME,
    builder_api.SERVICE_NAME,
]
