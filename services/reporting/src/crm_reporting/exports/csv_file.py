"""CSV in UTF-8 with a byte-order mark, so Excel opens Hebrew correctly."""

from __future__ import annotations

import csv
import io

from crm_reporting.exports.formatting import csv_cell, guard
from crm_reporting.exports.result import ReportResult

CONTENT_TYPE = "text/csv; charset=utf-8"


def render(result: ReportResult) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([guard(c.label) for c in result.columns])
    for row in result.rows:
        writer.writerow([csv_cell(result, c, v) for c, v in zip(result.columns, row, strict=True)])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")
