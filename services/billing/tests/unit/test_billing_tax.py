"""B3 money rules without a database: rounding, discounts, VAT by date, ID check digits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from crm_billing.documents.tax import (
    combine_discounts,
    document_totals,
    effective,
    format_agorot,
    line_net,
    valid_israeli_id,
)


@pytest.mark.parametrize(
    ("qty", "price", "discount", "net"),
    [
        ("1", 100, 0, 100),
        ("3", 3_333, 1000, 8_999),  # 8999.1 -> 8999
        ("1.5", 1_001, 0, 1_502),  # 1501.5 -> 1502 (half up)
        ("0.333", 100, 0, 33),  # 33.3 -> 33
        ("2", 125, 5000, 125),
        ("1", 1, 5000, 1),  # 0.5 -> 1 (half up, not banker's)
    ],
)
def test_b3_line_net_rounds_half_up_to_the_agorah(qty, price, discount, net):
    assert line_net(Decimal(qty), price, discount) == net


def test_b3_vat_is_computed_once_per_document_on_the_standard_sum():
    # three lines of 0.05 VAT each would be 0.15 when rounded per line; per document 0.16
    lines = [(29, "standard"), (29, "standard"), (29, "standard"), (1000, "exempt")]
    t = document_totals(lines, 1800)
    assert (t.subtotal_agorot, t.vat_agorot, t.total_agorot) == (1087, 16, 1103)


def test_b3_zero_rated_and_exempt_lines_carry_no_vat():
    t = document_totals([(500, "zero_rated"), (500, "exempt")], 1800)
    assert (t.vat_agorot, t.total_agorot) == (0, 1000)


def test_b1_successive_discounts_combine():
    assert combine_discounts(1000, 500) == 1450
    assert combine_discounts(0, 0) == 0
    assert combine_discounts(10_000) == 10_000


def test_b3_the_row_in_force_is_the_latest_on_or_before_the_date():
    rows = [(dt.date(2015, 10, 1), 1700), (dt.date(2025, 1, 1), 1800)]
    assert effective(rows, dt.date(2024, 12, 31)) == 1700
    assert effective(rows, dt.date(2025, 1, 1)) == 1800
    assert effective(rows, dt.date(2010, 1, 1)) is None


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("516179157", True),
        ("514713288", True),
        ("000000018", True),
        ("123456789", False),
        ("12345678a", False),
        ("", False),
    ],
)
def test_b3_israeli_company_number_check_digit(value, valid):
    assert valid_israeli_id(value) is valid


def test_b3_amounts_print_with_thousands_and_two_decimals():
    assert format_agorot(123456789) == "1,234,567.89"
    assert format_agorot(-5) == "-0.05"
