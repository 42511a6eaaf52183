"""A report as a Hebrew, right-to-left PDF: title, an optional chart, then the table.

fpdf2 with HarfBuzz shaping and the DejaVu Hebrew + Latin subset shipped in ``fonts/``
(the approach of billing's documents): no system libraries. The first column is the
rightmost; the header repeats on every page.
"""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from crm_reporting.exports import charts
from crm_reporting.exports.formatting import LRM, display
from crm_reporting.exports.result import ReportResult

CONTENT_TYPE = "application/pdf"
FONTS = Path(__file__).parent / "fonts"
FONT = "dejavu"
ROW_H = 6.5
# A PDF is for reading: longer results are cut here (the note says so; CSV/XLSX have all).
MAX_PDF_ROWS = 500
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


class _Pdf(FPDF):
    def __init__(self, orientation: str) -> None:
        super().__init__(orientation=orientation, format="A4")
        self.add_font(FONT, "", FONTS / "DejaVuSans-HebrewLatin.ttf")
        self.add_font(FONT, "B", FONTS / "DejaVuSans-Bold-HebrewLatin.ttf")
        self.shaped = False
        self.shape(True)
        self.set_auto_page_break(auto=False, margin=15)
        self.footer_text = ""

    def shape(self, on: bool) -> None:
        """Bidi + HarfBuzz for right-to-left text; off for numbers, dates and Latin text,
        which look the same without it and render about seven times faster."""
        if on != self.shaped:
            if on:
                self.set_text_shaping(
                    use_shaping_engine=True, direction="rtl", script="hebr", language="he"
                )
            else:
                self.set_text_shaping(False)
            self.shaped = on

    def footer(self) -> None:
        self.shape(True)
        self.set_y(-12)
        self.set_font(FONT, "", 7)
        self.cell(0, 5, f"{self.footer_text}  |  עמוד {self.page_no()}", align="C")


def _width(pdf: _Pdf, text: str) -> float:
    """The width of ``text`` (Hebrew letters have the same advance shaped or not)."""
    on = pdf.shaped
    pdf.shape(False)
    w = pdf.get_string_width(text)
    pdf.shape(on)
    return w


def _fit(pdf: _Pdf, text: str, width: float) -> str:
    if _width(pdf, text) <= width:
        return text
    while text and _width(pdf, text + "…") > width:
        text = text[:-1]
    return text + "…"


def render(result: ReportResult, *, chart: str | None = None, sections=None) -> bytes:
    """The PDF of ``result``; ``chart`` (bar/line/pie/number) draws it above the table.

    ``sections`` (a list of (ReportResult, chart kind)) renders several reports, one after
    the other: a dashboard.
    """
    parts = sections if sections is not None else [(result, chart)]
    wide = any(len(r.columns) > 6 for r, _ in parts)
    pdf = _Pdf("L" if wide else "P")
    pdf.set_title(result.title)
    pdf.set_creator("CRM reporting")
    pdf.set_creation_date(result.generated_at)
    local = result.local(result.generated_at)
    pdf.footer_text = f"הופק {local:%d/%m/%Y %H:%M} ({result.time_zone})"
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(pdf.epw, 10, result.title, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for r, kind in parts:
        drawn = bool(kind and kind != "table" and r.rows)
        height = pdf.epw * charts.HEIGHT / charts.WIDTH
        if sections is not None:
            height = min(height, 95.0)
            # Keep a section's heading with its chart (or its first rows).
            _heading(pdf, r.title, room=(height if drawn else 0) + 4 * ROW_H)
        if drawn:
            width = height * charts.WIDTH / charts.HEIGHT
            if pdf.get_y() + height > pdf.page_break_trigger:
                pdf.add_page()
            x = pdf.l_margin + (pdf.epw - width) / 2
            top = pdf.get_y()
            # The title is the page's or the section's heading: the chart goes without one.
            used = charts.draw_pdf(
                pdf, charts.layout(r, kind, title=""), x=x, y=top, width=width, font=FONT
            )
            pdf.set_xy(pdf.l_margin, top + used + 4)
        _table(pdf, r)
        pdf.ln(6)
    return bytes(pdf.output())


def _heading(pdf: FPDF, title: str, *, room: float) -> None:
    if pdf.get_y() + 9 + room > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(FONT, "B", 13)
    pdf.cell(pdf.epw, 9, title, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(pdf: _Pdf, result: ReportResult) -> None:
    cols = result.columns
    if not cols:
        return
    shown = result.rows[:MAX_PDF_ROWS]
    cells = [[display(result, c, v) for c, v in zip(cols, row, strict=True)] for row in shown]
    natural = []
    for j, c in enumerate(cols):
        pdf.set_font(FONT, "B", 8)
        w = _width(pdf, c.label)
        pdf.set_font(FONT, "", 8)
        for row in cells[:200]:
            w = max(w, _width(pdf, row[j]))
        natural.append(min(max(w + 3, 12), 70))
    scale = pdf.epw / sum(natural)
    widths = [w * scale for w in natural]

    def header() -> None:
        pdf.set_font(FONT, "B", 8)
        pdf.set_fill_color(225, 225, 225)
        _row(pdf, widths, [c.label for c in cols], fill=True)
        pdf.set_font(FONT, "", 8)

    header()
    for row in cells:
        if pdf.get_y() + ROW_H > pdf.page_break_trigger:
            pdf.add_page()
            header()
        _row(pdf, widths, row)
    pdf.shape(True)
    if result.truncated or len(result.rows) > len(shown):
        pdf.set_font(FONT, "", 8)
        pdf.cell(
            pdf.epw,
            6,
            f"מוצגות {len(shown):,} השורות הראשונות בלבד; הקובץ המלא ב-XLSX או CSV",
            align="R",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def _row(pdf: _Pdf, widths: list[float], values: list[str], *, fill: bool = False) -> None:
    """One row; the first column is the rightmost."""
    y = pdf.get_y()
    pos = pdf.l_margin + pdf.epw
    for w, value in zip(widths, values, strict=True):
        pos -= w
        pdf.set_xy(pos, y)
        rtl = bool(_RTL.search(value))
        text = _fit(pdf, value if rtl else value.replace(LRM, ""), w - 1.5)
        pdf.shape(rtl)
        pdf.cell(w, ROW_H, text, border=1, align="R", fill=fill)
    pdf.set_xy(pdf.l_margin, y + ROW_H)
