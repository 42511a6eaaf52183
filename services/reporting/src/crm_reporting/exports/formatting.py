"""How a cell is shown to a person (PDF, chart labels) or written to a CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

from crm_reporting.exports.result import Column, ReportResult, format_money

EMPTY = "(ריק)"
LRM = "\u200e"
_INJECTION = ("=", "+", "-", "@", "\t", "\r")


def display(result: ReportResult, column: Column, value: Any) -> str:
    """A cell for people: money with thousands and ₪, times in the tenant's zone."""
    if value is None:
        return ""
    kind = column.kind
    # A left-to-right mark keeps the minus sign of a negative number on its left in
    # right-to-left text (without it the bidi algorithm shows "5.00-").
    sign = LRM if kind in ("money", "int", "decimal") and value < 0 else ""
    if kind == "money":
        return f"{sign}{format_money(int(value))} ₪"
    if kind == "int":
        return f"{sign}{int(value):,}"
    if kind == "decimal":
        return f"{sign}{float(value):,.2f}"
    if kind == "bool":
        return "כן" if value else "לא"
    if kind == "timestamp" and isinstance(value, dt.datetime):
        return result.local(value).strftime("%d/%m/%Y %H:%M")
    if kind == "date" and isinstance(value, dt.date):
        if column.unit == "month":
            return value.strftime("%m/%Y")
        if column.unit == "quarter":
            return f"Q{(value.month - 1) // 3 + 1}/{value.year}"
        return value.strftime("%d/%m/%Y")
    return str(value)


def csv_cell(result: ReportResult, column: Column, value: Any) -> str:
    """A cell for a spreadsheet to read back: plain numbers, ISO times, guarded text."""
    if value is None:
        return ""
    kind = column.kind
    if kind == "money":
        return format_money(int(value)).replace(",", "")
    if kind in ("int", "decimal"):
        return str(value)
    if kind == "bool":
        return "TRUE" if value else "FALSE"
    if kind == "timestamp" and isinstance(value, dt.datetime):
        return result.local(value).strftime("%Y-%m-%d %H:%M:%S")
    if kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    return guard(str(value))


def guard(text: str) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(_INJECTION) else text


def safe_filename(title: str, extension: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in title).strip()
    return f"{'-'.join(keep.split()) or 'report'}.{extension}"
