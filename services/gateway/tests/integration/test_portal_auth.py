"""A4: customer-portal sign-in (invitation, one-time acceptance, argon2, lockout) and the wall
between portal tokens and staff routes, on the gateway's real database (no services)."""

from __future__ import annotations

import uuid

import jwt

from crm_gateway.app import create_app
from crm_gateway.db import Database
from crm_gateway.portal import store

from .conftest import add_user, bearer, build_app, sign_up

PASSWORD = "customer passphrase 1"


async def _invite(gateway_url: str, tenant_id: str, party_id: uuid.UUID, email: str):
    db = Database(gateway_url)
    try:
        return await store.invite(
            db,
            uuid.UUID(tenant_id),
            party_id=party_id,
            email=email,
            name="דנה לקוחה",
            invited_by=uuid.uuid4(),
            assignee_user_id=uuid.uuid4(),
            ttl_s=3600,
        )
    finally:
        await db.close()


async def test_a4_invitation_is_accepted_once_then_login_with_argon2(client, gateway_url):
    t = await sign_up(client)
    party = uuid.uuid4()
    inv = await _invite(gateway_url, t["tenant_id"], party, "dana@example.co.il")
    assert inv.token.startswith("crmp_")
    weak = await client.post(
        "/portal/v1/auth/accept", json={"token": inv.token, "password": "short"}
    )
    assert weak.status_code == 422
    ok = await client.post(
        "/portal/v1/auth/accept", json={"token": inv.token, "password": PASSWORD}
    )
    assert ok.status_code == 200, ok.text
    claims = jwt.decode(ok.json()["access_token"], options={"verify_signature": False})
    assert claims["aud"] == "portal"
    assert {k for k in claims if k not in ("iss", "aud", "iat", "exp", "jti")} == {
        "tid",
        "pid",
        "sub",
        "ver",
    }
    assert (claims["tid"], claims["pid"]) == (t["tenant_id"], str(party))
    assert (claims["sub"], claims["ver"]) == (str(inv.row.id), 0)
    again = await client.post(
        "/portal/v1/auth/accept", json={"token": inv.token, "password": PASSWORD}
    )
    assert again.status_code == 401  # one-time link
    db = Database(gateway_url)
    try:
        async with db.tx(uuid.UUID(t["tenant_id"])) as s:
            row = (await s.execute(store.portal_users.select())).one()
    finally:
        await db.close()
    assert row.password_hash.startswith("$argon2id$") and row.invite_hash is None
    login = {"tenant": t["slug"], "email": "dana@example.co.il", "password": PASSWORD}
    me = await client.post("/portal/v1/auth/login", json=login)
    assert me.status_code == 200
    who = await client.get("/portal/v1/me", headers=bearer(me.json()["access_token"]))
    assert who.json() == {"tenant_id": t["tenant_id"], "party_id": str(party)}
    # Staff users of the tenant cannot log in to the portal with their own credentials.
    staff = {"tenant": t["slug"], "email": f"admin@{t['slug']}.co.il", "password": PASSWORD}
    assert (await client.post("/portal/v1/auth/login", json=staff)).status_code == 401


async def test_a4_portal_login_locks_after_repeated_failures(client, gateway_url):
    t = await sign_up(client)
    inv = await _invite(gateway_url, t["tenant_id"], uuid.uuid4(), "lock@example.co.il")
    await client.post("/portal/v1/auth/accept", json={"token": inv.token, "password": PASSWORD})
    creds = {"tenant": t["slug"], "email": "lock@example.co.il"}
    for _ in range(3):  # login_max_failures=3 in the fixture
        bad = await client.post("/portal/v1/auth/login", json={**creds, "password": "x" * 12})
        assert bad.status_code == 401
    locked = await client.post("/portal/v1/auth/login", json={**creds, "password": PASSWORD})
    assert locked.status_code == 423


async def test_a4_staff_tokens_refused_on_portal_routes_and_portal_tokens_on_staff(
    client, gateway_url
):
    t = await sign_up(client)
    inv = await _invite(gateway_url, t["tenant_id"], uuid.uuid4(), "wall@example.co.il")
    token = (
        await client.post("/portal/v1/auth/accept", json={"token": inv.token, "password": PASSWORD})
    ).json()["access_token"]
    portal = bearer(token)
    app = create_app(build_app(gateway_url).state.settings)
    schema = app.openapi()
    portal_ops = staff_ops = 0
    for path, ops in schema["paths"].items():
        for method in ops:
            url = path.replace("{", "").replace("}", "")
            if path.startswith("/portal/v1/") and ops[method].get("security") != []:
                staff = await client.request(method, url, json={}, headers=t["admin"])
                assert staff.status_code == 401, (method, path, staff.status_code)
                portal_ops += 1
            elif path.startswith("/v1/") and ops[method].get("security") != []:
                # Every staff route, including "who am I", refuses the customer's token.
                r = await client.request(method, url, json={}, headers=portal)
                assert r.status_code == 401, (method, path, r.status_code, r.text)
                assert r.headers["content-type"] == "application/problem+json"
                staff_ops += 1
    assert portal_ops >= 8 and staff_ops > 100
    # API keys are not portal credentials either.
    assert (await client.get("/portal/v1/me", headers=t["admin"])).status_code == 401
    assert (await client.get("/portal/v1/me")).status_code == 401
    assert (await client.get("/portal/v1/me", headers=portal)).status_code == 200


async def test_a4_deactivated_portal_user_is_refused_at_once_and_audited(client, gateway_url):
    """Staff deactivate a customer's portal account: its live token answers 401 problem+json
    on the next request, login is refused; reactivation allows login again, but tokens from
    before the deactivation stay dead. Both actions are in the audit trail."""
    t = await sign_up(client)
    party = uuid.uuid4()
    inv = await _invite(gateway_url, t["tenant_id"], party, "off@example.co.il")
    accepted = await client.post(
        "/portal/v1/auth/accept", json={"token": inv.token, "password": PASSWORD}
    )
    old = bearer(accepted.json()["access_token"])
    login = {"tenant": t["slug"], "email": "off@example.co.il", "password": PASSWORD}
    assert (await client.get("/portal/v1/me", headers=old)).status_code == 200
    pid = inv.row.id

    # Who may: contacts:update (like inviting). Marketing reads contacts only; another
    # tenant's admin does not see the account at all.
    marketer = await add_user(client, t, ["marketing"])
    denied = await client.post(f"/v1/portal-users/{pid}:deactivate", headers=marketer["auth"])
    assert denied.status_code == 403
    other = await sign_up(client)
    foreign = await client.post(f"/v1/portal-users/{pid}:deactivate", headers=other["admin"])
    assert foreign.status_code == 404
    assert (await client.get("/portal/v1/me", headers=old)).status_code == 200

    off = await client.post(f"/v1/portal-users/{pid}:deactivate", headers=t["admin"])
    assert off.status_code == 200, off.text
    assert off.json()["status"] == "disabled"
    refused = await client.get("/portal/v1/me", headers=old)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert "disabled" in refused.json()["detail"]
    assert (await client.get("/portal/v1/tickets", headers=old)).status_code == 401
    assert (await client.post("/portal/v1/auth/login", json=login)).status_code == 401
    listed = await client.get(
        "/v1/portal-users", headers=t["admin"], params={"party_id": str(party)}
    )
    assert [u["status"] for u in listed.json()["items"]] == ["disabled"]

    on = await client.post(f"/v1/portal-users/{pid}:reactivate", headers=t["admin"])
    assert on.status_code == 200 and on.json()["status"] == "active"
    assert (await client.get("/portal/v1/me", headers=old)).status_code == 401
    fresh = await client.post("/portal/v1/auth/login", json=login)
    assert fresh.status_code == 200, fresh.text
    now = bearer(fresh.json()["access_token"])
    assert (await client.get("/portal/v1/me", headers=now)).status_code == 200

    missing = await client.post(f"/v1/portal-users/{uuid.uuid4()}:deactivate", headers=t["admin"])
    assert missing.status_code == 404
    audit = await client.get("/v1/audit", headers=t["admin"], params={"page_size": 20})
    trail = [
        (i["route"], i["status"], i["actor_type"])
        for i in audit.json()["items"]
        if i["route"].startswith("/v1/portal-users/")
    ]
    assert trail == [
        ("/v1/portal-users/{portal_user_id}:deactivate", 404, "user"),
        ("/v1/portal-users/{portal_user_id}:reactivate", 200, "user"),
        ("/v1/portal-users/{portal_user_id}:deactivate", 200, "user"),
        ("/v1/portal-users/{portal_user_id}:deactivate", 403, "user"),
    ]
