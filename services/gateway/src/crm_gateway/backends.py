"""gRPC stubs of every service, one channel each, and the per-call metadata."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated, TypeVar

import grpc
from fastapi import Depends, Request
from grpc_health.v1 import health_pb2, health_pb2_grpc

from crm.contacts.v1 import contacts_service_pb2_grpc
from crm.leads.v1 import leads_service_pb2_grpc
from crm.reporting.v1 import reporting_service_pb2_grpc
from crm_common.grpc.client import call_metadata, make_channel
from crm_gateway.auth import Principal, principal, route_permission
from crm_gateway.settings import GatewaySettings

S = TypeVar("S")


class Backends:
    def __init__(self, settings: GatewaySettings) -> None:
        self.settings = settings
        self.addresses = {
            "leads": settings.leads_addr,
            "contacts": settings.contacts_addr,
            "billing": settings.billing_addr,
            "messaging": settings.messaging_addr,
            "reporting": settings.reporting_addr,
        }
        self.channels = {name: make_channel(addr) for name, addr in self.addresses.items()}
        self._stubs: dict[type, object] = {}
        self.leads = self.stub("leads", leads_service_pb2_grpc.LeadsServiceStub)
        self.contacts = self.stub("contacts", contacts_service_pb2_grpc.ContactsServiceStub)
        self.reporting = self.stub("reporting", reporting_service_pb2_grpc.ReportingServiceStub)

    def stub(self, service: str, stub_class: type[S]) -> S:
        """The stub of ``stub_class`` on ``service``'s channel, made once per process."""
        if stub_class not in self._stubs:
            self._stubs[stub_class] = stub_class(self.channels[service])
        return self._stubs[stub_class]  # type: ignore[return-value]

    async def health(self, deadline_s: float = 1.0) -> dict[str, str]:
        async def check(name: str, channel: grpc.aio.Channel) -> tuple[str, str]:
            try:
                resp = await health_pb2_grpc.HealthStub(channel).Check(
                    health_pb2.HealthCheckRequest(), timeout=deadline_s
                )
                return name, health_pb2.HealthCheckResponse.ServingStatus.Name(resp.status)
            except grpc.aio.AioRpcError as err:
                return name, err.code().name

        results = await asyncio.gather(*(check(n, c) for n, c in self.channels.items()))
        return dict(results)

    async def close(self) -> None:
        await asyncio.gather(*(c.close() for c in self.channels.values()))


@dataclass(frozen=True, slots=True)
class CallOptions:
    """What every downstream call of one request carries: tenant, user, team, record
    scope and roles (docs/gateway.md, metadata contract) and the deadline."""

    metadata: tuple[tuple[str, str], ...]
    timeout: float


async def call_options(
    request: Request, who: Annotated[Principal, Depends(principal)]
) -> CallOptions:
    settings: GatewaySettings = request.app.state.settings
    perm = route_permission(request)
    return CallOptions(
        metadata=call_metadata(
            tenant_id=who.tenant_id,
            user_id=who.user_id,
            request_id=request.headers.get("x-request-id"),
            team_id=who.team_id,
            record_scope=who.grants.scope(perm.module if perm else None),
            roles=who.roles,
        ),
        timeout=settings.grpc_deadline_s,
    )


def backends(request: Request) -> Backends:
    return request.app.state.backends


Call = Annotated[CallOptions, Depends(call_options)]
Services = Annotated[Backends, Depends(backends)]
