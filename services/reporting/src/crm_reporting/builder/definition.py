"""A report definition as data, validated into a checked definition or one InvalidArgument.

Shape (JSON)::

    {"subject": "leads",
     "fields": ["source", "attributes.city"],                 # a listing, or ...
     "group_by": ["source", "campaign"],                      # ... up to two levels
     "time_bucket": {"field": "captured_at", "unit": "month"},
     "measures": [{"op": "count"}, {"op": "sum", "field": "amount_agorot", "as": "total"}],
     "filters": [{"field": "source", "op": "in", "value": ["radio", "web"]}],
     "sort": [{"by": "count", "dir": "desc"}],
     "limit": 100}

A definition with ``group_by``, ``time_bucket`` or ``measures`` is grouped (one row per
group); otherwise it lists ``fields`` row by row. Every error names its path
(``filters[1].value``, ``measures[0].field``).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from crm_common.errors import FieldViolation, InvalidArgument
from crm_reporting.builder.registry import (
    NUMERIC,
    ORDERABLE,
    SUBJECTS,
    TIME,
    Subject,
    as_number,
    attribute_key,
    lookup,
)
from crm_reporting.builder.registry import (
    Field as Column,
)

MAX_LIMIT = 10_000
DEFAULT_LIMIT = 1_000
MAX_FIELDS = 50
MAX_MEASURES = 10
MAX_FILTERS = 30
MAX_IN_VALUES = 1_000
PERIOD_KEY = "period"
_ALIAS = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

Op = Literal["eq", "ne", "in", "lt", "lte", "gt", "gte", "between", "contains", "is_null"]
MeasureOp = Literal["count", "sum", "avg", "min", "max", "count_distinct"]
Unit = Literal["day", "week", "month", "quarter"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class FilterIn(_Model):
    field: str
    op: Op
    value: Any = None


class TimeBucketIn(_Model):
    field: str
    unit: Unit


class MeasureIn(_Model):
    op: MeasureOp
    field: str | None = None
    as_: str | None = Field(default=None, alias="as")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class SortIn(_Model):
    by: str
    dir: Literal["asc", "desc"] = "asc"


class DefinitionIn(_Model):
    subject: str
    fields: list[str] = Field(default_factory=list, max_length=MAX_FIELDS)
    filters: list[FilterIn] = Field(default_factory=list, max_length=MAX_FILTERS)
    group_by: list[str] = Field(default_factory=list, max_length=2)
    time_bucket: TimeBucketIn | None = None
    measures: list[MeasureIn] = Field(default_factory=list, max_length=MAX_MEASURES)
    sort: list[SortIn] = Field(default_factory=list, max_length=5)
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


# --- the checked definition the compiler takes ------------------------------------------


@dataclass(frozen=True, slots=True)
class Filter:
    field: Column
    op: str
    value: Any  # typed per the field's kind; a tuple for in/between


@dataclass(frozen=True, slots=True)
class Measure:
    key: str
    label: str
    op: str
    field: Column | None
    kind: str  # kind of the result


@dataclass(frozen=True, slots=True)
class Sort:
    key: str
    desc: bool


@dataclass(frozen=True, slots=True)
class Definition:
    subject: Subject
    fields: tuple[Column, ...]
    filters: tuple[Filter, ...]
    group_by: tuple[Column, ...]
    time_bucket: tuple[Column, str] | None
    measures: tuple[Measure, ...]
    sort: tuple[Sort, ...]
    limit: int
    raw: dict[str, Any]

    @property
    def grouped(self) -> bool:
        return bool(self.group_by or self.time_bucket or self.measures)

    def output_keys(self) -> list[str]:
        if not self.grouped:
            return [f.key for f in self.fields]
        keys = [PERIOD_KEY] if self.time_bucket else []
        return keys + [g.key for g in self.group_by] + [m.key for m in self.measures]


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + ("as" if part == "as_" else str(part))
    return out or "definition"


_MEASURE_LABELS = {
    "sum": 'סה"כ',
    "avg": "ממוצע",
    "min": "מינימום",
    "max": "מקסימום",
    "count_distinct": "מספר ערכים שונים של",
}
_UNIT_LABELS = {"day": "יום", "week": "שבוע", "month": "חודש", "quarter": "רבעון"}


def parse(raw: Any) -> Definition:
    """Validate ``raw`` (decoded JSON) against the schema and the whitelist."""
    if not isinstance(raw, dict):
        raise InvalidArgument(
            "the report definition must be an object",
            violations=[FieldViolation("definition", "must be a JSON object")],
        )
    try:
        d = DefinitionIn.model_validate(raw)
    except ValidationError as err:
        violations = [FieldViolation(_path(e["loc"]), e["msg"]) for e in err.errors()]
        raise InvalidArgument("the report definition is not valid", violations=violations) from None
    bad: list[FieldViolation] = []

    def fail(path: str, description: str) -> None:
        bad.append(FieldViolation(path, description))

    subject = SUBJECTS.get(d.subject)
    if subject is None:
        fail("subject", f"unknown subject; use one of: {', '.join(SUBJECTS)}")
        raise InvalidArgument("the report definition is not valid", violations=bad)

    def field_of(path: str, name: str) -> Column | None:
        col = lookup(subject, name)
        if col is None:
            fail(
                path,
                f"unknown field {name!r} for subject {subject.key}; fields: "
                f"{', '.join(subject.fields)} or attributes.<key>",
            )
        return col

    fields = [field_of(f"fields[{i}]", n) for i, n in enumerate(d.fields)]
    group_by = [field_of(f"group_by[{i}]", n) for i, n in enumerate(d.group_by)]
    for i, col in enumerate(group_by):
        if col is not None and col.kind == "timestamp":
            fail(f"group_by[{i}]", "group a time by time_bucket (day, week, month or quarter)")
    if len(set(d.group_by)) != len(d.group_by):
        fail("group_by", "a field can be grouped by once")

    bucket: tuple[Column, str] | None = None
    if d.time_bucket is not None:
        col = field_of("time_bucket.field", d.time_bucket.field)
        if col is not None and col.kind not in TIME:
            fail("time_bucket.field", "must be a time or date field")
        elif col is not None:
            bucket = (col, d.time_bucket.unit)

    measures: list[Measure] = []
    for i, m in enumerate(d.measures):
        col = None
        if m.field is not None:
            col = field_of(f"measures[{i}].field", m.field)
        elif m.op != "count":
            fail(f"measures[{i}].field", f"{m.op} needs a field")
        kind = "int"
        if col is not None and m.op in ("sum", "avg", "min", "max"):
            col = as_number(col)  # a dynamic field is measured as a number
        if col is not None:
            if m.op in ("sum", "avg") and col.kind not in NUMERIC:
                fail(f"measures[{i}].field", f"{m.op} needs a numeric field, not {col.kind}")
            elif m.op in ("min", "max") and col.kind not in ORDERABLE - {"text"}:
                fail(f"measures[{i}].field", f"{m.op} needs a number, money or time field")
            if m.op in ("sum", "min", "max"):
                kind = "int" if col.kind == "bool" else col.kind
            elif m.op == "avg":
                kind = "money" if col.kind == "money" else "decimal"
        if m.as_ is not None and not _ALIAS.match(m.as_):
            fail(f"measures[{i}].as", "must be lower-case letters, digits and _ (max 63)")
        key = m.as_ or (m.op if col is None else f"{m.op}_{col.key}")
        if m.op == "count" and col is None:
            label = "כמות"
        else:
            label = f"{_MEASURE_LABELS.get(m.op, 'כמות')} {col.label if col else ''}".strip()
        measures.append(Measure(key, label, m.op, col, kind))

    grouped = bool(d.group_by or d.time_bucket or d.measures)
    if grouped and d.fields:
        fail("fields", "a grouped report shows its group_by, time_bucket and measures, not fields")
    if not grouped and not d.fields:
        fail("fields", "list at least one field, or group with measures")

    filters: list[Filter] = []
    for i, f in enumerate(d.filters):
        col = field_of(f"filters[{i}].field", f.field)
        if col is None:
            continue
        if attribute_key(col.key) is not None and _numeric_compare(f.op, f.value):
            col = as_number(col)  # attributes.<key> gt 1000: compared as numbers
        value = _filter_value(f"filters[{i}]", col, f.op, f.value, fail)
        filters.append(Filter(col, f.op, value))

    out_keys: list[str] = []
    if grouped:
        out_keys = ([PERIOD_KEY] if bucket else []) + list(d.group_by) + [m.key for m in measures]
    else:
        out_keys = list(d.fields)
    if len(set(out_keys)) != len(out_keys):
        fail("measures", "two output columns have the same key: name one with 'as'")
    sorts: list[Sort] = []
    for i, s in enumerate(d.sort):
        if s.by not in out_keys:
            fail(f"sort[{i}].by", f"sort by an output column: {', '.join(out_keys)}")
        sorts.append(Sort(s.by, s.dir == "desc"))

    if bad:
        raise InvalidArgument("the report definition is not valid", violations=bad)
    return Definition(
        subject=subject,
        fields=tuple(c for c in fields if c),
        filters=tuple(filters),
        group_by=tuple(c for c in group_by if c),
        time_bucket=bucket,
        measures=tuple(measures),
        sort=tuple(sorts),
        limit=d.limit,
        raw=d.model_dump(by_alias=True, exclude_none=True),
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numeric_compare(op: str, value: Any) -> bool:
    """A comparison of a dynamic field with numbers (a text value keeps text comparison)."""
    if op in ("lt", "lte", "gt", "gte"):
        return _is_number(value)
    if op == "between":
        return isinstance(value, list) and len(value) == 2 and all(map(_is_number, value))
    return False


def period_label(unit: str) -> str:
    return _UNIT_LABELS[unit]


def _filter_value(path: str, col: Column, op: str, value: Any, fail) -> Any:
    if op == "is_null":
        if not isinstance(value, bool):
            fail(f"{path}.value", "is_null takes true or false")
        return value
    if op == "contains":
        if col.kind != "text":
            fail(f"{path}.op", "contains applies to text fields")
        elif not isinstance(value, str) or not value or len(value) > 200:
            fail(f"{path}.value", "contains takes a non-empty text of at most 200 characters")
        return value
    if op in ("lt", "lte", "gt", "gte", "between") and col.kind not in ORDERABLE:
        fail(f"{path}.op", f"{op} applies to numbers, money, text and times, not {col.kind}")
        return None
    if op == "in":
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_IN_VALUES:
            fail(f"{path}.value", f"in takes a list of 1 to {MAX_IN_VALUES} values")
            return None
        return tuple(_typed(f"{path}.value[{j}]", col, v, fail) for j, v in enumerate(value))
    if op == "between":
        if not isinstance(value, list) or len(value) != 2:
            fail(f"{path}.value", "between takes a list of two values [from, to]")
            return None
        return tuple(_typed(f"{path}.value[{j}]", col, v, fail) for j, v in enumerate(value))
    return _typed(f"{path}.value", col, value, fail)


def _typed(path: str, col: Column, value: Any, fail) -> Any:
    kind = col.kind
    try:
        if value is None:
            raise ValueError("a value is required (use is_null for empty values)")
        if kind == "text":
            if not isinstance(value, str) or len(value) > 500:
                raise ValueError("must be a text of at most 500 characters")
            return value
        if kind == "uuid":
            return uuid.UUID(str(value))
        if kind in ("int", "money", "decimal"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError("must be a number" + (" (agorot)" if kind == "money" else ""))
            if kind != "decimal" and float(value) != int(value):
                raise ValueError(
                    "must be a whole number" + (" of agorot" if kind == "money" else "")
                )
            return value if kind == "decimal" else int(value)
        if kind == "bool":
            if not isinstance(value, bool):
                raise ValueError("must be true or false")
            return value
        if kind == "date":
            if not isinstance(value, str):
                raise ValueError("must be a date YYYY-MM-DD")
            return dt.date.fromisoformat(value)
        if kind == "timestamp":
            if not isinstance(value, str):
                raise ValueError("must be a date YYYY-MM-DD or a time in ISO 8601")
            if len(value) == 10:
                return dt.date.fromisoformat(value)  # a whole local day
            parsed = dt.datetime.fromisoformat(value)
            return parsed  # naive: local time of the tenant
    except ValueError as err:
        msg = str(err)
        if kind == "uuid":
            msg = "must be a UUID"
        elif kind in ("date", "timestamp") and "must" not in msg and "required" not in msg:
            msg = "must be a date YYYY-MM-DD or a time in ISO 8601"
        fail(path, msg)
    return None
