"""Compile a checked :class:`Definition` to one SQLAlchemy Core SELECT.

Every column comes from the registry; values are bound parameters; grouping and
ordering refer to output positions. Time buckets are taken in the tenant's time zone:
``date_trunc(unit, timezone(tz, t))``; weeks start on Sunday (the Israeli week).
A whole-day value in a time filter (``"2026-03-31"``) means that local day.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from crm_reporting.builder.definition import PERIOD_KEY, Definition, Filter, period_label
from crm_reporting.builder.registry import PARTY, Field, attribute_key
from crm_reporting.exports.result import Column


@dataclass(frozen=True, slots=True)
class Scope:
    """The caller's record scope: None/'all' everything, 'own' their records, 'team' the team's."""

    record_scope: str | None = None
    user_id: uuid.UUID | None = None
    team_member_ids: tuple[uuid.UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class Compiled:
    statement: sa.Select
    columns: list[Column]
    limit: int


def compile_definition(
    d: Definition, *, tenant_id: uuid.UUID, time_zone: str, scope: Scope = Scope()
) -> Compiled:
    subject = d.subject
    t = subject.table
    tz = ZoneInfo(time_zone)
    party = PARTY.alias("p") if t is not PARTY else None
    joins_party = False

    def expr(f: Field) -> sa.ColumnElement:
        nonlocal joins_party
        key = attribute_key(f.key)
        if key is None:
            return t.c[f.key]
        if party is None:
            attrs = t.c.attributes
        else:
            joins_party = True
            attrs = party.c.attributes
        if f.kind == "decimal":  # a numeric dynamic field: only JSON numbers count
            return sa.case(
                (
                    sa.func.jsonb_typeof(attrs[key]) == "number",
                    sa.cast(attrs[key].astext, sa.Numeric()),
                ),
                else_=sa.null(),
            )
        return attrs[key].astext

    def bucket(f: Field, unit: str) -> sa.ColumnElement:
        col = expr(f)
        local = (
            sa.func.timezone(time_zone, col)
            if f.kind == "timestamp"
            else sa.cast(col, sa.DateTime())
        )
        if unit == "week":  # Sunday-based weeks: shift to Monday, truncate, shift back
            day = sa.text("interval '1 day'")
            return sa.cast(sa.func.date_trunc("week", local + day) - day, sa.Date())
        return sa.cast(sa.func.date_trunc(unit, local), sa.Date())

    columns: list[Column] = []
    selected: list[sa.ColumnElement] = []
    if d.grouped:
        if d.time_bucket:
            f, unit = d.time_bucket
            selected.append(bucket(f, unit).label(PERIOD_KEY))
            columns.append(
                Column(PERIOD_KEY, f"{f.label} ({period_label(unit)})", "date", True, unit)
            )
        for f in d.group_by:
            selected.append(expr(f).label(_label(f.key)))
            columns.append(Column(f.key, f.label, f.kind, True))
        for m in d.measures:
            selected.append(_measure(m.op, expr(m.field) if m.field else None, m.field))
            columns.append(Column(m.key, m.label, m.kind))
    else:
        for f in d.fields:
            selected.append(expr(f).label(_label(f.key)))
            columns.append(Column(f.key, f.label, f.kind))

    where: list[sa.ColumnElement] = [t.c.tenant_id == tenant_id]
    for key, values in subject.base_filter:
        where.append(t.c[key].in_(values) if len(values) > 1 else t.c[key] == values[0])
    for flt in d.filters:
        where.append(_filter(flt, expr(flt.field), tz))
    if scope.record_scope in ("own", "team"):
        owner = t.c[subject.owner_column] if subject.owner_column else None
        if owner is None:
            assert party is not None
            joins_party = True
            owner = party.c.owner_id
        allowed = {scope.user_id} if scope.user_id else set()
        if scope.record_scope == "team":
            allowed |= set(scope.team_member_ids)
        where.append(owner.in_(sorted(allowed, key=str)) if allowed else sa.false())

    source: sa.FromClause = t
    if joins_party and party is not None:
        source = t.outerjoin(
            party, sa.and_(party.c.tenant_id == t.c.tenant_id, party.c.party_id == t.c.party_id)
        )
    stmt = sa.select(*selected).select_from(source).where(*where)
    keys = [c.key for c in columns]
    order: list[sa.ColumnElement] = []
    for s in d.sort:
        pos = sa.literal_column(str(keys.index(s.key) + 1))
        order.append(pos.desc().nulls_last() if s.desc else pos.asc().nulls_last())
    if d.grouped:
        dims = [i + 1 for i, c in enumerate(columns) if c.dimension]
        if dims:
            stmt = stmt.group_by(*(sa.literal_column(str(i)) for i in dims))
        order += [sa.literal_column(str(i)).asc().nulls_last() for i in dims]
    else:
        order += [t.c[k].asc() for k in subject.pk]
    stmt = stmt.order_by(*order).limit(d.limit + 1)
    return Compiled(stmt, columns, d.limit)


def _label(key: str) -> str:
    return key.replace(".", "__")


def _measure(op: str, col: sa.ColumnElement | None, f: Field | None) -> sa.ColumnElement:
    if col is None:
        return sa.func.count()
    if f is not None and f.kind == "bool" and op in ("sum", "avg"):
        col = sa.cast(col, sa.Integer())
    if op == "count":
        return sa.func.count(col)
    if op == "count_distinct":
        return sa.func.count(sa.distinct(col))
    return getattr(sa.func, op)(col)


def _day_start(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=tz)


def _bounds(value: Any, tz: ZoneInfo) -> tuple[Any, Any]:
    """A filter value on a time column as [start, end): a whole local day or one instant."""
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=tz)
        return moment, moment
    if isinstance(value, dt.date):
        return _day_start(value, tz), _day_start(value + dt.timedelta(days=1), tz)
    return value, value


def _filter(flt: Filter, col: sa.ColumnElement, tz: ZoneInfo) -> sa.ColumnElement:
    op, value, kind = flt.op, flt.value, flt.field.kind
    if op == "is_null":
        return col.is_(None) if value else col.is_not(None)
    if op == "contains":
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return col.ilike(f"%{escaped}%", escape="\\")
    if kind == "timestamp":
        return _time_filter(op, value, col, tz)
    if op == "eq":
        return col == value
    if op == "ne":
        return col.is_distinct_from(value)
    if op == "in":
        return col.in_(list(value))
    if op == "between":
        return col.between(value[0], value[1])
    return {"lt": col < value, "lte": col <= value, "gt": col > value, "gte": col >= value}[op]


def _time_filter(op: str, value: Any, col: sa.ColumnElement, tz: ZoneInfo) -> sa.ColumnElement:
    if op == "in":
        return sa.or_(*(_time_filter("eq", v, col, tz) for v in value))
    if op == "between":
        low, _ = _bounds(value[0], tz)
        _, high = _bounds(value[1], tz)
        return sa.and_(col >= low, _upper(value[1], col, high))
    start, end = _bounds(value, tz)
    whole_day = not isinstance(value, dt.datetime)
    if op == "eq":
        return sa.and_(col >= start, col < end) if whole_day else col == start
    if op == "ne":
        inside = sa.and_(col >= start, col < end) if whole_day else col == start
        return sa.or_(col.is_(None), sa.not_(inside))
    if op == "lt":
        return col < start
    if op == "gte":
        return col >= start
    if op == "lte":
        return _upper(value, col, end)
    return col >= end if whole_day else col > start  # gt


def _upper(value: Any, col: sa.ColumnElement, end: Any) -> sa.ColumnElement:
    return col < end if not isinstance(value, dt.datetime) else col <= end


def convert_rows(columns: Sequence[Column], rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Database values to the result's Python values by column kind."""
    out = []
    for row in rows:
        cells = []
        for c, v in zip(columns, row, strict=True):
            if v is None:
                cells.append(None)
            elif c.kind in ("int", "money"):
                cells.append(round(v))
            elif c.kind == "decimal":
                cells.append(round(float(v), 2))
            elif c.kind == "uuid":
                cells.append(str(v))
            else:
                cells.append(v)
        out.append(cells)
    return out
