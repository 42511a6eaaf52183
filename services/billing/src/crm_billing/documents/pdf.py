"""Hebrew, right-to-left PDF of a document (fpdf2 + HarfBuzz shaping; no system libraries).

The font ships in ``fonts/`` (a Hebrew + Latin subset of DejaVu Sans). fpdf2 runs
the Unicode bidi algorithm and HarfBuzz on every string, so Hebrew, numbers and
English mix in the right order. Columns are laid out right to left by hand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from crm_billing.catalog.models import BusinessProfile, VatCategory
from crm_billing.documents.models import DocType, Document
from crm_billing.documents.tax import format_agorot

FONTS = Path(__file__).parent / "fonts"

TITLES = {
    DocType.QUOTE: "הצעת מחיר",
    DocType.ORDER: "הזמנה",
    DocType.DELIVERY_NOTE: "תעודת משלוח",
    DocType.TAX_INVOICE: "חשבונית מס",
    DocType.INVOICE_RECEIPT: "חשבונית מס/קבלה",
    DocType.RECEIPT: "קבלה",
    DocType.CREDIT_NOTE: "חשבונית זיכוי",
}
ORIGINAL = "מקור"
COPY = "העתק"
_VAT_NAMES = {VatCategory.EXEMPT: "פטור", VatCategory.ZERO_RATED: 'מע"מ 0%'}


@dataclass(frozen=True, slots=True)
class PaymentRow:
    method: str
    amount_agorot: int
    details: str


def _qty(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


class _Pdf(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.add_font("dejavu", "", FONTS / "DejaVuSans-HebrewLatin.ttf")
        self.add_font("dejavu", "B", FONTS / "DejaVuSans-Bold-HebrewLatin.ttf")
        self.set_text_shaping(
            use_shaping_engine=True, direction="rtl", script="hebr", language="he"
        )
        self.set_auto_page_break(auto=True, margin=20)
        self.footer_text = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("dejavu", "", 7)
        self.cell(0, 5, f"{self.footer_text}  |  עמוד {self.page_no()}", align="C")


def render(
    document: Document,
    *,
    business: BusinessProfile | None,
    base: Document | None = None,
    payments: list[PaymentRow] | None = None,
    copy: bool = False,
) -> bytes:
    doc_type = DocType(document.doc_type)
    pdf = _Pdf()
    pdf.set_title(f"{TITLES[doc_type]} {document.number}")
    pdf.set_creator("CRM billing")
    pdf.set_creation_date(dt.datetime.combine(document.issue_date, dt.time(), tzinfo=dt.UTC))
    pdf.footer_text = "מסמך ממוחשב  -  הופק במערכת ה-CRM"
    pdf.add_page()
    width = pdf.epw
    right = pdf.l_margin

    # Business (right) and logo (left).
    if business and business.logo:
        # a broken logo never stops a tax document
        with contextlib.suppress(Exception):
            pdf.image(io.BytesIO(business.logo), x=pdf.l_margin, y=10, h=20)
    pdf.set_font("dejavu", "B", 14)
    pdf.cell(
        width, 8, business.name if business else "", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font("dejavu", "", 9)
    if business:
        for text in (
            f"עוסק מורשה / ח.פ. {business.tax_id}" if business.tax_id else "",
            business.address or "",
            " | ".join(x for x in (business.phone, business.email) if x),
        ):
            if text:
                pdf.cell(width, 5, text, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)

    # Title with number and original/copy mark.
    pdf.set_font("dejavu", "B", 16)
    pdf.cell(
        width,
        10,
        f"{TITLES[doc_type]} מס' {document.number}",
        align="R",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font("dejavu", "B", 12)
    pdf.set_text_color(180, 0, 0) if copy else pdf.set_text_color(0, 90, 0)
    pdf.cell(width, 7, COPY if copy else ORIGINAL, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font("dejavu", "", 10)
    meta = [f"תאריך: {_date(document.issue_date)}"]
    if document.due_date:
        meta.append(f"לתשלום עד: {_date(document.due_date)}")
    if base is not None:
        meta.append(f"מסמך בסיס: {TITLES[DocType(base.doc_type)]} {base.number}")
    if document.allocation_number:
        meta.append(f"מספר הקצאה: {document.allocation_number}")
    for text in meta:
        pdf.cell(width, 6, text, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)

    # Customer.
    pdf.set_font("dejavu", "B", 11)
    pdf.cell(
        width, 7, f"לכבוד: {document.customer_name}", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font("dejavu", "", 10)
    if document.customer_tax_id:
        pdf.cell(
            width,
            6,
            f"ח.פ./ע.מ. לקוח: {document.customer_tax_id}",
            align="R",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.ln(4)

    # Lines: columns from right to left.
    if document.lines:
        cols = [
            ("#", 8),
            ('מק"ט', 24),
            ("תיאור", 58),
            ("כמות", 18),
            ("מחיר יח'", 24),
            ("הנחה", 16),
            ('סה"כ', width - 148),
        ]
        pdf.set_font("dejavu", "B", 9)
        pdf.set_fill_color(230, 230, 230)
        _row(pdf, right, width, cols, [c[0] for c in cols], fill=True)
        pdf.set_font("dejavu", "", 9)
        for line in document.lines:
            name = line.name_he
            if line.name_en:
                name = f"{name} ({line.name_en})"
            if line.vat_category in _VAT_NAMES:
                name = f"{name} - {_VAT_NAMES[VatCategory(line.vat_category)]}"
            values = [
                str(line.line_no),
                line.sku or "",
                name,
                f"{_qty(line.quantity)} {line.unit}",
                format_agorot(line.unit_price_agorot),
                f"{line.discount_bp / 100:g}%" if line.discount_bp else "",
                format_agorot(line.net_agorot),
            ]
            _row(pdf, right, width, cols, values)
        pdf.ln(3)

    # Totals.
    pdf.set_font("dejavu", "", 10)
    totals = []
    if doc_type != DocType.RECEIPT:
        totals += [
            ('סה"כ לפני מע"מ', document.subtotal_agorot),
            (f'מע"מ {document.vat_rate_bp / 100:g}%', document.vat_agorot),
        ]
    totals.append(
        ('סה"כ לתשלום' if doc_type != DocType.RECEIPT else 'סה"כ התקבל', document.total_agorot)
    )
    for label, amount in totals:
        pdf.set_x(pdf.l_margin)
        pdf.cell(40, 7, f"{format_agorot(amount)} ₪", border=1, align="L")
        pdf.cell(50, 7, label, border=1, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    if payments:
        pdf.ln(4)
        pdf.set_font("dejavu", "B", 10)
        pdf.cell(width, 7, "פרטי תשלום", align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("dejavu", "", 9)
        for p in payments:
            text = f"{p.method}: {format_agorot(p.amount_agorot)} ₪ {p.details}".strip()
            pdf.cell(width, 6, text, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if document.notes:
        pdf.ln(4)
        pdf.multi_cell(width, 5, f"הערות: {document.notes}", align="R")
    return bytes(pdf.output())


def _row(pdf: FPDF, x: float, width: float, cols, values, *, fill: bool = False) -> None:
    """One table row; the first column is the rightmost."""
    y = pdf.get_y()
    pos = x + width
    for (_, w), value in zip(cols, values, strict=True):
        pos -= w
        pdf.set_xy(pos, y)
        pdf.cell(w, 7, value, border=1, align="R", fill=fill)
    pdf.set_xy(x, y + 7)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
