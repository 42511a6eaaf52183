"""Engine, sessions and the unit of work committed at the edge.

Service code never commits: it receives a session (``session=``) and only
``flush()``es. The gRPC edge interceptor and the consumer loop open a
:func:`unit_of_work`, which commits when the call or the event handler returns
and rolls back when it raises. The unit of work also sets ``app.tenant_id`` for
the transaction, which PostgreSQL row-level security policies check.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from sqlalchemy import text
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

# Session-wide listeners every service gets by using these sessions: the record
# scope of the call (A1) on every ORM query, and the per-field audit (A5) of
# every flush. Imported for their registration.
from crm_common import audit as _audit
from crm_common import scope as _scope  # noqa: F401

_current_session: ContextVar[AsyncSession | None] = ContextVar("crm_session", default=None)


def create_engine(url: str, *, pool_size: int = 10, instrument: bool = True) -> AsyncEngine:
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_recycle=1800,
    )
    if instrument:
        SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine, enable_commenter=False)
    return engine


def create_sessionmaker(
    engine: AsyncEngine, *, audit: bool = True
) -> async_sessionmaker[AsyncSession]:
    """Sessions of the unit of work. ``audit=False`` turns the per-field audit off (benchmarks)."""
    return async_sessionmaker(
        engine, expire_on_commit=False, autoflush=True, info={_audit.AUDIT_INFO_KEY: audit}
    )


def current_session() -> AsyncSession:
    session = _current_session.get()
    if session is None:
        raise RuntimeError("no unit of work: current_session() called outside the edge")
    return session


@asynccontextmanager
async def unit_of_work(
    sessionmaker: async_sessionmaker[AsyncSession],
    *,
    tenant_id: uuid.UUID | None = None,
    statement_timeout_ms: int | None = None,
) -> AsyncIterator[AsyncSession]:
    """One transaction: commits on normal exit, rolls back on any exception."""
    async with sessionmaker() as session, session.begin():
        if tenant_id is not None:
            await session.execute(
                text("SELECT set_config('app.tenant_id', :tenant, true)"),
                {"tenant": str(tenant_id)},
            )
        if statement_timeout_ms is not None:
            await session.execute(
                text("SELECT set_config('statement_timeout', :ms, true)"),
                {"ms": str(max(1, statement_timeout_ms))},
            )
        token = _current_session.set(session)
        try:
            yield session
        finally:
            _current_session.reset(token)
