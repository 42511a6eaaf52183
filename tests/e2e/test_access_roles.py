"""A1/A2 end to end: users of one tenant see what their roles allow on the same data;
another tenant's records are 404 on every route that takes a record id."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest

from .conftest import eventually

PASSWORD = "a long passphrase for e2e"


def _sign_up(stack) -> dict:
    slug = f"e2e-{uuid.uuid4().hex[:12]}"
    r = httpx.post(
        f"{stack.gateway_url}/v1/tenants",
        timeout=15,
        json={
            "slug": slug,
            "name": "עסק לבדיקה",
            "admin_email": f"admin@{slug}.co.il",
            "admin_name": "מנהלת",
            "password": PASSWORD,
        },
    )
    assert r.status_code == 201, r.text
    data = r.json()
    data["slug"] = slug
    data["client"] = httpx.Client(
        base_url=stack.gateway_url,
        timeout=15,
        headers={"Authorization": f"Bearer {data['tokens']['access_token']}"},
    )
    return data


def _user(stack, tenant: dict, role: str) -> httpx.Client:
    email = f"{role}-{uuid.uuid4().hex[:6]}@{tenant['slug']}.co.il"
    made = tenant["client"].post(
        "/v1/users", json={"email": email, "name": role, "password": PASSWORD, "roles": [role]}
    )
    assert made.status_code == 201, made.text
    login = httpx.post(
        f"{stack.gateway_url}/v1/auth/login",
        timeout=15,
        json={"tenant": tenant["slug"], "email": email, "password": PASSWORD},
    )
    assert login.status_code == 200, login.text
    return httpx.Client(
        base_url=stack.gateway_url,
        timeout=15,
        headers={"Authorization": f"Bearer {login.json()['access_token']}"},
    )


@pytest.fixture(scope="module")
def shop(stack):
    tenant = _sign_up(stack)
    admin = tenant["client"]
    lead = admin.post("/v1/leads", json={"name": "רינה", "phone": "050-7654321", "source": "web"})
    assert lead.status_code == 201, lead.text
    tenant["lead"] = lead.json()
    tenant["party_id"] = lead.json()["party_id"]
    yield tenant
    admin.close()


def test_a1_rep_service_and_accountant_see_what_their_roles_allow(stack, shop):
    rep, svc, acc = (_user(stack, shop, r) for r in ("sales_rep", "service", "accounting"))
    other_rep = _user(stack, shop, "sales_rep")
    lead_id, party = shop["lead"]["id"], shop["party_id"]
    # Leads: a rep sees their own (record scope "own", applied inside the leads service);
    # another rep of the same tenant gets 404 for it; service and accounting get 403.
    rep_id = rep.get("/v1/auth/me").json()["user_id"]
    assert shop["client"].post(f"/v1/leads/{lead_id}:assign", json={"owner_id": rep_id}).is_success
    assert rep.get(f"/v1/leads/{lead_id}").status_code == 200
    assert [i["id"] for i in rep.get("/v1/leads").json()["items"]] == [lead_id]
    assert other_rep.get(f"/v1/leads/{lead_id}").status_code == 404
    assert other_rep.get("/v1/leads").json()["items"] == []
    assert svc.get(f"/v1/leads/{lead_id}").status_code == 403
    assert acc.get(f"/v1/leads/{lead_id}").status_code == 403
    assert svc.get("/v1/leads").status_code == 403
    # Billing documents (orders, invoices): everyone of the three may read.
    for c in (rep, svc, acc):
        assert c.get("/v1/billing/documents").status_code == 200
    # A customer's ledger: accounting only (seed 000: a rep does not see it).
    assert rep.get(f"/v1/billing/customers/{party}/ledger").status_code == 403
    assert svc.get(f"/v1/billing/customers/{party}/ledger").status_code == 403
    assert acc.get(f"/v1/billing/customers/{party}/ledger").status_code != 403
    # Payment status: neither the rep nor service may change it; accounting passes the gate.
    for c in (rep, svc):
        denied = c.post("/v1/billing/payments", json={})
        assert denied.status_code == 403, denied.text
    assert acc.post("/v1/billing/payments", json={}).status_code == 422
    # Leads writes: the rep may capture, accounting may not.
    assert (
        rep.post(
            "/v1/leads", json={"name": "x", "phone": "050-7654322", "source": "web"}
        ).status_code
        == 201
    )
    assert acc.post("/v1/leads", json={"name": "y", "source": "web"}).status_code == 403
    # The audit trail names each of them; only the admin may read it.
    assert rep.get("/v1/audit").status_code == 403
    audit = shop["client"].get("/v1/audit", params={"route": "/v1/leads"}).json()["items"]
    assert {i["status"] for i in audit} >= {201, 403}


def _fill(path: str, value: str) -> str:
    return re.sub(r"\{[^}]+\}", value, path)


def test_a2_another_tenants_records_are_404_on_every_route(stack, shop):
    """Every operation of the live OpenAPI (any method), called by another tenant's admin
    with A's ids, answers exactly as for ids that exist nowhere (a 404 or the same 4xx), and
    no answer anywhere carries A's ids. A new route is covered without editing this test."""
    other = _sign_up(stack)
    intruder = other["client"]
    lead_id, party = shop["lead"]["id"], shop["party_id"]
    before = shop["client"].get(f"/v1/leads/{lead_id}").json()
    assert intruder.get(f"/v1/leads/{lead_id}").status_code == 404
    assert intruder.get(f"/v1/contacts/{party}").status_code in (404,)
    listed = intruder.get("/v1/leads").json()
    assert lead_id not in {i["id"] for i in listed["items"]}
    schema = httpx.get(f"{stack.gateway_url}/openapi.json", timeout=15).json()
    leaks, checked, methods = [], 0, set()
    operations = sorted(
        (
            ("{" in path, path, method, op)
            for path, ops in schema["paths"].items()
            for method, op in ops.items()
        ),
        key=lambda o: o[:2],
    )  # lists first: later attempts echo A's ids into the intruder's own audit trail
    for _, path, method, op in operations:
        if not path.startswith("/v1/") or op.get("security") == []:
            continue  # public routes: no tenant credential to misuse
        if path.endswith("/stream"):
            continue
        method = method.upper()
        if "{" not in path:
            if method == "GET":  # lists and reports: none of A's records
                resp = intruder.get(path)
                checked += 1
                if resp.status_code >= 500 or lead_id in resp.text or party in resp.text:
                    leaks.append((method, path, resp.status_code, resp.text[:120]))
            continue
        for value in (lead_id, party):
            ghost_id = str(uuid.UUID(int=uuid.UUID(value).int ^ 1))
            body = None if method in ("GET", "DELETE") else {}
            resp = intruder.request(method, _fill(path, value), json=body)
            ghost = intruder.request(method, _fill(path, ghost_id), json=body)
            checked += 1
            methods.add(method)
            same = (resp.status_code, resp.text.replace(value, "ID")) == (
                ghost.status_code,
                ghost.text.replace(ghost_id, "ID"),
            )
            if resp.status_code >= 500 or (resp.status_code != 404 and not same):
                leaks.append((method, path, resp.status_code, resp.text[:120]))
    assert leaks == [], "\n".join(map(str, leaks))
    assert checked > 60 and methods >= {"GET", "POST", "PUT", "PATCH", "DELETE"}
    # The owner still sees it, unchanged.
    after = shop["client"].get(f"/v1/leads/{lead_id}")
    assert after.status_code == 200 and after.json() == before


def test_a3_idempotent_lead_capture_end_to_end(stack, shop):
    admin = shop["client"]
    key = str(uuid.uuid4())
    body = {"name": "פעם אחת", "phone": "050-7654323", "source": "web"}
    a = admin.post("/v1/leads", json=body, headers={"Idempotency-Key": key})
    b = admin.post("/v1/leads", json=body, headers={"Idempotency-Key": key})
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] == b.json()["id"] and b.headers["idempotent-replayed"] == "true"
    assert "ratelimit-remaining" in a.headers
    clash = admin.post("/v1/leads", json={**body, "name": "אחר"}, headers={"Idempotency-Key": key})
    assert clash.status_code == 422
    eventually(lambda: admin.get("/v1/leads").status_code == 200)
