"""Request context: the tenant and the acting user of the current call or event.

Set by the gRPC edge interceptor from metadata and by the consumer runner from
event headers; read by service code through :func:`current_tenant`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

TENANT_METADATA_KEY = "x-tenant-id"
USER_METADATA_KEY = "x-user-id"
REQUEST_ID_METADATA_KEY = "x-request-id"
# Set by the gateway from the caller's roles (docs/gateway.md, "metadata contract").
TEAM_METADATA_KEY = "x-user-team"
RECORD_SCOPE_METADATA_KEY = "x-record-scope"  # own | team | all (for the route's module)
ROLES_METADATA_KEY = "x-roles"  # comma-separated role keys
# Comma-separated user ids of the caller's team (bounded by the gateway): record scope "team".
TEAM_MEMBERS_METADATA_KEY = "x-team-members"
ACTOR_KIND_METADATA_KEY = "x-actor-kind"  # who acts (audit), one of ACTOR_KINDS
# user: staff; api_key: an integration's key; portal: a customer in the portal (A4).
ACTOR_KINDS = ("user", "api_key", "portal")
CLIENT_IP_METADATA_KEY = "x-client-ip"  # the end client's address as the gateway saw it (audit)
MAX_TEAM_MEMBERS = 300  # ~11 KiB of metadata; the servers accept 32 KiB


@dataclass(frozen=True, slots=True)
class CallContext:
    tenant_id: uuid.UUID
    user_id: uuid.UUID | None = None
    request_id: str | None = None
    team_id: uuid.UUID | None = None
    # None: no scope given (internal callers, events): treat as "all".
    record_scope: str | None = None
    roles: tuple[str, ...] = ()
    # Record scope "team": the owners whose records the caller sees (the caller included).
    team_member_ids: tuple[uuid.UUID, ...] = ()
    # Audit: who acts (ACTOR_KINDS; None: internal, recorded as "system") and from where.
    actor_kind: str | None = None
    client_ip: str | None = None


_current: ContextVar[CallContext | None] = ContextVar("crm_call_context", default=None)


def current_context() -> CallContext:
    ctx = _current.get()
    if ctx is None:
        raise RuntimeError("no tenant context: called outside a request or event handler")
    return ctx


def current_tenant() -> uuid.UUID:
    return current_context().tenant_id


def current_user() -> uuid.UUID | None:
    return current_context().user_id


@contextmanager
def bind_context(ctx: CallContext) -> Iterator[CallContext]:
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
