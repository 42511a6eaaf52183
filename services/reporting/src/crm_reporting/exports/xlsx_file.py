"""A real .xlsx: Hebrew headers, the sheet right to left, numbers as numbers, money in ₪."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from crm_reporting.exports.result import ReportResult

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '#,##0.00 "₪"'
FORMATS = {
    "money": MONEY_FORMAT,
    "int": "#,##0",
    "decimal": "#,##0.00",
    "timestamp": "dd/mm/yyyy hh:mm",
    "date": "dd/mm/yyyy",
}
_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def sheet_title(title: str) -> str:
    return (title.translate(_BAD_SHEET_CHARS).strip() or "דוח")[:31]


def render(result: ReportResult) -> bytes:
    return render_many(result.title, [result])


def render_many(title: str, results: list[ReportResult]) -> bytes:
    """One workbook, one right-to-left sheet per result (a dashboard)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = title
    wb.properties.creator = "CRM reporting"
    used: set[str] = set()
    for result in results:
        name = sheet_title(result.title)
        n = 2
        while name in used:  # sheet names are unique per workbook
            suffix = f" ({n})"
            name = sheet_title(result.title)[: 31 - len(suffix)] + suffix
            n += 1
        used.add(name)
        _sheet(wb.create_sheet(name), result)
    if not results:
        wb.create_sheet(sheet_title(title)).sheet_view.rightToLeft = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(ws, result: ReportResult) -> None:
    ws.sheet_view.rightToLeft = True
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    widths = []
    for j, col in enumerate(result.columns, start=1):
        cell = ws.cell(row=1, column=j, value=col.label)
        cell.data_type = TYPE_STRING
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="right")
        widths.append(max(10, min(40, len(col.label) + 4)))
    for i, row in enumerate(result.rows, start=2):
        for j, (col, value) in enumerate(zip(result.columns, row, strict=True), start=1):
            if value is None:
                continue
            kind = col.kind
            if kind == "money":
                value = Decimal(int(value)) / 100
            elif kind == "timestamp" and isinstance(value, dt.datetime):
                value = result.local(value).replace(tzinfo=None)
            elif kind in ("text", "uuid"):
                value = str(value)
            cell = ws.cell(row=i, column=j, value=value)
            if kind in ("text", "uuid"):
                cell.data_type = TYPE_STRING  # never a formula, whatever the text starts with
                widths[j - 1] = max(widths[j - 1], min(40, len(value) + 2))
            if kind == "date" and col.unit == "month":
                cell.number_format = "mm/yyyy"
            elif kind in FORMATS:
                cell.number_format = FORMATS[kind]
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = "A2"
    if result.columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(result.columns))}{len(result.rows) + 1}"
