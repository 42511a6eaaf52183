"""One upsert shape for every fact handler: partial rows that later events complete.

Each column of an upsert has a merge rule, so handlers are idempotent and tolerate events
arriving late or twice (a replay, another partition's order):

- ``new``: the event's non-null value wins (``COALESCE(excluded, current)``), the default;
- ``first``: the value already stored wins (``COALESCE(current, excluded)``);
- ``least`` / ``greatest``: the earliest / latest of both (nulls ignored);
- ``always``: the event's value, even null (authoritative fields of the event that owns them);
- ``merge``: JSONB objects merged key by key, the event's keys winning;
- ``skip``: inserted, never updated (or updated by ``extra``).

``extra(current_columns, excluded)`` returns further SET expressions (conditional merges).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import ColumnElement, bindparam, func
from sqlalchemy import text as text_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db.statements import freeze
from crm_reporting.models import Base


def uid(raw: str) -> uuid.UUID | None:
    """A proto string id as a UUID; empty or malformed ids are unknown (None)."""
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


def text(raw: str) -> str | None:
    raw = raw.strip()
    return raw or None


def ts(message: Message, field: str) -> dt.datetime | None:
    if not message.HasField(field):
        return None
    return getattr(message, field).ToDatetime(tzinfo=dt.UTC)


def day(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


Extra = Callable[[Any, Any], dict[str, ColumnElement[Any]]]


@dataclass(frozen=True, slots=True)
class Upsert:
    """One row to insert or merge: ``keys`` (the primary key) and ``values`` with their rules.

    ``extra(current_columns, excluded)`` must depend only on the columns, never on the event's
    values: the statement is built once per shape and reused."""

    model: type[Base]
    keys: dict[str, Any]
    values: dict[str, Any]
    rules: dict[str, str] = field(default_factory=dict)
    extra: Extra | None = None

    def shape(self) -> tuple:
        return (
            self.model,
            tuple(self.keys),
            tuple(self.values),
            tuple(sorted(self.rules.items())),
            self.extra.__code__ if self.extra is not None else None,
        )


def _statement(u: Upsert, prefix: str) -> Any:
    table = u.model.__table__
    columns = tuple(u.values)
    stmt = pg_insert(table).values(
        {
            name: bindparam(f"{prefix}{name}", type_=table.c[name].type)
            for name in (*u.keys, *columns)
        }
    )
    ex = stmt.excluded
    set_: dict[str, Any] = {}
    for name in columns:
        rule = u.rules.get(name, "new")
        cur, new = table.c[name], ex[name]
        if rule == "new":
            set_[name] = func.coalesce(new, cur)
        elif rule == "first":
            set_[name] = func.coalesce(cur, new)
        elif rule == "least":
            set_[name] = func.least(cur, new)
        elif rule == "greatest":
            set_[name] = func.greatest(cur, new)
        elif rule == "always":
            set_[name] = new
        elif rule == "merge":
            set_[name] = func.coalesce(cur, text_("'{}'::jsonb")).op("||")(new)
        elif rule == "skip":
            continue
        else:  # pragma: no cover - a typo in a handler
            raise ValueError(f"unknown merge rule {rule!r}")
    if u.extra is not None:
        set_.update(u.extra(table.c, ex))
    if set_:
        return stmt.on_conflict_do_update(index_elements=list(u.keys), set_=set_)
    return stmt.on_conflict_do_nothing(index_elements=list(u.keys))


_STATEMENTS: dict[tuple, Any] = {}


async def upsert_all(session: AsyncSession, *upserts: Upsert | None) -> None:
    """Every upsert in ONE statement (the others as data-modifying CTEs of the first).

    Built and compiled once per shape, every value a bound parameter: per event, building and
    compiling SQL, and each round trip, cost more than PostgreSQL's work (measured: the
    consumer's CPU per event is what bounds ingest, see the reporting-store ADR)."""
    ups = [u for u in upserts if u is not None]
    if not ups:
        return
    shape = tuple(u.shape() for u in ups)
    stmt = _STATEMENTS.get(shape)
    if stmt is None:
        parts = [_statement(u, f"u{i}_") for i, u in enumerate(ups)]
        stmt = parts[0]
        if len(parts) > 1:
            stmt = stmt.add_cte(*(p.cte(f"u{i}") for i, p in enumerate(parts[1:], 1)))
        # frozen: SQLAlchemy would compile a PostgreSQL insert() again on every call
        stmt = _STATEMENTS[shape] = freeze(stmt)
    params = {
        f"u{i}_{name}": value
        for i, u in enumerate(ups)
        for name, value in (*u.keys.items(), *u.values.items())
    }
    await session.execute(stmt, params)


async def upsert(
    session: AsyncSession,
    model: type[Base],
    *,
    keys: dict[str, Any],
    values: dict[str, Any],
    rules: dict[str, str] | None = None,
    extra: Extra | None = None,
) -> None:
    """Insert ``keys | values``; on conflict merge each value column by its rule."""
    await upsert_all(session, Upsert(model, keys, values, rules or {}, extra))
