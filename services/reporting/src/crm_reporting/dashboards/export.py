"""A dashboard as one PDF: each item's chart and table, in grid order."""

from __future__ import annotations

from crm_reporting.dashboards.service import DashboardRun
from crm_reporting.exports import pdf_file, xlsx_file
from crm_reporting.exports.result import Column, ReportResult


def dashboard_pdf(run: DashboardRun) -> bytes:
    sections = []
    for r in run.runs:
        if r.result is None:
            failed = ReportResult(
                title=r.title, columns=[Column("error", "שגיאה")], rows=[[r.error]]
            )
            sections.append((failed, None))
        else:
            sections.append((r.result, r.item.chart))
    cover = sections[0][0] if sections else ReportResult(columns=[], rows=[])
    page = ReportResult(
        columns=cover.columns,
        rows=cover.rows,
        title=run.dashboard.name,
        time_zone=cover.time_zone,
    )
    return pdf_file.render(page, sections=sections)


def dashboard_xlsx(run: DashboardRun) -> bytes:
    """One right-to-left sheet per item (titled as the item), in grid order."""
    sheets = []
    for r in run.runs:
        if r.result is None:
            sheets.append(
                ReportResult(title=r.title, columns=[Column("error", "שגיאה")], rows=[[r.error]])
            )
        else:
            sheets.append(
                ReportResult(
                    columns=r.result.columns,
                    rows=r.result.rows,
                    title=r.title,
                    time_zone=r.result.time_zone,
                    truncated=r.result.truncated,
                )
            )
    return xlsx_file.render_many(run.dashboard.name, sheets)
