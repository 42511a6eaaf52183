"""A2: every route refuses callers without credentials or permission; other tenants' records
are 404 (not 403); only routes under the public prefixes are reachable anonymously."""

from __future__ import annotations

import re
import uuid

import pytest

from crm_gateway.access.routes import api_routes

from .conftest import add_user, build_app, sign_up

PUBLIC_PREFIXES = (
    "/v1/auth/",
    "/v1/tenants",
    "/v1/webhooks/",
    "/v1/hooks/",
    "/v1/public/",
    "/v1/unsubscribe/",
    "/v1/portal/",
)
# Routes that authenticate inside the handler (``await principal(request)``): the
# static check cannot see it; the sweep below proves they refuse.
HANDLER_AUTH = {("GET", "/v1/messaging/screen-pops/stream")}


def _url(path: str) -> str:
    return re.sub(r"\{[^}:]+(:[^}]+)?\}", lambda _: str(uuid.uuid4()), path)


@pytest.fixture(scope="module")
def routes(gateway_url):
    return [r for r in api_routes(build_app(gateway_url)) if not r.path.startswith("/v1/probe")]


def test_a2_only_public_prefixes_skip_authentication(routes):
    open_routes = [(r.method, r.path) for r in routes if not r.authenticated]
    stray = [r for r in open_routes if not r[1].startswith(PUBLIC_PREFIXES)]
    assert set(stray) <= HANDLER_AUTH, "routes without authentication outside the public prefixes"
    assert len(routes) - len(open_routes) > 20


async def test_a2_every_route_refuses_anonymous_and_unpermitted_callers(client, routes):
    t = await sign_up(client)
    nobody_role = await client.post(
        "/v1/roles",
        headers=t["admin"],
        json={"key": "nobody", "name": "ללא הרשאות", "permissions": {}},
    )
    assert nobody_role.status_code == 201
    nobody = await add_user(client, t, ["nobody"])
    checked = 0
    for r in routes:
        if r.path.startswith(PUBLIC_PREFIXES):
            continue
        url = _url(r.path)
        anon = await client.request(r.method, url, json={})
        assert anon.status_code == 401, (r.method, r.path, anon.text)
        denied = await client.request(r.method, url, json={}, headers=nobody["auth"])
        assert denied.status_code == 403, (r.method, r.path, denied.status_code, denied.text)
        assert denied.headers["content-type"] == "application/problem+json"
        checked += 1
    assert checked > 20


async def test_a2_other_tenants_records_are_not_found(client):
    a = await sign_up(client)
    b = await sign_up(client)
    rep = await add_user(client, a, ["sales_rep"])
    key = (
        await client.post("/v1/api-keys", headers=a["admin"], json={"name": "k", "scopes": ["*"]})
    ).json()
    role = next(
        r
        for r in (await client.get("/v1/roles", headers=a["admin"])).json()
        if r["key"] == "marketing"
    )
    attempts = [
        ("GET", f"/v1/users/{rep['id']}", None),
        ("PATCH", f"/v1/users/{rep['id']}", {"name": "stolen"}),
        ("DELETE", f"/v1/api-keys/{key['id']}", None),
        ("PUT", f"/v1/roles/{role['id']}", {"key": "marketing", "name": "x", "permissions": {}}),
    ]
    for method, url, body in attempts:
        r = await client.request(method, url, json=body, headers=b["admin"])
        assert r.status_code == 404, (method, url, r.status_code)
    # Nothing changed in tenant A.
    again = await client.get(f"/v1/users/{rep['id']}", headers=a["admin"])
    assert again.json()["name"] == rep["name"]
    assert (
        await client.get("/v1/auth/me", headers={"Authorization": f"Bearer {key['key']}"})
    ).status_code == 200
    # B's listings show none of A's users.
    listed = (await client.get("/v1/users", headers=b["admin"])).json()["items"]
    assert rep["id"] not in {u["id"] for u in listed}


async def test_a2_a_token_cannot_be_pointed_at_another_tenant(client):
    """The tenant comes from the verified credential only, never from the request."""
    a = await sign_up(client)
    b = await sign_up(client)
    md = (
        await client.get(
            "/v1/probe/metadata", headers={**a["admin"], "x-tenant-id": b["tenant_id"]}
        )
    ).json()
    assert md["metadata"]["x-tenant-id"] == a["tenant_id"]
