"""R7 exports of any report: a generic ``ReportResult`` (columns + rows) as CSV, XLSX or PDF.

The canned reports (R2-R6) reuse these by building a :class:`ReportResult`.
"""

from crm_reporting.exports.result import Column, ReportResult

__all__ = ["Column", "ReportResult"]
