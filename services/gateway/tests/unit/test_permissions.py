"""A1: route permissions derived from path and method; grants merged from roles."""

from __future__ import annotations

import pytest

from crm_gateway.access.model import DEFAULT_ROLES, Grants, validate_scopes
from crm_gateway.access.routes import Permission, derive
from crm_gateway.ratelimit import RateLimiter


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/v1/leads", ("leads", "read")),
        ("POST", "/v1/leads", ("leads", "create")),
        ("POST", "/v1/leads/{lead_id}:convert", ("leads", "update")),
        ("DELETE", "/v1/fields/{field_id}", ("contacts", "delete")),
        ("GET", "/v1/tasks/{task_id}", ("contacts", "read")),
        ("POST", "/v1/cards/search", ("contacts", "read")),
        ("GET", "/v1/leads/export", ("leads", "export")),
        ("PUT", "/v1/orders/{id}/status", ("billing", "change_order_status")),
        ("POST", "/v1/billing/payments/{id}/status", ("billing", "change_payment_status")),
        ("POST", "/v1/billing/invoices", ("billing", "issue_invoice")),
        ("GET", "/v1/billing/customers/{party_id}/ledger", ("billing", "read_ledger")),
        ("GET", "/v1/reports/leads-by-source", ("reporting", "read")),
        ("GET", "/v1/something-new", (None, "read")),
    ],
)
def test_a1_route_permission_is_derived(method, path, expected):
    assert derive(path, method) == Permission(*expected)


def test_a1_roles_merge_widest_scope_and_mildest_field_rule():
    rep = DEFAULT_ROLES["sales_rep"][1]
    svc = DEFAULT_ROLES["service"][1]
    g = Grants.from_roles([rep, svc])
    assert g.allows("leads", "read")  # from the rep role
    assert g.scope("contacts") == "all"  # service's scope wins over "own"
    # cost_price is hidden by both roles; ledger only by the rep's billing rule.
    assert g.field_rules("billing") == {"cost_price": "hidden"}
    assert not g.allows("billing", "change_order_status")
    assert not g.allows(None, "read")


def test_a1_seed_defaults():
    """Seeds 000/001/003: rep sees orders but cannot change their status; service no leads."""
    rep = Grants.from_roles([DEFAULT_ROLES["sales_rep"][1]])
    assert rep.allows("billing", "read") and not rep.allows("billing", "change_payment_status")
    assert not rep.allows("billing", "read_ledger")
    assert rep.scope("contacts") == "own"  # own tasks only
    svc = Grants.from_roles([DEFAULT_ROLES["service"][1]])
    assert svc.allows("billing", "read") and not svc.allows("leads", "read")
    acc = Grants.from_roles([DEFAULT_ROLES["accounting"][1]])
    assert acc.allows("billing", "change_payment_status") and acc.allows("billing", "issue_invoice")
    admin = Grants.from_roles([DEFAULT_ROLES["admin"][1]])
    assert admin.superuser and admin.allows(None, "delete")


def test_a1_scopes_validated():
    assert validate_scopes(["*", "leads:*", "billing:issue_invoice"])
    for bad in (["leads"], ["nope:read"], ["leads:fly"]):
        with pytest.raises(ValueError):
            validate_scopes(bad)
    g = Grants.from_scopes(["leads:*"])
    assert g.allows("leads", "export") and not g.allows("contacts", "read")


def test_a3_token_bucket_refills_over_the_window():
    lim = RateLimiter(window_s=60)
    assert [lim.hit("k", 2, now=0.0).allowed for _ in range(3)] == [True, True, False]
    denied = lim.hit("k", 2, now=0.0)
    assert denied.retry_after_s == 30  # one token per 30 s at 2/min
    assert lim.hit("k", 2, now=30.0).allowed
