"""A2: every route refuses callers without credentials or permission; other tenants' records
are 404 (not 403); only routes under the public prefixes are reachable anonymously.

The route list comes from the app's OpenAPI, so a new route is covered without editing
this file, and a route that declares no permission (none given, none derivable) fails."""

from __future__ import annotations

import re
import uuid

import pytest

from crm_gateway.access.model import MODULES
from crm_gateway.access.routes import PERMISSION_KEY, PUBLIC_PREFIXES, SELF, api_routes
from crm_gateway.app import create_app

from .conftest import add_user, build_app, settings_for, sign_up

METHODS = ("get", "post", "put", "patch", "delete")
# Routes that authenticate inside the handler (``await principal(request)``): the
# static check cannot see it; the sweep below proves they refuse.
HANDLER_AUTH = {("GET", "/v1/messaging/screen-pops/stream")}


def _url(path: str) -> str:
    return re.sub(r"\{[^}:]+(:[^}]+)?\}", lambda _: str(uuid.uuid4()), path)


def operations(schema: dict) -> list[tuple[str, str, dict]]:
    """(METHOD, path, operation) of every /v1 operation the OpenAPI documents."""
    return [
        (method.upper(), path, op)
        for path, ops in schema["paths"].items()
        if path.startswith("/v1/")
        for method, op in ops.items()
        if method in METHODS
    ]


def undeclared(schema: dict) -> list[tuple[str, str, str | None]]:
    """Operations that are neither public nor need a permission of a known module."""
    bad = []
    for method, path, op in operations(schema):
        if op.get("security") == [] and path.startswith(PUBLIC_PREFIXES):
            continue
        perm = op.get(PERMISSION_KEY)
        module, _, action = (perm or "").partition(":")
        if perm != SELF and (module not in MODULES or not action):
            bad.append((method, path, perm))
    return bad


@pytest.fixture(scope="module")
def routes(gateway_url):
    return [r for r in api_routes(build_app(gateway_url)) if not r.path.startswith("/v1/probe")]


def test_a2_every_route_declares_its_permission_in_the_openapi(gateway_url):
    """A route that no module claims and that declares nothing fails here."""
    real = create_app(settings_for(gateway_url)).openapi()
    assert len(operations(real)) > 100
    assert undeclared(real) == []
    # The check can fail: the probe app mounts a route no module claims.
    probed = build_app(gateway_url).openapi()
    assert undeclared(probed) == [("GET", "/v1/unclaimed-module", "?:read")]


def test_a2_only_public_prefixes_skip_authentication(routes):
    open_routes = [(r.method, r.path) for r in routes if not r.authenticated]
    stray = [r for r in open_routes if not r[1].startswith(PUBLIC_PREFIXES)]
    assert set(stray) <= HANDLER_AUTH, "routes without authentication outside the public prefixes"
    assert len(routes) - len(open_routes) > 20


async def test_a2_every_route_refuses_anonymous_and_unpermitted_callers(client, gateway_url):
    t = await sign_up(client)
    nobody_role = await client.post(
        "/v1/roles",
        headers=t["admin"],
        json={"key": "nobody", "name": "ללא הרשאות", "permissions": {}},
    )
    assert nobody_role.status_code == 201
    nobody = await add_user(client, t, ["nobody"])
    checked = 0
    schema = build_app(gateway_url).openapi()
    for method, path, op in operations(schema):
        if path.startswith(PUBLIC_PREFIXES) or path.startswith("/v1/probe"):
            continue
        url = _url(path)
        anon = await client.request(method, url, json={})
        assert anon.status_code == 401, (method, path, anon.text)
        denied = await client.request(method, url, json={}, headers=nobody["auth"])
        assert denied.status_code == 403, (method, path, denied.status_code, denied.text)
        assert denied.headers["content-type"] == "application/problem+json"
        assert op[PERMISSION_KEY] in denied.json()["detail"]
        checked += 1
    assert checked > 100


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
