"""R7 exports of a generic result (columns + rows): CSV, XLSX, PDF and charts, read back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from pypdf import PdfReader

from crm_reporting.exports import charts, csv_file, pdf_file, xlsx_file
from crm_reporting.exports.result import Column, ReportResult

SVG = "{http://www.w3.org/2000/svg}"


def sample() -> ReportResult:
    """Leads per source: what a builder run or a canned report hands the exporters."""
    return ReportResult(
        title="לידים לפי מקור",
        columns=[
            Column("source", "מקור", "text", dimension=True),
            Column("count", "כמות", "int"),
            Column("revenue", "הכנסות", "money"),
            Column("rate", "שיעור המרה", "decimal"),
            Column("first", "ליד ראשון", "timestamp"),
            Column("day", "יום", "date"),
        ],
        rows=[
            [
                "רדיו",
                12,
                1_234_56,
                12.5,
                dt.datetime(2026, 3, 31, 20, 30, tzinfo=dt.UTC),
                dt.date(2026, 3, 31),
            ],
            ["web", 3, 99, 0.0, None, None],
            ['=HYPERLINK("x")', 1, -500, None, None, None],
        ],
    )


def test_r7_csv_has_a_bom_hebrew_headers_plain_numbers_and_local_times():
    data = csv_file.render(sample())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"))))
    assert rows[0] == ["מקור", "כמות", "הכנסות", "שיעור המרה", "ליד ראשון", "יום"]
    # 20:30 UTC on 31 March is 23:30 in Israel (summer time); money in shekels, no separators.
    assert rows[1] == ["רדיו", "12", "1234.56", "12.5", "2026-03-31 23:30:00", "2026-03-31"]
    assert rows[2] == ["web", "3", "0.99", "0.0", "", ""]
    # A text that a spreadsheet would run as a formula is neutralised; negative money is not.
    assert rows[3][0] == '\'=HYPERLINK("x")'
    assert rows[3][2] == "-5.00"


def test_r7_xlsx_is_right_to_left_with_hebrew_headers_and_numbers_as_numbers():
    data = xlsx_file.render(sample())
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "לידים לפי מקור"
    assert ws.sheet_view.rightToLeft is True
    assert [c.value for c in ws[1]] == ["מקור", "כמות", "הכנסות", "שיעור המרה", "ליד ראשון", "יום"]
    source, count, revenue, rate, first, day = ws[2]
    assert source.value == "רדיו"
    assert count.value == 12 and count.data_type == "n"
    assert revenue.value == pytest.approx(1234.56) and revenue.data_type == "n"
    assert "₪" in revenue.number_format
    assert rate.value == pytest.approx(12.5)
    assert first.value == dt.datetime(2026, 3, 31, 23, 30)  # the tenant's local time
    assert first.is_date and day.is_date
    formula_like = ws.cell(row=4, column=1)
    assert formula_like.data_type == "s" and formula_like.value == '=HYPERLINK("x")'
    assert ws.cell(row=4, column=3).value == pytest.approx(-5.0)
    assert ws.freeze_panes == "A2"


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_r7_pdf_has_the_hebrew_title_headers_values_and_a_chart():
    data = pdf_file.render(sample(), chart="bar")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    # Numbers, money and times are laid out left to right inside their right-aligned cells
    # (the minus sign on the left of the number); Hebrew cells are shaped right to left.
    for expected in ("לידים לפי מקור", "מקור", "כמות", "הכנסות", "רדיו", "1,234.56 ₪"):
        assert expected in text, expected
    assert "31/03/2026 23:30" in text  # 20:30 UTC in Israel summer time
    assert "-5.00 ₪" in text
    # The bar chart above the table: its value axis runs 0, 5, 10, 15, 20 (12 leads at most).
    lines = text.split("\n")
    assert (
        lines.index("0") < lines.index("20") < lines.index("מקורכמותהכנסותשיעור המרהליד ראשוןיום")
    )


def test_r7_pdf_table_breaks_pages_and_repeats_the_header():
    result = ReportResult(
        title="רשימה ארוכה",
        columns=[Column("n", "מספר", "int"), Column("name", "שם", "text")],
        rows=[[i, f"לקוח {i}"] for i in range(120)],
    )
    reader = PdfReader(io.BytesIO(pdf_file.render(result)))
    assert len(reader.pages) >= 2
    assert all("מספר" in p.extract_text() for p in reader.pages)
    last = reader.pages[-1].extract_text()
    assert "119 לקוח" in last  # visual order of "לקוח 119"


@pytest.mark.parametrize("kind", ["bar", "line", "pie", "number", "table"])
def test_r7_chart_svg_parses_and_carries_the_figures(kind):
    svg = charts.to_svg(charts.layout(sample(), kind))
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("data-kind") == kind
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "לידים לפי מקור" in texts
    if kind == "bar":
        # 3 categories x 1 series of counts (the first numeric column's unit): 3 bars.
        bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == charts.PALETTE[0]]
        assert len(bars) == 3
        heights = [float(b.get("height")) for b in bars]
        assert heights[0] == pytest.approx(4 * heights[1], rel=0.01)  # 12 vs 3
        assert {"רדיו", "web"} <= set(texts)
    if kind == "number":
        assert "16" in texts  # 12 + 3 + 1 leads
    if kind == "pie":
        assert len(list(root.iter(f"{SVG}polygon"))) == 3
        assert any(t and t.startswith("רדיו  75.0%") for t in texts)  # 12 of 16


def test_r7_chart_of_two_dimensions_has_one_series_per_second_value():
    result = ReportResult(
        title="לידים לפי חודש ומקור",
        columns=[
            Column("period", "חודש", "date", dimension=True),
            Column("source", "מקור", "text", dimension=True),
            Column("count", "כמות", "int"),
        ],
        rows=[
            [dt.date(2026, 3, 1), "radio", 2],
            [dt.date(2026, 3, 1), "web", 1],
            [dt.date(2026, 4, 1), "web", 4],
        ],
    )
    cats, series, money = charts.series_of(result)
    assert cats == ["03/2026", "04/2026"]
    assert series == [("radio", [2.0, 0.0]), ("web", [1.0, 4.0])]
    assert money is False
    root = ET.fromstring(charts.to_svg(charts.layout(result, "line")))
    assert len(list(root.iter(f"{SVG}polyline"))) >= 2


def test_r7_export_file_is_the_one_entry_point_for_any_result():
    from crm_common.errors import InvalidArgument
    from crm_reporting.exports.files import export_file

    out = export_file(sample(), "xlsx")
    assert out.filename == "לידים-לפי-מקור.xlsx"
    assert out.content.startswith(b"PK")  # a zip: a real .xlsx
    assert export_file(sample(), "csv").content_type == "text/csv; charset=utf-8"
    with pytest.raises(InvalidArgument) as err:
        export_file(sample(), "docx")
    assert [v.field for v in err.value.violations] == ["format"]
    with pytest.raises(InvalidArgument) as err:
        export_file(sample(), "pdf", chart="radar")
    assert [v.field for v in err.value.violations] == ["chart"]


def test_r7_pdf_shows_at_most_500_rows_and_says_so():
    result = ReportResult(
        title="גדול",
        columns=[Column("n", "מספר", "int")],
        rows=[[i] for i in range(pdf_file.MAX_PDF_ROWS + 1)],
    )
    pages = PdfReader(io.BytesIO(pdf_file.render(result))).pages
    text = "\n".join(p.extract_text() for p in pages)
    assert "\n499\n" in text and "\n500\n" not in text
    assert "500" in pages[-1].extract_text() and "XLSX" in pages[-1].extract_text()


def test_r7_periods_show_as_their_bucket_month_and_quarter():
    from crm_reporting.exports.formatting import csv_cell, display

    result = ReportResult(
        title="לפי תקופה",
        columns=[
            Column("period", "חודש", "date", True, "month"),
            Column("q", "רבעון", "date", True, "quarter"),
            Column("count", "כמות", "int"),
        ],
        rows=[[dt.date(2026, 3, 1), dt.date(2026, 4, 1), 7]],
    )
    month, quarter, _ = result.columns
    assert display(result, month, dt.date(2026, 3, 1)) == "03/2026"
    assert display(result, quarter, dt.date(2026, 4, 1)) == "Q2/2026"
    assert csv_cell(result, month, dt.date(2026, 3, 1)) == "2026-03-01"  # machines get ISO
    ws = openpyxl.load_workbook(io.BytesIO(xlsx_file.render(result))).active
    assert ws["A2"].number_format == "mm/yyyy" and ws["A2"].is_date
    assert charts.series_of(result)[0] == ["03/2026"]
