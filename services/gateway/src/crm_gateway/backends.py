"""gRPC stubs of every service, one channel each, and the per-call metadata."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from typing import Annotated, TypeVar

import grpc
import sqlalchemy as sa
from fastapi import Depends, Request
from grpc_health.v1 import health_pb2, health_pb2_grpc

from crm.contacts.v1 import contacts_service_pb2_grpc
from crm.leads.v1 import leads_service_pb2_grpc
from crm.reporting.v1 import reporting_service_pb2_grpc
from crm_common.context import MAX_TEAM_MEMBERS
from crm_common.grpc.client import call_metadata, make_channel
from crm_gateway.auth import Principal, principal, route_permission
from crm_gateway.db import Database, users
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
        self._stubs: dict[tuple[str, type], object] = {}
        self.leads = self.stub("leads", leads_service_pb2_grpc.LeadsServiceStub)
        self.contacts = self.stub("contacts", contacts_service_pb2_grpc.ContactsServiceStub)
        self.reporting = self.stub("reporting", reporting_service_pb2_grpc.ReportingServiceStub)

    def stub(self, service: str, stub_class: type[S]) -> S:
        """The stub of ``stub_class`` on ``service``'s channel, made once per process."""
        key = (service, stub_class)
        if key not in self._stubs:
            self._stubs[key] = stub_class(self.channels[service])
        return self._stubs[key]  # type: ignore[return-value]

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


class TeamMembers:
    """Active user ids of a team (record scope ``team``), cached for ``ttl`` seconds.

    At most ``MAX_TEAM_MEMBERS`` ids travel in ``x-team-members``; a larger team
    sees the records of its first members by id (documented limit).
    """

    def __init__(self, db: Database | None, ttl: float) -> None:
        self.db = db
        self.ttl = ttl
        self._cache: dict[tuple[uuid.UUID, uuid.UUID], tuple[float, tuple[uuid.UUID, ...]]] = {}

    async def of(self, tenant_id: uuid.UUID, team_id: uuid.UUID) -> tuple[uuid.UUID, ...]:
        key = (tenant_id, team_id)
        hit = self._cache.get(key)
        now = time.monotonic()
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        if self.db is None:
            return ()
        async with self.db.tx(tenant_id) as s:
            rows = await s.execute(
                sa.select(users.c.id)
                .where(users.c.team_id == team_id, users.c.is_active.is_(True))
                .order_by(users.c.id)
                .limit(MAX_TEAM_MEMBERS)
            )
            ids = tuple(r.id for r in rows)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[key] = (now, ids)
        return ids


def client_ip(request: Request) -> str | None:
    """The socket peer, or the client behind a trusted proxy (``trusted_proxies``; the
    app's ProxyHeadersMiddleware has already set it). X-Forwarded-For is never read here."""
    return (request.client.host[:64] or None) if request.client else None


@dataclass(frozen=True, slots=True)
class CallOptions:
    """What every downstream call of one request carries: tenant, user, team (and its
    members for scope ``team``), record scope, roles, actor kind and client address
    (docs/gateway.md, metadata contract) and the deadline."""

    metadata: tuple[tuple[str, str], ...]
    timeout: float


async def call_options(
    request: Request, who: Annotated[Principal, Depends(principal)]
) -> CallOptions:
    settings: GatewaySettings = request.app.state.settings
    perm = route_permission(request)
    scope = who.grants.scope(perm.module if perm else None)
    members: tuple[uuid.UUID, ...] = ()
    if scope == "team" and who.team_id is not None:
        team_members: TeamMembers | None = getattr(request.app.state, "team_members", None)
        if team_members is None:
            team_members = TeamMembers(request.app.state.db, settings.role_cache_s)
            request.app.state.team_members = team_members
        members = await team_members.of(who.tenant_id, who.team_id)
    return CallOptions(
        metadata=call_metadata(
            tenant_id=who.tenant_id,
            user_id=who.user_id,
            request_id=request.headers.get("x-request-id"),
            team_id=who.team_id,
            record_scope=scope,
            roles=who.roles,
            team_member_ids=members,
            actor_kind=who.kind,
            client_ip=client_ip(request),
        ),
        timeout=settings.grpc_deadline_s,
    )


async def backends(request: Request) -> Backends:
    # async: a plain ``def`` dependency runs in the threadpool, one thread hop per request.
    return request.app.state.backends


Call = Annotated[CallOptions, Depends(call_options)]
Services = Annotated[Backends, Depends(backends)]
