"""The one shape every report result has, whatever produced it: columns + rows.

Cell values are Python values by the column's kind: ``text`` str, ``uuid`` str,
``int`` int, ``money`` int agorot, ``decimal`` float, ``bool`` bool, ``timestamp`` an
aware datetime (shown in ``time_zone``), ``date`` a date. None is an empty cell.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

KINDS = ("text", "uuid", "int", "money", "decimal", "bool", "timestamp", "date")
DEFAULT_TIME_ZONE = "Asia/Jerusalem"


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str  # shown as the header (Hebrew)
    kind: str = "text"
    dimension: bool = False  # a grouping column (charts take categories from these)
    unit: str | None = None  # a time bucket's unit (day|week|month|quarter): how to show it


@dataclass
class ReportResult:
    columns: list[Column]
    rows: list[list[Any]]
    title: str = ""
    time_zone: str = DEFAULT_TIME_ZONE
    truncated: bool = False  # more rows matched than the limit
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def local(self, value: dt.datetime) -> dt.datetime:
        return value.astimezone(ZoneInfo(self.time_zone))

    def records(self) -> list[dict[str, Any]]:
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, r, strict=True)) for r in self.rows]


def to_json_value(kind: str, value: Any) -> Any:
    """A cell as a JSON value: times as ISO 8601, UUIDs as text, numbers as numbers."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def from_json_value(kind: str, value: Any) -> Any:
    """The inverse of :func:`to_json_value` for a column of ``kind``."""
    if value is None:
        return None
    if kind == "timestamp":
        return dt.datetime.fromisoformat(value)
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind in ("int", "money"):
        return int(value)
    if kind == "decimal":
        return float(value)
    return value


def format_money(agorot: int) -> str:
    sign = "-" if agorot < 0 else ""
    shekels, rest = divmod(abs(agorot), 100)
    return f"{sign}{shekels:,}.{rest:02d}"
