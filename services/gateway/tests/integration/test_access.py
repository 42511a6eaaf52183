"""A1: users, roles as data, login/lockout, tokens, API keys, route and field permissions."""

from __future__ import annotations

import datetime as dt
import uuid

import jwt
import sqlalchemy as sa

from crm_gateway.db import Database, api_keys, users

from .conftest import (
    CONFIG_KEY,
    CONFIG_TENANT,
    CONFIG_USER,
    JWT_KEYS,
    PASSWORD,
    SCOPED_KEY,
    add_user,
    bearer,
    sign_up,
)


async def test_a1_sign_up_creates_default_roles_and_an_admin(client):
    t = await sign_up(client)
    roles = await client.get("/v1/roles", headers=t["admin"])
    assert roles.status_code == 200
    assert {r["key"] for r in roles.json()} == {
        "admin",
        "sales_manager",
        "sales_rep",
        "service",
        "accounting",
        "marketing",
    }
    me = (await client.get("/v1/auth/me", headers=t["admin"])).json()
    assert me["roles"] == ["admin"] and me["tenant_id"] == t["tenant_id"]
    dup = await client.post(
        "/v1/tenants",
        json={
            "slug": t["slug"],
            "name": "x",
            "admin_email": "a@b.co.il",
            "admin_name": "x",
            "password": PASSWORD,
        },
    )
    assert dup.status_code == 409


async def test_a1_passwords_are_argon2_and_keys_stored_hashed(client, gateway_url):
    t = await sign_up(client)
    key = await client.post(
        "/v1/api-keys", headers=t["admin"], json={"name": "forms", "scopes": ["leads:create"]}
    )
    assert key.status_code == 201
    secret = key.json()["key"]
    db = Database(gateway_url)
    try:
        async with db.tx(uuid.UUID(t["tenant_id"])) as s:
            pw = (await s.execute(sa.select(users.c.password_hash))).scalar()
            stored = (await s.execute(sa.select(api_keys))).one()
    finally:
        await db.close()
    assert pw.startswith("$argon2id$") and PASSWORD not in pw
    assert secret.encode() not in stored.secret_hash
    assert list(stored.scopes) == ["leads:create"]


async def test_a1_login_locks_the_account_after_repeated_failures(client):
    t = await sign_up(client)
    user = await add_user(client, t, ["sales_rep"])
    creds = {"tenant": t["slug"], "email": user["email"]}
    for _ in range(3):  # login_max_failures=3 in the fixture
        r = await client.post("/v1/auth/login", json={**creds, "password": "wrong password!"})
        assert r.status_code == 401
    locked = await client.post("/v1/auth/login", json={**creds, "password": PASSWORD})
    assert locked.status_code == 423
    assert locked.json()["type"] == "urn:problem:crm:account-locked"
    unlock = await client.patch(
        f"/v1/users/{user['id']}", headers=t["admin"], json={"unlock": True}
    )
    assert unlock.status_code == 200
    ok = await client.post("/v1/auth/login", json={**creds, "password": PASSWORD})
    assert ok.status_code == 200


async def test_a1_unknown_tenant_or_email_is_the_same_401(client):
    t = await sign_up(client)
    a = await client.post(
        "/v1/auth/login", json={"tenant": "no-such", "email": "x@y.co", "password": PASSWORD}
    )
    b = await client.post(
        "/v1/auth/login", json={"tenant": t["slug"], "email": "x@y.co", "password": PASSWORD}
    )
    assert a.status_code == b.status_code == 401
    assert a.json()["detail"] == b.json()["detail"]


async def test_a1_refresh_rotates_and_reuse_revokes_the_login(client):
    t = await sign_up(client)
    first = t["tokens"]["refresh_token"]
    r1 = await client.post("/v1/auth/refresh", json={"refresh_token": first})
    assert r1.status_code == 200
    second = r1.json()["refresh_token"]
    assert second != first
    assert (await client.get("/v1/auth/me", headers=bearer(r1.json()["access_token"]))).is_success
    reused = await client.post("/v1/auth/refresh", json={"refresh_token": first})
    assert reused.status_code == 401
    assert reused.json()["type"] == "urn:problem:crm:token-reused"
    # The whole family is revoked: the newest token is dead too.
    after = await client.post("/v1/auth/refresh", json={"refresh_token": second})
    assert after.status_code == 401


async def test_a1_logout_revokes_the_refresh_token(client):
    t = await sign_up(client)
    token = t["tokens"]["refresh_token"]
    assert (await client.post("/v1/auth/logout", json={"refresh_token": token})).status_code == 204
    assert (await client.post("/v1/auth/refresh", json={"refresh_token": token})).status_code == 401


async def test_a1_signing_keys_rotate_old_kid_verifies_unknown_kid_refused(client):
    t = await sign_up(client)
    me = t["admin"]["Authorization"].split()[1]
    assert jwt.get_unverified_header(me)["kid"] == "k2"  # the active key signs
    claims = jwt.decode(me, options={"verify_signature": False})
    old = jwt.encode(claims, JWT_KEYS["k1"], algorithm="HS256", headers={"kid": "k1"})
    assert (await client.get("/v1/auth/me", headers=bearer(old))).status_code == 200
    forged = jwt.encode(claims, "c" * 40, algorithm="HS256", headers={"kid": "k9"})
    assert (await client.get("/v1/auth/me", headers=bearer(forged))).status_code == 401
    expired = jwt.encode(
        {**claims, "exp": dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)},
        JWT_KEYS["k2"],
        algorithm="HS256",
        headers={"kid": "k2"},
    )
    r = await client.get("/v1/auth/me", headers=bearer(expired))
    assert r.status_code == 401 and "expired" in r.json()["detail"]


async def test_a1_configured_api_key_keeps_full_access_and_scopes_limit(client):
    full = await client.get("/v1/probe/metadata", headers=bearer(CONFIG_KEY))
    assert full.status_code == 200
    md = full.json()["metadata"]
    assert md["x-tenant-id"] == str(CONFIG_TENANT) and md["x-user-id"] == str(CONFIG_USER)
    assert md["x-record-scope"] == "all"
    scoped_read = await client.get("/v1/probe/metadata", headers=bearer(SCOPED_KEY))
    assert scoped_read.status_code == 200
    scoped_write = await client.post("/v1/probe/leads", json={}, headers=bearer(SCOPED_KEY))
    assert scoped_write.status_code == 403
    assert scoped_write.json()["type"] == "urn:problem:crm:permission-denied"
    assert (await client.get("/v1/probe/metadata")).status_code == 401
    assert (
        await client.get("/v1/probe/metadata", headers=bearer("not-a-key-at-all-xyz"))
    ).status_code == 401


async def test_a1_stored_api_key_scopes_and_revocation(client):
    t = await sign_up(client)
    made = await client.post(
        "/v1/api-keys", headers=t["admin"], json={"name": "reader", "scopes": ["leads:read"]}
    )
    key = bearer(made.json()["key"])
    assert (await client.get("/v1/probe/metadata", headers=key)).status_code == 200
    assert (await client.post("/v1/probe/leads", json={}, headers=key)).status_code == 403
    bad = await client.post(
        "/v1/api-keys", headers=t["admin"], json={"name": "x", "scopes": ["leads:fly"]}
    )
    assert bad.status_code == 422
    gone = await client.delete(f"/v1/api-keys/{made.json()['id']}", headers=t["admin"])
    assert gone.status_code == 204
    assert (await client.get("/v1/probe/metadata", headers=key)).status_code == 401


async def test_a1_rep_cannot_change_order_status_accountant_can(client):
    """Seed 000: a rep sees orders but cannot change order or payment status."""
    t = await sign_up(client)
    rep = await add_user(client, t, ["sales_rep"])
    acc = await add_user(client, t, ["accounting"])
    assert (await client.get("/v1/probe/orders", headers=rep["auth"])).status_code == 200
    denied = await client.post("/v1/orders/o1/probe-status", headers=rep["auth"])
    assert denied.status_code == 403
    assert "billing:change_order_status" in denied.json()["detail"]
    assert (await client.post("/v1/orders/o1/probe-status", headers=acc["auth"])).status_code == 200


async def test_a1_service_sees_orders_but_not_leads(client):
    """Seed 001: service sees orders but not leads."""
    t = await sign_up(client)
    svc = await add_user(client, t, ["service"])
    assert (await client.get("/v1/probe/orders", headers=svc["auth"])).status_code == 200
    assert (await client.get("/v1/probe/metadata", headers=svc["auth"])).status_code == 403


async def test_a1_metadata_carries_user_team_scope_and_roles(client):
    t = await sign_up(client)
    team = await client.post("/v1/teams", headers=t["admin"], json={"name": "צפון"})
    assert team.status_code == 201
    rep = await add_user(client, t, ["sales_rep"], team_id=team.json()["id"])
    md = (await client.get("/v1/probe/metadata", headers=rep["auth"])).json()["metadata"]
    assert md["x-tenant-id"] == t["tenant_id"]
    assert md["x-user-id"] == rep["id"]
    assert md["x-user-team"] == team.json()["id"]
    assert md["x-record-scope"] == "own"
    assert md["x-roles"] == "sales_rep"
    mgr = await add_user(client, t, ["sales_manager"], team_id=team.json()["id"])
    md = (await client.get("/v1/probe/metadata", headers=mgr["auth"])).json()["metadata"]
    assert md["x-record-scope"] == "team"


async def test_a1_field_rules_hide_and_refuse_fields(client):
    """A rep does not see cost prices or a customer's ledger, and cannot set them."""
    t = await sign_up(client)
    rep = await add_user(client, t, ["sales_rep"])
    seen = (await client.get("/v1/probe/orders", headers=rep["auth"])).json()
    assert seen == {"items": [{"id": "o1", "total": 200}]}
    full = (await client.get("/v1/probe/orders", headers=t["admin"])).json()
    assert full["items"][0]["cost_price"] == 120
    refused = await client.post(
        "/v1/probe/orders", headers=rep["auth"], json={"total": 10, "cost_price": 1}
    )
    assert refused.status_code == 403
    assert refused.json()["errors"] == [{"field": "cost_price", "detail": "hidden for your role"}]
    assert (
        await client.post("/v1/probe/orders", headers=rep["auth"], json={"total": 10})
    ).status_code == 201


async def test_a1_custom_role_is_data_and_edits_apply(client, make_client):
    t = await sign_up(client)
    bad = await client.post(
        "/v1/roles",
        headers=t["admin"],
        json={"key": "odd", "name": "x", "permissions": {"leads": {"actions": ["fly"]}}},
    )
    assert bad.status_code == 422
    role = await client.post(
        "/v1/roles",
        headers=t["admin"],
        json={
            "key": "field_tech",
            "name": "טכנאי",
            "permissions": {"billing": {"actions": ["read"], "scope": "own"}},
        },
    )
    assert role.status_code == 201, role.text
    tech = await add_user(client, t, ["field_tech"])
    assert (await client.get("/v1/probe/orders", headers=tech["auth"])).status_code == 200
    assert (await client.get("/v1/probe/metadata", headers=tech["auth"])).status_code == 403
    edit = await client.put(
        f"/v1/roles/{role.json()['id']}",
        headers=t["admin"],
        json={
            "key": "field_tech",
            "name": "טכנאי",
            "permissions": {"leads": {"actions": ["read"], "scope": "team"}},
        },
    )
    assert edit.status_code == 200
    # The role cache is per process and forgotten on edit.
    assert (await client.get("/v1/probe/metadata", headers=tech["auth"])).status_code == 200
    assert (await client.get("/v1/probe/orders", headers=tech["auth"])).status_code == 403


async def test_a1_route_no_module_claims_needs_full_access(client):
    t = await sign_up(client)
    mgr = await add_user(client, t, ["sales_manager"])
    assert (await client.get("/v1/unclaimed-module", headers=mgr["auth"])).status_code == 403
    assert (await client.get("/v1/unclaimed-module", headers=t["admin"])).status_code == 200


async def test_a1_rep_cannot_manage_users_or_read_audit(client):
    t = await sign_up(client)
    rep = await add_user(client, t, ["sales_rep"])
    assert (await client.get("/v1/users", headers=rep["auth"])).status_code == 403
    assert (await client.post("/v1/users", headers=rep["auth"], json={})).status_code == 403
    assert (await client.get("/v1/audit", headers=rep["auth"])).status_code == 403


async def test_a1_deactivated_user_cannot_log_in_or_refresh(client):
    t = await sign_up(client)
    rep = await add_user(client, t, ["sales_rep"])
    off = await client.patch(
        f"/v1/users/{rep['id']}", headers=t["admin"], json={"is_active": False}
    )
    assert off.status_code == 200 and off.json()["is_active"] is False
    r = await client.post(
        "/v1/auth/refresh", json={"refresh_token": rep["tokens"]["refresh_token"]}
    )
    assert r.status_code == 401
    login = await client.post(
        "/v1/auth/login", json={"tenant": t["slug"], "email": rep["email"], "password": PASSWORD}
    )
    assert login.status_code == 401
