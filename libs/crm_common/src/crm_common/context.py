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


@dataclass(frozen=True, slots=True)
class CallContext:
    tenant_id: uuid.UUID
    user_id: uuid.UUID | None = None
    request_id: str | None = None
    team_id: uuid.UUID | None = None
    # None: no scope given (internal callers, events): treat as "all".
    record_scope: str | None = None
    roles: tuple[str, ...] = ()


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
