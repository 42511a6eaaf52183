"""gRPC server bootstrap shared by every service.

``serve_grpc`` builds an asyncio server with, in order: OpenTelemetry's server
interceptor (one span per call), and the edge interceptor, which

* refuses a call without a tenant (``UNAUTHENTICATED``) or with a malformed one
  (``INVALID_ARGUMENT``) and binds tenant and acting user to the context;
* refuses a request holding a NUL character in any text field (``INVALID_ARGUMENT``
  with a field violation per field, ``crm_common.grpc.nul``) before the handler runs:
  PostgreSQL cannot store it;
* opens the unit of work: the transaction is committed when the handler
  returns and rolled back when it raises, and its ``statement_timeout`` follows
  the call's deadline;
* maps domain errors to status codes with ``google.rpc`` details, and any other
  exception to ``INTERNAL`` without leaking its text.

Health (``grpc.health.v1``) and reflection are served; SIGTERM flips health to
NOT_SERVING and stops the server with a grace period.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import uuid
from collections.abc import Awaitable, Callable

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from opentelemetry import trace
from opentelemetry.instrumentation.grpc import aio_server_interceptor
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crm_common.context import (
    ACTOR_KIND_METADATA_KEY,
    ACTOR_KINDS,
    CLIENT_IP_METADATA_KEY,
    MAX_TEAM_MEMBERS,
    RECORD_SCOPE_METADATA_KEY,
    REQUEST_ID_METADATA_KEY,
    ROLES_METADATA_KEY,
    TEAM_MEMBERS_METADATA_KEY,
    TEAM_METADATA_KEY,
    TENANT_METADATA_KEY,
    USER_METADATA_KEY,
    CallContext,
    bind_context,
)
from crm_common.db.session import unit_of_work
from crm_common.errors import DomainError
from crm_common.grpc.errors import to_rpc_status
from crm_common.grpc.nul import Screened, nul_violation, screening
from crm_common.settings import ServiceSettings

_log = logging.getLogger(__name__)

_OPEN_PREFIXES = ("/grpc.health.", "/grpc.reflection.")


def _parse_uuid(raw: str | None) -> uuid.UUID | None:
    if not raw:
        return None
    return uuid.UUID(raw)


def _parse_scope(raw: str | None) -> str | None:
    if not raw:
        return None
    if raw not in ("own", "team", "all"):
        raise ValueError(f"bad record scope {raw!r}")
    return raw


def _parse_members(raw: str | None) -> tuple[uuid.UUID, ...]:
    ids = tuple(uuid.UUID(p) for p in (raw or "").split(",") if p)
    if len(ids) > MAX_TEAM_MEMBERS:
        raise ValueError(f"more than {MAX_TEAM_MEMBERS} team members")
    return ids


def _parse_actor_kind(raw: str | None) -> str | None:
    if not raw:
        return None
    if raw not in ACTOR_KINDS:
        raise ValueError(f"bad actor kind {raw!r}")
    return raw


class EdgeInterceptor(grpc.aio.ServerInterceptor):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        on_tenant: Callable[[uuid.UUID], Awaitable[None]] | None = None,
    ) -> None:
        self.sessionmaker = sessionmaker
        # Called with the caller's tenant before the unit of work opens (the
        # tenant directory's lazy fill, crm_common.tenants.DirectoryFiller).
        self.on_tenant = on_tenant

    async def intercept_service(self, continuation, handler_call_details):
        handler = await continuation(handler_call_details)
        method: str = handler_call_details.method
        if handler is None or method.startswith(_OPEN_PREFIXES) or not handler.unary_unary:
            return handler
        inner = handler.unary_unary
        sessionmaker = self.sessionmaker
        on_tenant = self.on_tenant

        async def wrapper(screened: Screened, context: grpc.aio.ServicerContext):
            request = screened.request
            metadata = {k: v for k, v in (context.invocation_metadata() or ())}
            raw_tenant = metadata.get(TENANT_METADATA_KEY)
            if not raw_tenant:
                await context.abort(
                    grpc.StatusCode.UNAUTHENTICATED, f"missing {TENANT_METADATA_KEY} metadata"
                )
            try:
                call_ctx = CallContext(
                    tenant_id=uuid.UUID(raw_tenant),
                    user_id=_parse_uuid(metadata.get(USER_METADATA_KEY)),
                    request_id=metadata.get(REQUEST_ID_METADATA_KEY),
                    team_id=_parse_uuid(metadata.get(TEAM_METADATA_KEY)),
                    record_scope=_parse_scope(metadata.get(RECORD_SCOPE_METADATA_KEY)),
                    roles=tuple(
                        r for r in (metadata.get(ROLES_METADATA_KEY) or "").split(",") if r
                    ),
                    team_member_ids=_parse_members(metadata.get(TEAM_MEMBERS_METADATA_KEY)),
                    actor_kind=_parse_actor_kind(metadata.get(ACTOR_KIND_METADATA_KEY)),
                    client_ip=(metadata.get(CLIENT_IP_METADATA_KEY) or "")[:64] or None,
                )
            except ValueError:
                await context.abort(
                    grpc.StatusCode.INVALID_ARGUMENT,
                    f"{TENANT_METADATA_KEY}/{USER_METADATA_KEY}/{TEAM_METADATA_KEY} metadata "
                    f"must be UUIDs and {RECORD_SCOPE_METADATA_KEY} one of own|team|all "
                    f"({TEAM_MEMBERS_METADATA_KEY}: UUIDs, "
                    f"{ACTOR_KIND_METADATA_KEY}: {'|'.join(ACTOR_KINDS)})",
                )
            span = trace.get_current_span()
            span.set_attribute("crm.tenant.id", str(call_ctx.tenant_id))
            if screened.suspect and (refused := nul_violation(request)) is not None:
                status = to_rpc_status(refused)
                await context.abort(status.code, status.details, status.trailing_metadata)
            remaining = context.time_remaining()
            timeout_ms = int(remaining * 1000) if remaining is not None else None
            if on_tenant is not None:
                await on_tenant(call_ctx.tenant_id)
            try:
                with bind_context(call_ctx):
                    async with unit_of_work(
                        sessionmaker,
                        tenant_id=call_ctx.tenant_id,
                        statement_timeout_ms=timeout_ms,
                    ):
                        return await inner(request, context)
            except DomainError as err:
                status = to_rpc_status(err)
                await context.abort(status.code, status.details, status.trailing_metadata)
            except asyncio.CancelledError:
                raise
            except Exception:
                if context.code() not in (None, grpc.StatusCode.OK):
                    raise  # already aborted by the handler
                _log.exception("unhandled error in %s", method)
                await context.abort(grpc.StatusCode.INTERNAL, "internal error")

        return grpc.unary_unary_rpc_method_handler(
            wrapper,
            request_deserializer=screening(handler.request_deserializer),
            response_serializer=handler.response_serializer,
        )


async def serve_grpc(
    *,
    settings: ServiceSettings,
    sessionmaker: async_sessionmaker[AsyncSession],
    register: Callable[[grpc.aio.Server], None],
    service_names: list[str],
    stop: asyncio.Event | None = None,
    on_tenant: Callable[[uuid.UUID], Awaitable[None]] | None = None,
) -> None:
    server = grpc.aio.server(
        interceptors=[aio_server_interceptor(), EdgeInterceptor(sessionmaker, on_tenant)],
        options=[
            ("grpc.so_reuseport", 0),
            ("grpc.max_receive_message_length", 16 * 1024 * 1024),
            # x-team-members carries up to MAX_TEAM_MEMBERS ids (~37 bytes each): above
            # gRPC's 8 KiB default for the whole header list.
            ("grpc.max_metadata_size", 32 * 1024),
            ("grpc.keepalive_permit_without_calls", 1),
        ],
    )
    register(server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        [*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], server
    )
    address = f"{settings.grpc_host}:{settings.grpc_port}"
    server.add_insecure_port(address)
    await server.start()
    for name in ["", *service_names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    _log.info("gRPC server listening", extra={"address": address, "services": service_names})
    stop = stop or stop_on_signals()
    await stop.wait()
    _log.info("gRPC server stopping")
    await health_servicer.enter_graceful_shutdown()
    await server.stop(settings.grpc_grace_seconds)


def stop_on_signals() -> asyncio.Event:
    """An event set on SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop
