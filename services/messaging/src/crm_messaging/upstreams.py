"""gRPC clients of the services messaging reads from: contacts and billing.

Only the dispatcher and a few use cases call them (campaign segments, dialer
lists); the send path never does. Every call carries the tenant in metadata and
a deadline; an upstream error becomes a :class:`~crm_common.errors.DomainError`
(or :class:`UpstreamUnavailable`, which callers treat as "try again later").
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import grpc

from crm.billing.v1 import billing_service_pb2 as billing_pb
from crm.billing.v1 import billing_service_pb2_grpc as billing_grpc
from crm.contacts.v1 import card_service_pb2 as card_pb
from crm.contacts.v1 import card_service_pb2_grpc as card_grpc
from crm_common.errors import FailedPrecondition, InvalidArgument, NotFound
from crm_common.grpc.client import call_metadata, make_channel
from crm_messaging.settings import MessagingSettings

_TRANSIENT = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
    grpc.StatusCode.ABORTED,
    grpc.StatusCode.INTERNAL,
    grpc.StatusCode.UNKNOWN,
}


class UpstreamUnavailable(FailedPrecondition):
    """The upstream did not answer in time: nothing was decided, retry later."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="UPSTREAM_UNAVAILABLE")
        self.code = grpc.StatusCode.UNAVAILABLE


def _domain_error(service: str, exc: grpc.aio.AioRpcError):
    detail = exc.details() or exc.code().name
    if exc.code() in _TRANSIENT:
        return UpstreamUnavailable(f"{service} is unavailable: {detail}")
    if exc.code() == grpc.StatusCode.NOT_FOUND:
        return NotFound(f"{service}: {detail}")
    if exc.code() == grpc.StatusCode.INVALID_ARGUMENT:
        return InvalidArgument(f"{service}: {detail}")
    return FailedPrecondition(f"{service}: {detail}")


class Upstreams:
    def __init__(self, settings: MessagingSettings) -> None:
        self.deadline = settings.upstream_deadline_s
        self.page_size = settings.segment_page_size
        self._channels = {
            "contacts": make_channel(settings.contacts_addr),
            "billing": make_channel(settings.billing_addr),
        }
        self.card = card_grpc.CardServiceStub(self._channels["contacts"])
        self.billing = billing_grpc.BillingServiceStub(self._channels["billing"])

    async def close(self) -> None:
        for channel in self._channels.values():
            await channel.close()

    # --- contacts -------------------------------------------------------------------

    async def segment_size(self, tenant_id: uuid.UUID, segment_id: uuid.UUID) -> int:
        """The segment's member count (NotFound when there is no such segment)."""
        try:
            resp = await self.card.ListSegmentMembers(
                card_pb.ListSegmentMembersRequest(segment_id=str(segment_id), page_size=1),
                metadata=call_metadata(tenant_id=tenant_id),
                timeout=self.deadline,
            )
        except grpc.aio.AioRpcError as exc:
            raise _domain_error("contacts", exc) from None
        return resp.total

    async def segment_members(
        self, tenant_id: uuid.UUID, segment_id: uuid.UUID
    ) -> AsyncIterator[list[card_pb.Contact]]:
        """Every member of the segment, a page at a time (each page its own deadline)."""
        token = ""
        while True:
            try:
                resp = await self.card.ListSegmentMembers(
                    card_pb.ListSegmentMembersRequest(
                        segment_id=str(segment_id), page_size=self.page_size, page_token=token
                    ),
                    metadata=call_metadata(tenant_id=tenant_id),
                    timeout=self.deadline,
                )
            except grpc.aio.AioRpcError as exc:
                raise _domain_error("contacts", exc) from None
            yield list(resp.contacts)
            token = resp.next_page_token
            if not token or not resp.contacts:
                return

    # --- billing --------------------------------------------------------------------

    async def lapsed_customers(
        self, tenant_id: uuid.UUID, *, sku: str, days: int, as_of: str
    ) -> list[billing_pb.LapsedCustomer]:
        try:
            resp = await self.billing.ListLapsedCustomers(
                billing_pb.ListLapsedCustomersRequest(sku=sku, days=days, as_of=as_of),
                metadata=call_metadata(tenant_id=tenant_id),
                timeout=self.deadline,
            )
        except grpc.aio.AioRpcError as exc:
            raise _domain_error("billing", exc) from None
        return list(resp.customers)

    async def aging(self, tenant_id: uuid.UUID, *, as_of: str) -> list[billing_pb.AgingRow]:
        try:
            resp = await self.billing.GetAging(
                billing_pb.GetAgingRequest(as_of=as_of),
                metadata=call_metadata(tenant_id=tenant_id),
                timeout=self.deadline,
            )
        except grpc.aio.AioRpcError as exc:
            raise _domain_error("billing", exc) from None
        return list(resp.rows)
