"""Money arithmetic of Israeli tax documents. Integer agorot only; rules in docs/billing.md.

Rounding (stated once, tested in tests/unit/test_billing_tax.py):
* a line's net = quantity x unit price x (1 - discount), rounded half up to the agorah;
* VAT is computed once per document on the sum of the nets of its standard-rated lines,
  rounded half up to the agorah (not per line, so lines never drift from the total);
* exempt and zero-rated lines carry no VAT; total = subtotal + VAT.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from crm_billing.catalog.models import VatCategory

BP = 10_000  # basis points in one


def round_agorot(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def line_net(quantity: Decimal, unit_price_agorot: int, discount_bp: int) -> int:
    return round_agorot(quantity * unit_price_agorot * (BP - discount_bp) / BP)


def combine_discounts(*discounts_bp: int) -> int:
    """Successive discounts: 10% then 5% is 14.5% (1450 bp), rounded half up to a bp."""
    remaining = Decimal(1)
    for d in discounts_bp:
        remaining *= Decimal(BP - d) / BP
    return round_agorot((1 - remaining) * BP)


@dataclass(frozen=True, slots=True)
class Totals:
    subtotal_agorot: int
    vat_agorot: int
    total_agorot: int


def document_totals(lines: Iterable[tuple[int, str]], vat_rate_bp: int) -> Totals:
    """``lines`` are (net agorot, VAT category) pairs."""
    subtotal = 0
    taxable = 0
    for net, category in lines:
        subtotal += net
        if category == VatCategory.STANDARD:
            taxable += net
    vat = round_agorot(Decimal(taxable) * vat_rate_bp / BP)
    return Totals(subtotal, vat, subtotal + vat)


def effective(rows: Iterable[tuple[dt.date, int]], on: dt.date) -> int | None:
    """The value of the row with the latest effective date on or before ``on``."""
    best: tuple[dt.date, int] | None = None
    for since, value in rows:
        if since <= on and (best is None or since > best[0]):
            best = (since, value)
    return None if best is None else best[1]


def valid_israeli_id(value: str) -> bool:
    """Check digit of an Israeli ID / company number (9 digits, Luhn-like weights 1,2)."""
    if not value.isdigit() or not 5 <= len(value) <= 9:
        return False
    digits = value.zfill(9)
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (1 + i % 2)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def format_agorot(value: int) -> str:
    sign = "-" if value < 0 else ""
    shekels, agorot = divmod(abs(value), 100)
    return f"{sign}{shekels:,}.{agorot:02d}"
