"""A3: Idempotency-Key, rate limits, request size, CORS, OpenAPI."""

from __future__ import annotations

import uuid

from crm_gateway.access.routes import api_routes

from .conftest import CONFIG_KEY, bearer, build_app, created, sign_up

CFG = bearer(CONFIG_KEY)


async def test_a3_idempotency_replay_returns_first_result(client):
    key = str(uuid.uuid4())
    before = len(created)
    first = await client.post(
        "/v1/probe/leads", json={"name": "דנה"}, headers={**CFG, "Idempotency-Key": key}
    )
    again = await client.post(
        "/v1/probe/leads", json={"name": "דנה"}, headers={**CFG, "Idempotency-Key": key}
    )
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(created) == before + 1  # the route ran once


async def test_a3_idempotency_same_key_other_body_is_422(client):
    key = str(uuid.uuid4())
    ok = await client.post(
        "/v1/probe/leads", json={"name": "a"}, headers={**CFG, "Idempotency-Key": key}
    )
    assert ok.status_code == 201
    before = len(created)
    other = await client.post(
        "/v1/probe/leads", json={"name": "b"}, headers={**CFG, "Idempotency-Key": key}
    )
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["type"] == "urn:problem:crm:idempotency-key-reused"
    assert len(created) == before


async def test_a3_idempotency_keys_are_per_credential(client):
    """The same key from another tenant is another request."""
    tenant = await sign_up(client)
    key = str(uuid.uuid4())
    a = await client.post("/v1/probe/leads", json={"x": 1}, headers={**CFG, "Idempotency-Key": key})
    b = await client.post(
        "/v1/probe/leads", json={"x": 1}, headers={**tenant["admin"], "Idempotency-Key": key}
    )
    assert a.status_code == b.status_code == 201
    assert a.json()["n"] != b.json()["n"]
    assert "idempotent-replayed" not in b.headers


async def test_a3_idempotency_key_too_long_is_422(client):
    r = await client.post("/v1/probe/leads", json={}, headers={**CFG, "Idempotency-Key": "k" * 300})
    assert r.status_code == 422
    assert r.json()["type"] == "urn:problem:crm:invalid-idempotency-key"


async def test_a3_rate_limit_headers_and_429_with_retry_after(make_client):
    async with make_client(rate_limit_per_key=3, rate_limit_per_tenant=100) as c:
        seen = []
        for _ in range(3):
            r = await c.get("/v1/probe/metadata", headers=CFG)
            assert r.status_code == 200
            seen.append(int(r.headers["ratelimit-remaining"]))
            assert r.headers["ratelimit-limit"] == "3"
            assert r.headers["ratelimit-policy"] == "3;w=60"
        assert seen == [2, 1, 0]
        r = await c.get("/v1/probe/metadata", headers=CFG)
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) >= 1
        assert r.json()["type"] == "urn:problem:crm:rate-limited"


async def test_a3_tenant_rate_limit_spans_the_tenants_credentials(make_client):
    async with make_client(rate_limit_per_key=100, rate_limit_per_tenant=2) as c:
        tenant = await sign_up(c)
        assert (await c.get("/v1/auth/me", headers=tenant["admin"])).status_code == 200
        # A second credential of the same tenant shares the tenant's bucket.
        key = await c.post(
            "/v1/api-keys", headers=tenant["admin"], json={"name": "k", "scopes": ["leads:read"]}
        )
        assert key.status_code == 201  # second request of the tenant
        r = await c.get("/v1/auth/me", headers=bearer(key.json()["key"]))
        assert r.status_code == 429


async def test_a3_anonymous_requests_limited_per_client_ip(make_client):
    async with make_client(rate_limit_anonymous=2) as c:
        codes = [
            (
                await c.post(
                    "/v1/auth/login", json={"tenant": "nope", "email": "a@b.co", "password": "x"}
                )
            ).status_code
            for _ in range(3)
        ]
        assert codes == [401, 401, 429]


async def test_a3_request_body_over_limit_is_413(make_client):
    async with make_client(max_body_bytes=2048) as c:
        big = {"name": "x" * 4000}
        r = await c.post("/v1/probe/leads", json=big, headers=CFG)
        assert r.status_code == 413
        assert r.headers["content-type"] == "application/problem+json"
        small = await c.post("/v1/probe/leads", json={"name": "x"}, headers=CFG)
        assert small.status_code == 201


async def test_a3_cors_configured_by_settings(make_client):
    async with make_client(cors_origins="https://app.example.co.il") as c:
        pre = await c.options(
            "/v1/probe/leads",
            headers={
                "Origin": "https://app.example.co.il",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "Authorization, Idempotency-Key",
            },
        )
        assert pre.status_code == 200
        assert pre.headers["access-control-allow-origin"] == "https://app.example.co.il"
        other = await c.options(
            "/v1/probe/leads",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in other.headers
        r = await c.get(
            "/v1/probe/metadata", headers={**CFG, "Origin": "https://app.example.co.il"}
        )
        assert "RateLimit-Remaining" in r.headers["access-control-expose-headers"]


def test_a3_openapi_documents_every_route(gateway_url):
    app = build_app(gateway_url)
    spec = app.openapi()
    routes = [r for r in api_routes(app) if r.route.include_in_schema]
    assert len(routes) > 20
    assert "Problem" in spec["components"]["schemas"]
    for r in routes:
        op = spec["paths"][r.path][r.method.lower()]
        assert op.get("summary"), (r.method, r.path)
        responses = op["responses"]
        for code in ("422", "429"):
            assert "application/problem+json" in responses[code]["content"], (r.path, code)
        if r.method == "POST":
            assert any(p["name"] == "Idempotency-Key" for p in op["parameters"])
    assert spec["security"] == [{"bearer": []}]
    assert spec["paths"]["/v1/auth/login"]["post"]["security"] == []
