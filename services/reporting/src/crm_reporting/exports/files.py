"""One entry point for every report's export: ``export_file(result, "xlsx")``.

The canned reports (R2-R6) build a :class:`ReportResult` (columns + rows) and call
this, exactly as the builder does.
"""

from __future__ import annotations

from dataclasses import dataclass

from crm_common.errors import FieldViolation, InvalidArgument
from crm_reporting.exports import csv_file, pdf_file, xlsx_file
from crm_reporting.exports.charts import KINDS
from crm_reporting.exports.formatting import safe_filename
from crm_reporting.exports.result import ReportResult

FORMATS = ("csv", "xlsx", "pdf")


@dataclass(frozen=True, slots=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def export_file(result: ReportResult, fmt: str, *, chart: str | None = None) -> ExportFile:
    """``result`` as a CSV, XLSX or PDF file; ``chart`` (PDF only) draws it above the table."""
    if fmt not in FORMATS:
        raise InvalidArgument(
            "unknown export format",
            violations=[FieldViolation("format", f"must be one of: {', '.join(FORMATS)}")],
        )
    if chart is not None and chart not in KINDS:
        raise InvalidArgument(
            "unknown chart kind",
            violations=[FieldViolation("chart", f"must be one of: {', '.join(KINDS)}")],
        )
    name = safe_filename(result.title, fmt)
    if fmt == "csv":
        return ExportFile(csv_file.render(result), csv_file.CONTENT_TYPE, name)
    if fmt == "xlsx":
        return ExportFile(xlsx_file.render(result), xlsx_file.CONTENT_TYPE, name)
    return ExportFile(pdf_file.render(result, chart=chart), pdf_file.CONTENT_TYPE, name)
