"""C1/A1: per-process caches that cut the gateway's CPU per request (docs/gateway.md,
performance) answer exactly what the uncached work would."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import jwt
import opentelemetry.instrumentation.fastapi as otel_fastapi
import pytest

from crm_gateway import auth as auth_module
from crm_gateway.app import _cached_span_details, create_app
from crm_gateway.auth import Authenticator
from crm_gateway.identity.secrets import AccessClaims, Keyring
from crm_gateway.problems import ProblemException
from crm_gateway.settings import GatewaySettings

KEYS = {"k1": "unit-test-signing-key-" + "x" * 32}


def _authenticator() -> tuple[Authenticator, Keyring, list[str]]:
    settings = GatewaySettings(jwt_keys=json.dumps(KEYS), jwt_active_kid="k1")
    keyring = Keyring(KEYS, "k1", settings.jwt_issuer, 900)
    authenticator = Authenticator(settings, None, keyring)
    verified: list[str] = []
    real = keyring.verify

    def counting(token: str) -> AccessClaims:
        verified.append(token)
        return real(token)

    keyring.verify = counting  # type: ignore[method-assign]
    return authenticator, keyring, verified


def _claims() -> AccessClaims:
    return AccessClaims(
        tenant_id=uuid.uuid4(), user_id=uuid.uuid4(), name="דנה", team_id=None, roles=("admin",)
    )


async def test_a1_access_token_is_verified_once_then_served_from_the_cache():
    authenticator, keyring, verified = _authenticator()
    claims = _claims()
    token, _ = keyring.issue(claims)
    first = await authenticator.authenticate(token)
    second = await authenticator.authenticate(token)
    assert first.user_id == second.user_id == claims.user_id
    assert first.tenant_id == claims.tenant_id and first.kind == "user"
    assert verified == [token]  # the second request did not check the signature again


async def test_a1_cached_token_is_checked_again_once_its_exp_has_passed(monkeypatch):
    authenticator, keyring, verified = _authenticator()
    token, _ = keyring.issue(_claims())
    await authenticator.authenticate(token)
    exp = jwt.decode(token, options={"verify_signature": False})["exp"]
    # The cache's clock reaches exp: the entry is dropped and the token verified anew.
    monkeypatch.setattr(auth_module.time, "time", lambda: float(exp))
    await authenticator.authenticate(token)
    assert verified == [token, token]


async def test_a1_expired_or_tampered_tokens_are_refused_even_beside_a_cached_one():
    authenticator, keyring, _ = _authenticator()
    claims = _claims()
    token, _ = keyring.issue(claims)
    await authenticator.authenticate(token)  # cached
    head, payload, sig = token.split(".")
    tampered = f"{head}.{payload}.{sig[:-2]}{'AA' if sig[-2:] != 'AA' else 'BB'}"
    with pytest.raises(ProblemException) as err:
        await authenticator.authenticate(tampered)
    assert err.value.status_code == 401
    past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    expired = jwt.encode(
        {
            "iss": keyring.issuer,
            "sub": str(claims.user_id),
            "tid": str(claims.tenant_id),
            "iat": past - dt.timedelta(minutes=15),
            "exp": past,
        },
        KEYS["k1"],
        algorithm="HS256",
        headers={"kid": "k1"},
    )
    for _ in range(2):  # a refused token is never cached
        with pytest.raises(ProblemException) as err:
            await authenticator.authenticate(expired)
        assert err.value.status_code == 401 and "expired" in str(err.value.detail)
    assert expired not in authenticator._tokens and tampered not in authenticator._tokens


async def test_a1_role_grants_are_reused_until_the_role_table_changes():
    """Grants merged from a token's roles are kept while the role cache serves the same
    table; an edited role (``forget`` + reload: a new table) gives the new grants at once."""
    import time

    from crm_gateway.auth import RoleCache

    authenticator, keyring, _ = _authenticator()
    claims = AccessClaims(
        tenant_id=uuid.uuid4(), user_id=uuid.uuid4(), name="t", team_id=None, roles=("tech",)
    )
    token, _ = keyring.issue(claims)
    roles = RoleCache(None, ttl=3600)  # type: ignore[arg-type]
    authenticator.role_cache = roles
    roles._cache[claims.tenant_id] = (
        time.monotonic(),
        {"tech": {"billing": {"actions": ["read"], "scope": "own"}}},
    )
    first = await authenticator.authenticate(token)
    second = await authenticator.authenticate(token)
    assert first.grants is second.grants
    assert first.grants.allows("billing", "read") and not first.grants.allows("leads", "read")
    roles.forget(claims.tenant_id)  # what PUT /v1/roles/{id} does, then the reload
    roles._cache[claims.tenant_id] = (
        time.monotonic(),
        {"tech": {"leads": {"actions": ["read"], "scope": "team"}}},
    )
    edited = await authenticator.authenticate(token)
    assert edited.grants.allows("leads", "read") and not edited.grants.allows("billing", "read")


def _scope(app, path: str, method: str = "GET") -> dict:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "root_path": "",
        "app": app,
        "headers": [],
        "query_string": b"",
    }


def test_c1_cached_span_names_match_the_instrumentations_own():
    app = create_app(GatewaySettings())
    cached = otel_fastapi._get_default_span_details
    original = cached.__wrapped__
    lead_id = str(uuid.uuid4())
    for path, method in [
        ("/v1/cards/lookup", "GET"),
        ("/v1/leads", "POST"),
        ("/v1/leads", "GET"),
        (f"/v1/leads/{lead_id}", "GET"),
        ("/v1/no-such-route", "GET"),
        ("/healthz", "GET"),
    ]:
        for _ in range(2):  # miss, then hit
            assert cached(_scope(app, path, method)) == original(_scope(app, path, method))
    assert cached(_scope(app, "/v1/cards/lookup"))[0] == "GET /v1/cards/lookup"
    assert cached(_scope(app, f"/v1/leads/{lead_id}"))[1]["http.route"] == "/v1/leads/{lead_id}"


def test_c1_span_details_cache_is_per_app_and_bounded(monkeypatch):
    calls: list[tuple[object, str]] = []

    def original(scope):
        calls.append((scope["app"], scope["path"]))
        return f"{scope['method']} {scope['path']}", {"http.route": scope["path"]}

    class App:  # weakly referenced, like a FastAPI app
        pass

    monkeypatch.setattr("crm_gateway.app._SPAN_DETAILS_MAX", 3)
    details = _cached_span_details(original)
    a, b = App(), App()
    assert details(_scope(a, "/x")) == ("GET /x", {"http.route": "/x"})
    details(_scope(a, "/x"))[1]["mutated"] = "yes"  # callers get their own attributes
    assert details(_scope(a, "/x")) == ("GET /x", {"http.route": "/x"})
    details(_scope(b, "/x"))  # another app: its own routes, its own answer
    details(_scope(a, "/x", "POST"))
    assert calls == [(a, "/x"), (b, "/x"), (a, "/x")]
    for i in range(5):  # full: cleared, not grown
        details(_scope(a, f"/leads/{i}"))
    details(_scope(a, "/x"))
    assert calls[-1] == (a, "/x")


@pytest.mark.parametrize("workers", [1, 3])
def test_c1_serve_runs_the_configured_number_of_worker_processes(monkeypatch, workers):
    """``CRM_GATEWAY_WORKERS`` > 1: uvicorn forks that many processes, each building its
    app (and its telemetry) through ``worker_app``; 1 (the default): the app in-process."""
    import uvicorn
    from fastapi import FastAPI

    from crm_gateway import main as gateway_main

    runs: list[tuple[object, dict]] = []
    telemetry: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: runs.append((app, kw)))
    # The process-wide tracer provider of this test session stays as it is.
    monkeypatch.setattr(gateway_main, "setup_telemetry", lambda name, _: telemetry.append(name))
    monkeypatch.setattr(gateway_main, "shutdown_telemetry", lambda: None)
    monkeypatch.setenv("CRM_GATEWAY_WORKERS", str(workers))
    monkeypatch.setenv("CRM_GATEWAY_PORT", "18089")
    assert gateway_main.main(["serve"]) == 0
    [(app, options)] = runs
    assert options["port"] == 18089 and options["proxy_headers"] is False
    if workers == 1:
        assert isinstance(app, FastAPI) and "workers" not in options
    else:
        assert app == "crm_gateway.main:worker_app"
        assert options["factory"] is True and options["workers"] == workers
        module, _, name = app.partition(":")
        assert isinstance(getattr(__import__(module, fromlist=[name]), name)(), FastAPI)
        assert telemetry == ["crm-gateway", "crm-gateway"]  # the parent's, the worker's
