"""gRPC servicer: proto in, use case, proto out. No queries, no commits."""

from __future__ import annotations

import grpc

from crm.leads.v1 import leads_service_pb2 as pb
from crm.leads.v1 import leads_service_pb2_grpc as pb_grpc
from crm_common.context import current_tenant
from crm_common.db import current_session
from crm_common.pagination import PageRequest
from crm_common.protoutil import parse_uuid
from crm_leads.api.mappers import STATUS_FROM_PB, lead_to_pb
from crm_leads.leads import service
from crm_leads.leads.schemas import LeadCreate


class LeadsServicer(pb_grpc.LeadsServiceServicer):
    async def CreateLead(self, request: pb.CreateLeadRequest, context) -> pb.CreateLeadResponse:
        data = LeadCreate.parse(
            name=request.name,
            phone=request.phone or None,
            email=request.email or None,
            company_name=request.company_name or None,
            source=request.source,
            campaign=request.campaign or None,
        )
        lead = await service.create_lead(
            session=current_session(), tenant_id=current_tenant(), data=data
        )
        return pb.CreateLeadResponse(lead=lead_to_pb(lead))

    async def GetLead(self, request: pb.GetLeadRequest, context) -> pb.GetLeadResponse:
        lead = await service.get_lead(
            session=current_session(),
            tenant_id=current_tenant(),
            lead_id=parse_uuid(request.lead_id, "lead_id"),
        )
        return pb.GetLeadResponse(lead=lead_to_pb(lead))

    async def ListLeads(self, request: pb.ListLeadsRequest, context) -> pb.ListLeadsResponse:
        leads, token = await service.list_leads(
            session=current_session(),
            tenant_id=current_tenant(),
            page=PageRequest.parse(request.page_size, request.page_token),
            status=STATUS_FROM_PB.get(request.status),
        )
        return pb.ListLeadsResponse(leads=[lead_to_pb(x) for x in leads], next_page_token=token)

    async def ConvertLead(self, request: pb.ConvertLeadRequest, context) -> pb.ConvertLeadResponse:
        lead = await service.convert_lead(
            session=current_session(),
            tenant_id=current_tenant(),
            lead_id=parse_uuid(request.lead_id, "lead_id"),
        )
        return pb.ConvertLeadResponse(lead=lead_to_pb(lead))


def register(server: grpc.aio.Server) -> None:
    pb_grpc.add_LeadsServiceServicer_to_server(LeadsServicer(), server)


SERVICE_NAMES = [pb.DESCRIPTOR.services_by_name["LeadsService"].full_name]
