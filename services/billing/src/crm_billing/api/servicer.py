"""gRPC servicer: proto in, use case, proto out. No queries, no commits."""

from __future__ import annotations

import grpc

from crm.billing.v1 import billing_service_pb2 as pb
from crm.billing.v1 import billing_service_pb2_grpc as pb_grpc
from crm_billing.api.mappers import party_to_pb
from crm_billing.parties import service
from crm_common.context import current_tenant
from crm_common.db import current_session
from crm_common.protoutil import parse_uuid


class BillingServicer(pb_grpc.BillingServiceServicer):
    async def GetParty(self, request: pb.GetPartyRequest, context) -> pb.GetPartyResponse:
        party = await service.get_party(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
        )
        return pb.GetPartyResponse(party=party_to_pb(party))


def register(server: grpc.aio.Server) -> None:
    pb_grpc.add_BillingServiceServicer_to_server(BillingServicer(), server)


SERVICE_NAMES = [pb.DESCRIPTOR.services_by_name["BillingService"].full_name]
