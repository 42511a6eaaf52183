"""gRPC channels for callers (the gateway): tracing and tenant metadata."""

from __future__ import annotations

import uuid

import grpc
from opentelemetry.instrumentation.grpc import aio_client_interceptors

from crm_common.context import (
    ACTOR_KIND_METADATA_KEY,
    CLIENT_IP_METADATA_KEY,
    RECORD_SCOPE_METADATA_KEY,
    REQUEST_ID_METADATA_KEY,
    ROLES_METADATA_KEY,
    TEAM_MEMBERS_METADATA_KEY,
    TEAM_METADATA_KEY,
    TENANT_METADATA_KEY,
    USER_METADATA_KEY,
)


def make_channel(address: str) -> grpc.aio.Channel:
    return grpc.aio.insecure_channel(
        address,
        interceptors=aio_client_interceptors(),
        options=[
            ("grpc.keepalive_time_ms", 30000),
            ("grpc.enable_retries", 1),
        ],
    )


def call_metadata(
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID | None = None,
    request_id: str | None = None,
    team_id: uuid.UUID | None = None,
    record_scope: str | None = None,
    roles: tuple[str, ...] | list[str] = (),
    team_member_ids: tuple[uuid.UUID, ...] | list[uuid.UUID] = (),
    actor_kind: str | None = None,
    client_ip: str | None = None,
) -> tuple[tuple[str, str], ...]:
    md = [(TENANT_METADATA_KEY, str(tenant_id))]
    if user_id is not None:
        md.append((USER_METADATA_KEY, str(user_id)))
    if request_id:
        md.append((REQUEST_ID_METADATA_KEY, request_id))
    if team_id is not None:
        md.append((TEAM_METADATA_KEY, str(team_id)))
    if record_scope:
        md.append((RECORD_SCOPE_METADATA_KEY, record_scope))
    if roles:
        md.append((ROLES_METADATA_KEY, ",".join(roles)))
    if team_member_ids:
        md.append((TEAM_MEMBERS_METADATA_KEY, ",".join(str(u) for u in team_member_ids)))
    if actor_kind:
        md.append((ACTOR_KIND_METADATA_KEY, actor_kind))
    if client_ip:
        md.append((CLIENT_IP_METADATA_KEY, client_ip))
    return tuple(md)
