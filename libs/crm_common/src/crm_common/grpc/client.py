"""gRPC channels for callers (the gateway): tracing and tenant metadata."""

from __future__ import annotations

import uuid

import grpc
from opentelemetry.instrumentation.grpc import aio_client_interceptors

from crm_common.context import (
    RECORD_SCOPE_METADATA_KEY,
    REQUEST_ID_METADATA_KEY,
    ROLES_METADATA_KEY,
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
    return tuple(md)
