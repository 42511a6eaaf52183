"""gRPC servicer: proto in, use case, proto out. No queries, no commits."""

from __future__ import annotations

import grpc

from crm.contacts.v1 import card_service_pb2 as card_pb
from crm.contacts.v1 import card_service_pb2_grpc as card_grpc
from crm.contacts.v1 import contacts_service_pb2 as pb
from crm.contacts.v1 import contacts_service_pb2_grpc as pb_grpc
from crm.contacts.v1 import tasks_service_pb2 as tasks_pb
from crm.contacts.v1 import tasks_service_pb2_grpc as tasks_grpc
from crm_common.context import current_tenant
from crm_common.db import current_session
from crm_common.pagination import PageRequest
from crm_common.protoutil import parse_uuid
from crm_contacts.api.card_servicer import CardServicer
from crm_contacts.api.mappers import customer_to_pb
from crm_contacts.api.tasks_servicer import TasksServicer
from crm_contacts.customers import service


class ContactsServicer(pb_grpc.ContactsServiceServicer):
    async def GetCustomer(self, request: pb.GetCustomerRequest, context) -> pb.GetCustomerResponse:
        customer = await service.get_customer(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
        )
        return pb.GetCustomerResponse(customer=customer_to_pb(customer))

    async def ListCustomers(
        self, request: pb.ListCustomersRequest, context
    ) -> pb.ListCustomersResponse:
        customers, token = await service.list_customers(
            session=current_session(),
            tenant_id=current_tenant(),
            page=PageRequest.parse(request.page_size, request.page_token),
        )
        return pb.ListCustomersResponse(
            customers=[customer_to_pb(x) for x in customers], next_page_token=token
        )


def register(server: grpc.aio.Server) -> None:
    pb_grpc.add_ContactsServiceServicer_to_server(ContactsServicer(), server)
    card_grpc.add_CardServiceServicer_to_server(CardServicer(), server)
    tasks_grpc.add_TasksServiceServicer_to_server(TasksServicer(), server)


SERVICE_NAMES = [
    pb.DESCRIPTOR.services_by_name["ContactsService"].full_name,
    card_pb.DESCRIPTOR.services_by_name["CardService"].full_name,
    tasks_pb.DESCRIPTOR.services_by_name["TasksService"].full_name,
]
