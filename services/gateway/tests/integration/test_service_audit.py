"""A1/A5 through the gateway and a real leads service: record scope with team members,
actor kind and client address in the metadata, and ``GET /v1/audit/records`` (admins only)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

import crm_leads
from crm_devstack.testing import migrated_database, serve_in_process
from crm_leads.main import app as leads_app
from crm_leads.settings import LeadsSettings

from .conftest import add_user, sign_up

LEADS_MIGRATIONS = Path(crm_leads.__file__).parent / "migrations"


@pytest.fixture(scope="module")
async def leads_addr(make_database):
    url = migrated_database(make_database, "gw_leads_audit", LEADS_MIGRATIONS)
    async with serve_in_process(
        LeadsSettings,
        leads_app.register_with_audit,
        leads_app.all_grpc_service_names,
        url=url,
        pool_size=5,
    ) as srv:
        yield srv.addr


@pytest.fixture
async def gw(make_client, leads_addr):
    async with make_client(leads_addr=leads_addr) as c:
        yield c


async def test_a1_team_scope_sends_the_team_members_actor_kind_and_client_ip(client):
    t = await sign_up(client)
    team = (await client.post("/v1/teams", headers=t["admin"], json={"name": "מרכז"})).json()
    rep = await add_user(client, t, ["sales_rep"], team_id=team["id"])
    mgr = await add_user(client, t, ["sales_manager"], team_id=team["id"])
    await add_user(client, t, ["sales_rep"])  # no team: not a member
    md = (await client.get("/v1/probe/metadata", headers=mgr["auth"])).json()["metadata"]
    assert md["x-record-scope"] == "team"
    assert set(md["x-team-members"].split(",")) == {rep["id"], mgr["id"]}
    assert md["x-actor-kind"] == "user"
    assert md["x-client-ip"] == "203.0.113.7"
    own = (await client.get("/v1/probe/metadata", headers=rep["auth"])).json()["metadata"]
    assert own["x-record-scope"] == "own" and "x-team-members" not in own
    # No trusted proxies configured: X-Forwarded-For is the caller's word, not believed.
    fwd = await client.get(
        "/v1/probe/metadata", headers={**t["admin"], "X-Forwarded-For": "198.51.100.4, 10.0.0.1"}
    )
    assert fwd.json()["metadata"]["x-client-ip"] == "203.0.113.7"
    assert fwd.json()["metadata"]["x-actor-kind"] == "user"


async def test_a1_a_rep_lists_only_their_leads_through_the_gateway(gw):
    t = await sign_up(gw)
    rep = await add_user(gw, t, ["sales_rep"])
    other = await add_user(gw, t, ["sales_rep"])
    mine = await gw.post(
        "/v1/leads",
        headers=t["admin"],
        json={"name": "שלי", "phone": "050-7654331", "source": "web", "owner_id": rep["id"]},
    )
    assert mine.status_code == 201, mine.text
    theirs = await gw.post(
        "/v1/leads",
        headers=t["admin"],
        json={"name": "לא שלי", "phone": "050-7654332", "source": "web", "owner_id": other["id"]},
    )
    assert theirs.status_code == 201, theirs.text
    listed = (await gw.get("/v1/leads", headers=rep["auth"])).json()["items"]
    assert [i["id"] for i in listed] == [mine.json()["id"]]
    hidden = await gw.get(f"/v1/leads/{theirs.json()['id']}", headers=rep["auth"])
    assert hidden.status_code == 404
    assert hidden.headers["content-type"].startswith("application/problem+json")
    admin_list = (await gw.get("/v1/leads", headers=t["admin"])).json()["items"]
    assert len(admin_list) == 2


async def test_a5_admin_reads_a_services_field_changes_a_rep_gets_403(gw):
    t = await sign_up(gw)
    made = await gw.post(
        "/v1/leads",
        headers={**t["admin"], "X-Request-Id": "gw-a5-1"},
        json={"name": "אורית", "phone": "050-7654333", "source": "web"},
    )
    assert made.status_code == 201, made.text
    lead_id = made.json()["id"]
    page = await gw.get(
        "/v1/audit/records",
        headers=t["admin"],
        params={"service": "leads", "entity": "leads", "entity_id": lead_id},
    )
    assert page.status_code == 200, page.text
    [rec] = page.json()["items"]
    assert (rec["action"], rec["entity"], rec["entity_id"]) == ("create", "leads", lead_id)
    assert rec["actor_kind"] == "user" and rec["actor_id"] == t["user_id"]
    assert rec["origin"] == "203.0.113.7" and rec["request_id"] == "gw-a5-1"
    assert rec["changes"]["name"] == [None, "אורית"]

    rep = await add_user(gw, t, ["sales_rep"])
    denied = await gw.get("/v1/audit/records", headers=rep["auth"], params={"service": "leads"})
    assert denied.status_code == 403
    assert denied.headers["content-type"].startswith("application/problem+json")
    assert denied.json()["status"] == 403
    unknown = await gw.get(
        "/v1/audit/records", headers=t["admin"], params={"service": "gateway-db"}
    )
    assert unknown.status_code == 422
    other = await sign_up(gw)
    nothing = await gw.get(
        "/v1/audit/records",
        headers=other["admin"],
        params={"service": "leads", "entity_id": lead_id},
    )
    assert nothing.status_code == 200 and nothing.json()["items"] == []
    bad = await gw.get(
        "/v1/audit/records",
        headers=t["admin"],
        params={"service": "leads", "page_token": "%%%"},
    )
    assert bad.status_code == 422, bad.text
    assert uuid.UUID(rec["id"])
