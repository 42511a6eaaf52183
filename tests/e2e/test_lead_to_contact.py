"""Foundation vertical slice through the gateway, the services and the events."""

from __future__ import annotations

import httpx

from .conftest import eventually, source_count

PROBLEM = "application/problem+json"


def test_foundation_captured_lead_reaches_the_leads_by_source_report(api: httpx.Client):
    """L1 -> R2: POST /v1/leads -> LeadCaptured -> reporting's per-source count."""
    resp = api.post(
        "/v1/leads",
        json={"name": "דנה לוי", "phone": "050-7654321", "source": "radio", "campaign": "גלגלצ"},
    )
    assert resp.status_code == 201, resp.text
    lead = resp.json()
    assert resp.headers["location"] == f"/v1/leads/{lead['id']}"
    assert lead["phone"] == "+972507654321"
    assert lead["status"] == "new"
    assert api.get(f"/v1/leads/{lead['id']}").json()["name"] == "דנה לוי"

    api.post("/v1/leads", json={"name": "b", "email": "b@x.co.il", "source": "radio"})
    api.post("/v1/leads", json={"name": "c", "email": "c@x.co.il", "source": "web"})
    eventually(lambda: source_count(api, "radio") == 2 and source_count(api, "web") == 1)
    report = api.get("/v1/reports/leads-by-source").json()
    assert report["total"] == 3
    assert [r["source"] for r in report["sources"]] == ["radio", "web"]


def test_foundation_converted_lead_becomes_customer_with_same_party_id(api: httpx.Client):
    """L5: POST /v1/leads/{id}:convert -> LeadConverted -> contacts makes the customer."""
    lead = api.post(
        "/v1/leads",
        json={
            "name": "משה כהן",
            "email": "Moshe@Example.co.il",
            "company_name": 'כהן בע"מ',
            "source": "referral",
        },
    ).json()
    resp = api.post(f"/v1/leads/{lead['id']}:convert")
    assert resp.status_code == 200, resp.text
    assert resp.json()["status"] == "converted"

    customer = eventually(
        lambda: (r := api.get(f"/v1/contacts/{lead['party_id']}")).status_code == 200 and r.json()
    )
    assert customer["party_id"] == lead["party_id"]
    assert customer["name"] == "משה כהן"
    assert customer["email"] == "moshe@example.co.il"
    assert customer["source_lead_id"] == lead["id"]
    listed = api.get("/v1/contacts").json()["items"]
    assert [c["party_id"] for c in listed] == [lead["party_id"]]

    again = api.post(f"/v1/leads/{lead['id']}:convert")
    assert again.status_code == 409
    assert again.headers["content-type"] == PROBLEM
    assert again.json()["type"] == "urn:problem:crm:lead-already-converted"


def test_foundation_bad_requests_get_problem_json_and_write_nothing(api: httpx.Client, stack):
    bad_phone = api.post("/v1/leads", json={"name": "x", "phone": "12", "source": "web"})
    assert bad_phone.status_code == 422
    assert bad_phone.headers["content-type"] == PROBLEM
    body = bad_phone.json()
    assert body["status"] == 422 and body["title"] and body["detail"]
    assert {e["field"] for e in body["errors"]} == {"phone"}

    unknown_field = api.post(
        "/v1/leads", json={"name": "x", "email": "a@b.co", "source": "web", "admin": True}
    )
    assert unknown_field.status_code == 422
    assert unknown_field.headers["content-type"] == PROBLEM
    assert any(e["field"] == "admin" for e in unknown_field.json()["errors"])

    not_json = api.post("/v1/leads", content=b"{", headers={"content-type": "application/json"})
    assert not_json.status_code == 422
    assert not_json.headers["content-type"] == PROBLEM

    bad_id = api.get("/v1/leads/not-a-uuid")
    assert bad_id.status_code == 422 and bad_id.headers["content-type"] == PROBLEM
    missing = api.get("/v1/contacts/00000000-0000-7000-8000-000000000000")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM

    anonymous = httpx.post(f"{stack.gateway_url}/v1/leads", json={"name": "x"})
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"] == PROBLEM
    wrong_key = httpx.get(
        f"{stack.gateway_url}/v1/leads", headers={"Authorization": "Bearer wrong-key-wrong-key"}
    )
    assert wrong_key.status_code == 401

    # Nothing was written for this tenant: no lead, and no event reached reporting.
    assert api.get("/v1/leads").json()["items"] == []
    assert api.get("/v1/reports/leads-by-source").json()["total"] == 0


def test_a2_tenants_do_not_see_each_other(api: httpx.Client, stack):
    lead = api.post("/v1/leads", json={"name": "t", "email": "t@x.co", "source": "web"}).json()
    other_key = list(stack.tenant_keys)[-1]
    other = httpx.get(
        f"{stack.gateway_url}/v1/leads/{lead['id']}",
        headers={"Authorization": f"Bearer {other_key}"},
    )
    assert other.status_code == 404
    assert other.headers["content-type"] == PROBLEM
