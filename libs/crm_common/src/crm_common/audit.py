"""Per-field audit of every change a service makes (A5), in its own transaction.

A session ``after_flush`` listener (every :class:`~sqlalchemy.orm.Session`;
off only for a sessionmaker made with ``create_sessionmaker(engine,
audit=False)``) writes one ``audit_log`` row per ORM object the flush
inserted, updated or deleted:

* who: ``actor_kind`` (``user`` | ``api_key`` from the gateway's
  ``x-actor-kind``; ``system`` for events and internal jobs) and ``actor_id``
  (``x-user-id``: the user's or the API key's id);
* when (``occurred_at``), from where (``origin``: ``x-client-ip``), the
  ``request_id`` and the OpenTelemetry ``trace_id``;
* what: ``entity`` (table name), ``entity_id`` (primary key), ``action`` and
  ``changes`` ``{field: [before, after]}``, JSON-safe, unchanged fields left
  out; a model lists secret columns in ``__audit_redact__`` (values recorded
  as ``"***"``) and opts out entirely with ``__audit__ = False`` (replay
  guards, read models of other services' data).

The rows are inserted on the flush's connection, so they commit or roll back
with the change. Core bulk statements (``insert()``/``update()`` of many rows)
bypass the ORM: their callers record them with :func:`record_bulk`.
``audit_log`` is append-only (a trigger refuses UPDATE, DELETE and TRUNCATE).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from opentelemetry import trace
from sqlalchemy import event, insert, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction

from crm_common.context import CallContext, _current
from crm_common.db.base import uuid7


def _audit_log_table():
    # Imported late: crm_common.plumbing imports crm_common.db, whose session module imports us.
    from crm_common.plumbing import audit_log_table

    return audit_log_table


AUDIT_INFO_KEY = "crm_audit"
REDACTED = "***"


def json_safe(value: Any) -> Any:
    """A JSON value for ``value``: uuids, datetimes, dates, decimals as strings."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_safe(v) for v in value]
    return str(value)


def _trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


def _actor(ctx: CallContext | None) -> dict[str, Any]:
    if ctx is None:
        return {"actor_kind": "system", "actor_id": None, "origin": None, "request_id": None}
    kind = ctx.actor_kind or ("user" if ctx.user_id is not None else "system")
    return {
        "actor_kind": kind,
        "actor_id": str(ctx.user_id) if ctx.user_id is not None else None,
        "origin": ctx.client_ip,
        "request_id": (ctx.request_id or "")[:100] or None,
    }


def _changes(obj: Any, action: str) -> dict[str, list[Any]] | None:
    state = inspect(obj)
    mapper = state.mapper
    redact = set(getattr(mapper.class_, "__audit_redact__", ()))
    out: dict[str, list[Any]] = {}
    for attr in mapper.column_attrs:
        key = attr.key
        if action == "update":
            hist = state.attrs[key].history
            if not hist.added and not hist.deleted:
                continue
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
            if before == after:
                continue
        else:
            value = state.dict.get(key)
            if value is None:
                continue
            before, after = (None, value) if action == "create" else (value, None)
        if key in redact:
            out[key] = [
                None if before is None else REDACTED,
                None if after is None else REDACTED,
            ]
        else:
            out[key] = [json_safe(before), json_safe(after)]
    if action == "update" and not out:
        return None
    return out


def _entity_id(obj: Any) -> str:
    mapper = inspect(obj).mapper
    values = mapper.primary_key_from_instance(obj)
    return ":".join("" if v is None else str(v) for v in values)[:100]


def audit_rows(session: Session) -> list[dict[str, Any]]:
    """The audit rows of the flush in progress (called from ``after_flush``)."""
    found: list[tuple[Any, str]] = []
    found += [(o, "create") for o in session.new]
    found += [(o, "update") for o in session.dirty]
    found += [(o, "delete") for o in session.deleted]
    if not found:
        return []
    ctx = _current.get()
    who = _actor(ctx)
    trace_id = _trace_id()
    now = dt.datetime.now(dt.UTC)
    rows = []
    for obj, action in found:
        cls = type(obj)
        if getattr(cls, "__audit__", True) is False:
            continue
        tenant_id = getattr(obj, "tenant_id", None)
        if tenant_id is None:
            continue
        changes = _changes(obj, action)
        if changes is None:
            continue
        rows.append(
            {
                "id": uuid7(),
                "tenant_id": tenant_id,
                "occurred_at": now,
                **who,
                "trace_id": trace_id,
                "entity": inspect(obj).mapper.local_table.name,
                "entity_id": _entity_id(obj),
                "action": action,
                "changes": changes,
            }
        )
    return rows


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    if not session.info.get(AUDIT_INFO_KEY, True):
        return
    rows = audit_rows(session)
    if rows:
        session.connection().execute(insert(_audit_log_table()), rows)


async def record_bulk(
    session: AsyncSession,
    entity: str,
    ids: Iterable[Any],
    action: str,
    changes: Mapping[str, Any],
    *,
    tenant_id: uuid.UUID | None = None,
) -> int:
    """Audit rows for a Core bulk statement: one per id, the same ``changes`` each.

    ``changes`` is ``{field: [before, after]}`` (``before`` None when the bulk
    path does not know it) or ``{field: value}`` for created rows. Returns the
    number of rows written (0 when the session's audit is off).
    """
    if not session.sync_session.info.get(AUDIT_INFO_KEY, True):
        return 0
    ctx = _current.get()
    tenant = tenant_id or (ctx.tenant_id if ctx is not None else None)
    if tenant is None:
        raise RuntimeError("record_bulk needs a tenant: call it in a unit of work with a context")
    who = _actor(ctx)
    trace_id = _trace_id()
    now = dt.datetime.now(dt.UTC)
    safe = {str(k): json_safe(v) for k, v in changes.items()}
    rows = [
        {
            "id": uuid7(),
            "tenant_id": tenant,
            "occurred_at": now,
            **who,
            "trace_id": trace_id,
            "entity": entity,
            "entity_id": str(i)[:100],
            "action": action,
            "changes": safe,
        }
        for i in ids
    ]
    if rows:
        await session.execute(insert(_audit_log_table()), rows)
    return len(rows)


def audit_insert_sql(
    session: AsyncSession,
    *,
    source: str,
    entity: str,
    action: str,
    changes: str = "'{}'::jsonb",
) -> str | None:
    """For set-based SQL (imports through a staging table): an ``INSERT INTO audit_log ...
    SELECT ... FROM <source>`` to run as a data-modifying CTE beside the change, one audit row
    per row of ``source`` (a CTE with ``tenant_id`` and ``id`` columns, e.g. an ``INSERT ...
    RETURNING``). ``changes`` is a SQL expression over ``source`` giving the JSONB changes.
    Bind :func:`audit_sql_params` with the statement. None when the session's audit is off.
    """
    if not session.sync_session.info.get(AUDIT_INFO_KEY, True):
        return None
    return (
        "INSERT INTO audit_log (id, tenant_id, occurred_at, actor_kind, actor_id, origin, "
        "request_id, trace_id, entity, entity_id, action, changes) "
        f"SELECT uuidv7(), {source}.tenant_id, now(), :audit_actor_kind, :audit_actor_id, "
        f":audit_origin, :audit_request_id, :audit_trace_id, '{entity}', {source}.id::text, "
        f"'{action}', {changes} FROM {source}"
    )


def audit_sql_params() -> dict[str, Any]:
    """The bind parameters of :func:`audit_insert_sql` for the current context."""
    who = _actor(_current.get())
    return {f"audit_{k}": v for k, v in who.items()} | {"audit_trace_id": _trace_id()}


async def record_upsert(
    session: AsyncSession,
    model: type,
    entity_id: Any,
    values: Mapping[str, Any],
    *,
    tenant_id: uuid.UUID | None = None,
) -> int:
    """One audit row for a Core ``INSERT ... ON CONFLICT DO UPDATE`` of ``model``: the values
    written as ``[None, after]`` (the statement does not read the row it replaces), with the
    model's ``__audit_redact__`` columns recorded as ``"***"``."""
    redact = set(getattr(model, "__audit_redact__", ()))
    changes = {
        k: [None, REDACTED if k in redact and v is not None else v]
        for k, v in values.items()
        if k != "tenant_id"
    }
    return await record_bulk(
        session, model.__tablename__, [entity_id], "upsert", changes, tenant_id=tenant_id
    )
