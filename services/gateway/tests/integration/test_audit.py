"""A5: every mutating request leaves an append-only audit record; admins query it."""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from crm_gateway.access.routes import api_routes
from crm_gateway.db import Database, audit_log

from .conftest import add_user, build_app, sign_up


async def test_a5_mutating_requests_are_audited_with_who_where_route_and_digest(client):
    t = await sign_up(client)
    rep = await add_user(client, t, ["sales_rep"])
    body = {"name": "דנה", "phone": "050-7654321"}
    raw = json.dumps(body).encode()
    ok = await client.post(
        "/v1/probe/leads",
        content=raw,
        headers={
            **rep["auth"],
            "content-type": "application/json",
            "Idempotency-Key": "k-1",
            "X-Request-Id": "req-42",
            "User-Agent": "pytest-a5",
        },
    )
    assert ok.status_code == 201
    denied = await client.post("/v1/orders/o1/probe-status", headers=rep["auth"])
    assert denied.status_code == 403
    read = await client.get("/v1/probe/metadata", headers=rep["auth"])
    assert read.status_code == 200
    page = await client.get("/v1/audit", headers=t["admin"], params={"user_id": rep["id"]})
    assert page.status_code == 200
    items = page.json()["items"]
    # Newest first; the GET is not audited; the denied attempt is.
    assert [(i["method"], i["route"], i["status"]) for i in items] == [
        ("POST", "/v1/orders/{order_id}/probe-status", 403),
        ("POST", "/v1/probe/leads", 201),
    ]
    created = items[1]
    assert created["actor_type"] == "user" and created["actor_id"] == f"user:{rep['id']}"
    assert created["client_ip"] == "203.0.113.7"
    assert created["user_agent"] == "pytest-a5"
    assert created["request_id"] == "req-42"
    assert created["idempotency_key"] == "k-1"
    assert created["body_digest"] == hashlib.sha256(raw).hexdigest()
    assert created["path"] == "/v1/probe/leads"


async def test_a5_audit_records_cannot_be_updated_or_deleted(client, gateway_url):
    t = await sign_up(client)
    assert (await client.post("/v1/teams", headers=t["admin"], json={"name": "a"})).is_success
    db = Database(gateway_url)
    tenant = uuid.UUID(t["tenant_id"])
    try:
        async with db.tx(tenant) as s:
            assert (
                await s.execute(sa.select(sa.func.count()).select_from(audit_log))
            ).scalar() >= 1
        for stmt in (
            sa.update(audit_log).values(status=200),
            sa.delete(audit_log),
            sa.text("TRUNCATE audit_log"),
        ):
            with pytest.raises(DBAPIError, match="append-only"):
                async with db.tx(tenant) as s:
                    await s.execute(stmt)
    finally:
        await db.close()


def test_a5_no_api_changes_audit_records(gateway_url):
    app = build_app(gateway_url)
    audit_ops = [(r.method, r.path) for r in api_routes(app) if r.path.startswith("/v1/audit")]
    # Reads only: the gateway's trail and the services' per-field trails (A5).
    assert sorted(audit_ops) == [("GET", "/v1/audit"), ("GET", "/v1/audit/records")]


async def test_a5_audit_is_per_tenant_and_admin_only(client):
    a = await sign_up(client)
    b = await sign_up(client)
    await client.post("/v1/teams", headers=a["admin"], json={"name": "only-a"})
    seen_by_b = (await client.get("/v1/audit", headers=b["admin"])).json()["items"]
    assert all(i["path"] != "/v1/teams" for i in seen_by_b)
    mgr = await add_user(client, a, ["sales_manager"])
    assert (await client.get("/v1/audit", headers=mgr["auth"])).status_code == 403


async def test_a5_audit_pages_with_a_cursor(client):
    t = await sign_up(client)
    for i in range(3):
        await client.post("/v1/teams", headers=t["admin"], json={"name": f"team {i}"})
    first = (
        await client.get(
            "/v1/audit", headers=t["admin"], params={"page_size": 2, "route": "/v1/teams"}
        )
    ).json()
    assert len(first["items"]) == 2 and first["next_page_token"]
    rest = (
        await client.get(
            "/v1/audit",
            headers=t["admin"],
            params={"page_size": 2, "route": "/v1/teams", "page_token": first["next_page_token"]},
        )
    ).json()
    assert len(rest["items"]) == 1 and rest["next_page_token"] is None


async def test_a5_a_crashed_mutating_request_is_audited_as_500(client):
    t = await sign_up(client)
    r = await client.post("/v1/probe/crash", json={"x": 1}, headers=t["admin"])
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    items = (
        await client.get("/v1/audit", headers=t["admin"], params={"route": "/v1/probe/crash"})
    ).json()["items"]
    assert [(i["method"], i["status"]) for i in items] == [("POST", 500)]
