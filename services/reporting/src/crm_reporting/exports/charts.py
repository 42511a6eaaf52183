"""Charts of a report result (bar, line, pie, number, table) drawn once, output twice.

``layout()`` turns a :class:`ReportResult` into drawing primitives on a 640 x 360
canvas; ``to_svg()`` writes them as SVG (the dashboard's server-rendered chart, for
e-mail and the frontend) and ``draw_pdf()`` draws the same primitives into an fpdf2
page, where HarfBuzz shapes the Hebrew. Text anchors are right-to-left: ``start`` puts
the right edge of the text at x, ``end`` its left edge.

Categories come from the result's dimension columns (or its first non-numeric
column); values from its numeric columns. Two dimensions make one series per value
of the second one (of the first measure). Money is drawn in shekels.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from crm_reporting.exports.formatting import EMPTY, display
from crm_reporting.exports.result import Column, ReportResult, format_money

WIDTH, HEIGHT = 640.0, 360.0
PALETTE = ("#2E6FD8", "#F28E2B", "#59A14F", "#E15759", "#76B7B2", "#EDC948", "#B07AA1", "#9C755F")
MAX_CATEGORIES = 24
MAX_SLICES = 8
NUMERIC = ("int", "money", "decimal")
KINDS = ("bar", "line", "pie", "number", "table")


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str


@dataclass(frozen=True, slots=True)
class Line:
    points: tuple[tuple[float, float], ...]
    stroke: str
    width: float = 1.0


@dataclass(frozen=True, slots=True)
class Polygon:
    points: tuple[tuple[float, float], ...]
    fill: str


@dataclass(frozen=True, slots=True)
class Text:
    x: float
    y: float  # baseline
    text: str
    size: float = 11.0
    anchor: str = "middle"  # start (right edge at x) | middle | end (left edge at x)
    bold: bool = False
    fill: str = "#222222"


@dataclass
class Chart:
    kind: str
    title: str
    items: list[Any] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    series: list[tuple[str, list[float]]] = field(default_factory=list)


def _category_text(result: ReportResult, col: Column, values: list[Any]) -> list[str]:
    if (
        col.kind == "date"
        and col.unit is None
        and values
        and all(isinstance(v, dt.date) and v.day == 1 for v in values)
    ):
        return [v.strftime("%m/%Y") for v in values]
    return [display(result, col, v) or EMPTY for v in values]


def _scale(col: Column, value: Any) -> float:
    if value is None:
        return 0.0
    return float(value) / 100 if col.kind == "money" else float(value)


def series_of(result: ReportResult) -> tuple[list[str], list[tuple[str, list[float]]], bool]:
    """(categories, [(series name, values)], money?) of a result."""
    dims = [i for i, c in enumerate(result.columns) if c.dimension]
    values = [i for i, c in enumerate(result.columns) if c.kind in NUMERIC and not c.dimension]
    if not dims:
        dims = [i for i, c in enumerate(result.columns) if c.kind not in NUMERIC][:1]
    if not values:
        return [], [], False
    money = result.columns[values[0]].kind == "money"
    rows = result.rows
    if len(dims) >= 2:
        d0, d1, m = result.columns[dims[0]], result.columns[dims[1]], result.columns[values[0]]
        cats_raw: list[Any] = []
        names_raw: list[Any] = []
        for r in rows:
            if r[dims[0]] not in cats_raw:
                cats_raw.append(r[dims[0]])
            if r[dims[1]] not in names_raw:
                names_raw.append(r[dims[1]])
        cats_raw = cats_raw[:MAX_CATEGORIES]
        names = _category_text(result, d1, names_raw)[: len(PALETTE)]
        table = {(r[dims[0]], r[dims[1]]): _scale(m, r[values[0]]) for r in rows}
        series = [
            (name, [table.get((c, n), 0.0) for c in cats_raw])
            for n, name in zip(names_raw, names, strict=False)
        ]
        return _category_text(result, d0, cats_raw), series, money
    shown = rows[:MAX_CATEGORIES]
    if dims:
        cats = _category_text(result, result.columns[dims[0]], [r[dims[0]] for r in shown])
    else:
        cats = [str(i + 1) for i in range(len(shown))]
    same_unit = [i for i in values if result.columns[i].kind == result.columns[values[0]].kind]
    series = [
        (result.columns[i].label, [_scale(result.columns[i], r[i]) for r in shown])
        for i in same_unit[: len(PALETTE)]
    ]
    return cats, series, money


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def _fmt(value: float, money: bool) -> str:
    if money:
        return f"{format_money(round(value * 100))} ₪" if value < 1000 else f"{value:,.0f} ₪"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _short(text: str, n: int = 14) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def layout(result: ReportResult, kind: str, title: str | None = None) -> Chart:
    if kind not in KINDS:
        raise ValueError(f"unknown chart kind {kind!r}")
    title = result.title if title is None else title
    chart = Chart(kind=kind, title=title)
    items = chart.items
    items.append(Rect(0, 0, WIDTH, HEIGHT, "#FFFFFF"))
    if title:
        items.append(Text(WIDTH - 16, 26, title, 15, "start", bold=True))
    if kind == "table":
        _table(result, items)
        return chart
    cats, series, money = series_of(result)
    chart.categories, chart.series = cats, series
    if not series or not cats:
        items.append(Text(WIDTH / 2, HEIGHT / 2, "אין נתונים", 16))
        return chart
    if kind == "number":
        total = sum(series[0][1])
        items.append(Text(WIDTH / 2, HEIGHT / 2 + 20, _fmt(total, money), 48, bold=True))
        items.append(Text(WIDTH / 2, HEIGHT / 2 + 60, series[0][0], 14, fill="#555555"))
        return chart
    if kind == "pie":
        _pie(cats, series[0][1], money, items)
        return chart
    _axes(cats, series, money, kind, items)
    return chart


def _legend(names: list[str], items: list[Any], y: float = 48) -> None:
    x = WIDTH - 16
    for i, name in enumerate(names):
        items.append(Rect(x - 10, y - 9, 10, 10, PALETTE[i % len(PALETTE)]))
        items.append(Text(x - 14, y, _short(name, 18), 10, "start"))
        x -= 14 + 7 * min(len(name), 18) + 24


def _axes(cats, series, money, kind, items) -> None:
    left, right, top, bottom = 70.0, 20.0, 64.0, 64.0
    pw, ph = WIDTH - left - right, HEIGHT - top - bottom
    if len(series) > 1:
        _legend([s[0] for s in series], items)
    high = max((v for _, vals in series for v in vals), default=0.0)
    low = min(0.0, min((v for _, vals in series for v in vals), default=0.0))
    top_value = _nice_max(high) if high > 0 else 1.0
    bottom_value = -_nice_max(-low) if low < 0 else 0.0
    span = top_value - bottom_value

    def y_of(v: float) -> float:
        return top + ph * (top_value - v) / span

    for t in range(5):
        v = bottom_value + span * t / 4
        y = y_of(v)
        items.append(Line(((left, y), (left + pw, y)), "#DDDDDD", 0.6))
        items.append(Text(left - 6, y + 4, _fmt(v, money), 9, "start", fill="#555555"))
    items.append(Line(((left, y_of(0)), (left + pw, y_of(0))), "#888888", 1))
    n = len(cats)
    slot = pw / n
    for i, c in enumerate(cats):
        cx = left + slot * (i + 0.5)
        items.append(Text(cx, top + ph + 18, _short(c, max(4, int(slot / 6))), 9, fill="#333333"))
    if kind == "bar":
        bw = slot * 0.8 / len(series)
        for s, (_, vals) in enumerate(series):
            for i, v in enumerate(vals):
                x = left + slot * i + slot * 0.1 + bw * s
                y0, y1 = y_of(max(v, 0)), y_of(min(v, 0))
                items.append(Rect(x, y0, bw, max(y1 - y0, 0.5), PALETTE[s % len(PALETTE)]))
        return
    for s, (_, vals) in enumerate(series):
        pts = tuple((left + slot * (i + 0.5), y_of(v)) for i, v in enumerate(vals))
        color = PALETTE[s % len(PALETTE)]
        items.append(Line(pts, color, 2))
        for x, y in pts:
            items.append(Rect(x - 2.5, y - 2.5, 5, 5, color))


def _pie(cats, values, money, items) -> None:
    pairs = [(c, v) for c, v in zip(cats, values, strict=True) if v > 0]
    pairs.sort(key=lambda p: -p[1])
    if len(pairs) > MAX_SLICES:
        rest = sum(v for _, v in pairs[MAX_SLICES - 1 :])
        pairs = [*pairs[: MAX_SLICES - 1], ("אחר", rest)]
    total = sum(v for _, v in pairs)
    if total <= 0:
        items.append(Text(WIDTH / 2, HEIGHT / 2, "אין נתונים", 16))
        return
    cx, cy, r = 200.0, 200.0, 130.0
    angle = -math.pi / 2
    for i, (_, v) in enumerate(pairs):
        sweep = 2 * math.pi * v / total
        steps = max(2, int(sweep / (math.pi / 36)) + 1)
        pts = [(cx, cy)] + [
            (
                cx + r * math.cos(angle + sweep * k / steps),
                cy + r * math.sin(angle + sweep * k / steps),
            )
            for k in range(steps + 1)
        ]
        items.append(Polygon(tuple(pts), PALETTE[i % len(PALETTE)]))
        angle += sweep
    y = 80.0
    for i, (c, v) in enumerate(pairs):
        items.append(Rect(WIDTH - 26, y - 10, 10, 10, PALETTE[i % len(PALETTE)]))
        pct = 100 * v / total
        items.append(
            Text(WIDTH - 32, y, f"{_short(c, 20)}  {pct:.1f}%  ({_fmt(v, money)})", 10, "start")
        )
        y += 22


def _table(result: ReportResult, items: list[Any]) -> None:
    cols = result.columns[:6]
    width = (WIDTH - 32) / max(1, len(cols))
    y = 60.0
    for j, c in enumerate(cols):
        items.append(Text(WIDTH - 16 - j * width, y, _short(c.label, 20), 10, "start", bold=True))
    for row in result.rows[:12]:
        y += 22
        for j, c in enumerate(cols):
            items.append(
                Text(WIDTH - 16 - j * width, y, _short(display(result, c, row[j]), 20), 10, "start")
            )


# --- SVG --------------------------------------------------------------------------------


def to_svg(chart: Chart) -> str:
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH:g}" height="{HEIGHT:g}" '
        f'viewBox="0 0 {WIDTH:g} {HEIGHT:g}" font-family="DejaVu Sans, Arial, sans-serif" '
        f'role="img" aria-label={quoteattr(chart.title)} data-kind="{chart.kind}">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for it in chart.items:
        if isinstance(it, Rect):
            out.append(
                f'<rect x="{it.x:.1f}" y="{it.y:.1f}" width="{it.w:.1f}" height="{it.h:.1f}" '
                f'fill="{it.fill}"/>'
            )
        elif isinstance(it, Line):
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in it.points)
            out.append(
                f'<polyline points="{pts}" fill="none" stroke="{it.stroke}" '
                f'stroke-width="{it.width:g}"/>'
            )
        elif isinstance(it, Polygon):
            pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in it.points)
            out.append(f'<polygon points="{pts}" fill="{it.fill}" stroke="#FFFFFF"/>')
        elif isinstance(it, Text):
            weight = ' font-weight="bold"' if it.bold else ""
            out.append(
                f'<text x="{it.x:.1f}" y="{it.y:.1f}" font-size="{it.size:g}" '
                f'text-anchor="{it.anchor}" direction="rtl" fill="{it.fill}"{weight}>'
                f"{escape(it.text)}</text>"
            )
    out.append("</svg>")
    return "\n".join(out)


# --- PDF (fpdf2) ------------------------------------------------------------------------


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def draw_pdf(pdf, chart: Chart, *, x: float, y: float, width: float, font: str) -> float:
    """Draw ``chart`` at (x, y) mm, ``width`` mm wide; returns the height used."""
    k = width / WIDTH

    def px(v: float) -> float:
        return x + v * k

    def py(v: float) -> float:
        return y + v * k

    for it in chart.items:
        if isinstance(it, Rect):
            pdf.set_fill_color(*_rgb(it.fill))
            pdf.rect(px(it.x), py(it.y), it.w * k, it.h * k, style="F")
        elif isinstance(it, Line):
            pdf.set_draw_color(*_rgb(it.stroke))
            pdf.set_line_width(it.width * k)
            pts = [(px(a), py(b)) for a, b in it.points]
            pdf.polyline(pts)
        elif isinstance(it, Polygon):
            pdf.set_fill_color(*_rgb(it.fill))
            pdf.set_draw_color(255, 255, 255)
            pdf.set_line_width(0.2)
            pdf.polygon([(px(a), py(b)) for a, b in it.points], style="DF")
        elif isinstance(it, Text):
            if hasattr(pdf, "shape"):
                pdf.shape(True)
            size_pt = it.size * k * 72 / 25.4
            pdf.set_font(font, "B" if it.bold else "", size_pt)
            pdf.set_text_color(*_rgb(it.fill))
            w = pdf.get_string_width(it.text) + 0.5
            left = {"start": px(it.x) - w, "end": px(it.x), "middle": px(it.x) - w / 2}[it.anchor]
            h = it.size * k
            pdf.set_xy(left, py(it.y) - h * 0.85)
            pdf.cell(w, h, it.text, align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.set_draw_color(0, 0, 0)
    return HEIGHT * k
