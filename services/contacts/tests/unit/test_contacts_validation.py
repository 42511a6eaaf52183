"""Pure rules of the card and of automation: check digits, typed values, rule conditions."""

from __future__ import annotations

import pytest

from crm_contacts.card.validation import coerce_value, israeli_id_ok
from crm_contacts.tasks.rules import matches, render


@pytest.mark.parametrize("number", ["123456782", "000000018", "510000003", "39337423"])
def test_c1_valid_israeli_numbers_pass_the_check_digit(number):
    assert israeli_id_ok(number)


@pytest.mark.parametrize("number", ["123456789", "510000004", "12a456782", "1234", "1234567890"])
def test_c1_invalid_israeli_numbers_fail(number):
    assert not israeli_id_ok(number)


@pytest.mark.parametrize(
    ("type_", "value", "stored"),
    [
        ("number", 3.0, 3),
        ("number", 2.5, 2.5),
        ("money", 1250, 1250),
        ("date", "2026-01-02", "2026-01-02"),
        ("multi_select", ["c", "a", "c"], ["a", "c"]),
        ("checkbox", False, False),
        ("phone", "050-7654321", "+972507654321"),
        ("email", "A@B.co.il", "a@b.co.il"),
        ("url", "https://x.co.il/a", "https://x.co.il/a"),
    ],
)
def test_c2_values_are_stored_in_one_normal_form(type_, value, stored):
    assert coerce_value(type_, ["a", "b", "c"], value) == stored


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("number", True),
        ("money", 12.5),
        ("date", "02/01/2026"),
        ("select", "z"),
        ("checkbox", "yes"),
        ("url", "javascript:alert(1)"),
        ("text", 5),
    ],
)
def test_c2_values_of_the_wrong_type_are_refused(type_, value):
    with pytest.raises(ValueError):
        coerce_value(type_, ["a"], value)


def test_t4_conditions_all_must_hold():
    payload = {"amount_agorot": "450000", "source": "radio", "tags": ["vip"], "doc": {"n": 3}}
    assert matches([], payload)
    assert matches([{"path": "amount_agorot", "op": "gt", "value": 100000}], payload)
    assert matches([{"path": "doc.n", "op": "lt", "value": 4}], payload)
    assert matches([{"path": "source", "op": "in", "value": ["radio", "tv"]}], payload)
    assert matches([{"path": "tags", "op": "contains", "value": "vip"}], payload)
    assert not matches(
        [{"path": "source", "op": "eq", "value": "radio"}, {"path": "x", "op": "exists"}], payload
    )
    assert not matches([{"path": "source", "op": "gt", "value": 1}], payload)


def test_t4_templates_take_the_events_fields():
    assert render("חשבונית ל{title} ({doc.n}) {missing}", {"title": "מזגן", "doc": {"n": 3}}) == (
        "חשבונית למזגן (3) "
    )
