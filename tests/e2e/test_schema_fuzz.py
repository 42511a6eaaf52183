"""A3 proof: schema fuzzing of the whole gateway with schemathesis against the running stack.

The schema is the live ``/openapi.json`` of the e2e stack; every operation gets a bounded
number of generated requests (deterministic: ``derandomize``), sent as a fresh tenant's
admin key. Checks: no 5xx, and every answer is documented (status code, content type,
body schema). A 429 is waited out (``Retry-After``) and the request sent again, so the
per-key rate limit paces the run instead of hiding answers.
"""

from __future__ import annotations

import time

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .test_portal import _customer, shop  # noqa: F401  (the portal tenant fixture)

pytestmark = pytest.mark.e2e

EXAMPLES = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Never ends (server-sent events); its authorisation is covered by the access suites.
SKIP = {("GET", "/v1/messaging/screen-pops/stream")}
# Each call hashes a password (argon2id): fewer examples.
SLOW = {("POST", "/v1/tenants"), ("POST", "/v1/auth/login"), ("POST", "/v1/users")}


def _send(case, base_url: str, headers: dict[str, str]):
    for _ in range(5):
        resp = case.call(base_url=base_url, headers=headers, timeout=30)
        if resp.status_code != 429:
            return resp
        time.sleep(min(float(resp.headers.get("retry-after", ["1"])[0]), 10.0))
    return resp


def fuzz_operation(op, base_url: str, headers: dict[str, str], examples: int) -> list[str]:
    failures: list[str] = []

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(op.as_strategy())
    def run(case) -> None:
        if failures:
            return  # one finding per operation is enough to report
        resp = _send(case, base_url, headers)
        try:
            case.validate_response(resp, checks=CHECKS, headers=headers)
        except (AssertionError, BaseExceptionGroup) as exc:  # the failed checks
            failures.append(
                f"{op.method.upper()} {op.path} -> {resp.status_code}: "
                f"{str(exc).strip()[:600]}\n  request: {case.as_curl_command(headers)[:600]}"
            )

    run()
    return failures


def test_a3_schema_fuzz_every_operation_no_5xx_and_answers_match_the_openapi(stack, api):
    """A3: schemathesis over every operation of the live OpenAPI, as a fresh tenant."""
    schema = schemathesis.openapi.from_url(f"{stack.gateway_url}/openapi.json")
    headers = {"Authorization": api.headers["Authorization"]}
    findings: list[str] = []
    fuzzed = 0
    for result in schema.get_all_operations():
        op = result.ok()
        key = (op.method.upper(), op.path)
        if key in SKIP or op.path.startswith("/portal/"):
            continue
        findings += fuzz_operation(op, stack.gateway_url, headers, 2 if key in SLOW else EXAMPLES)
        fuzzed += 1
    assert fuzzed > 100
    assert findings == [], "\n\n".join(findings)


def test_a4_schema_fuzz_portal_operations_as_a_customer(stack, shop):  # noqa: F811
    """A3/A4: the customer-portal operations fuzzed with a customer's portal token."""
    customer = _customer(shop, "מרים", "fuzz-customer@example.co.il")
    schema = schemathesis.openapi.from_url(f"{stack.gateway_url}/openapi.json")
    headers = {"Authorization": customer.headers["Authorization"]}
    findings: list[str] = []
    fuzzed = 0
    for result in schema.get_all_operations():
        op = result.ok()
        if not op.path.startswith("/portal/v1/"):
            continue
        slow = op.path.startswith("/portal/v1/auth/")
        findings += fuzz_operation(op, stack.gateway_url, headers, 2 if slow else EXAMPLES)
        fuzzed += 1
    assert fuzzed >= 9
    assert findings == [], "\n\n".join(findings)
