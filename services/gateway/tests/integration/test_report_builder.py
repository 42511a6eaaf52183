"""R1/R7 through the gateway: report definitions, exports and dashboards, on a real reporting
gRPC server with its own PostgreSQL database (fact rows inserted directly)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import insert

import crm_reporting
from crm_common.db import unit_of_work
from crm_devstack.testing import migrated_database, serve_in_process
from crm_reporting.builder.api import SERVICE_NAME, register
from crm_reporting.facts.models import LeadFact
from crm_reporting.settings import ReportingSettings

from .conftest import add_user, sign_up

REPORTING_MIGRATIONS = Path(crm_reporting.__file__).parent / "migrations"
BY_MONTH = {
    "subject": "leads",
    "group_by": ["source"],
    "time_bucket": {"field": "captured_at", "unit": "month"},
    "measures": [{"op": "count", "as": "leads"}],
}


@pytest.fixture(scope="module")
async def reporting(make_database):
    url = migrated_database(make_database, "gw_reporting_builder", REPORTING_MIGRATIONS)
    async with serve_in_process(
        ReportingSettings, register, [SERVICE_NAME], url=url, pool_size=3
    ) as srv:
        yield srv.addr, srv.sessionmaker


@pytest.fixture
async def gw(make_client, reporting):
    async with make_client(reporting_addr=reporting[0]) as c:
        yield c


async def seed(sessionmaker, tenant_id: str, owner: str) -> None:
    """Two radio leads of ``owner``, one web lead of another rep."""
    t = uuid.UUID(tenant_id)
    # 31 Mar 23:30 and 1 Apr 00:30 Israel time (UTC+3): one lead in each month.
    times = [("radio", dt.datetime(2026, 3, 31, 20, 30, tzinfo=dt.UTC))]
    times += [("radio", dt.datetime(2026, 3, 31, 21, 30, tzinfo=dt.UTC))]
    times += [("web", dt.datetime(2026, 4, 2, 9, 0, tzinfo=dt.UTC))]
    async with unit_of_work(sessionmaker, tenant_id=t) as s:
        await s.execute(
            insert(LeadFact),
            [
                {
                    "tenant_id": t,
                    "lead_id": uuid.uuid4(),
                    "source": src,
                    "captured_at": at,
                    "owner_id": uuid.UUID(owner) if src == "radio" else uuid.uuid4(),
                }
                for src, at in times
            ],
        )


async def test_r1_r7_builder_through_the_gateway(gw, reporting):
    tenant = await sign_up(gw, "rb")
    manager = await add_user(gw, tenant, ["sales_manager"])
    rep = await add_user(gw, tenant, ["sales_rep"])
    await seed(reporting[1], tenant["tenant_id"], manager["id"])
    admin = tenant["admin"]

    bad = await gw.post(
        "/v1/report-definitions:run",
        headers=admin,
        json={"definition": {**BY_MONTH, "time_bucket": {"field": "captured_at", "unit": "x"}}},
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in bad.json()["errors"]] == ["time_bucket.unit"]

    ran = await gw.post("/v1/report-definitions:run", headers=admin, json={"definition": BY_MONTH})
    assert ran.status_code == 200, ran.text
    body = ran.json()
    assert [c["key"] for c in body["columns"]] == ["period", "source", "leads"]
    assert body["rows"] == [
        ["2026-03-01", "radio", 1],
        ["2026-04-01", "radio", 1],
        ["2026-04-01", "web", 1],
    ]

    created = await gw.post(
        "/v1/report-definitions",
        headers=admin,
        json={"name": "לידים לפי חודש", "definition": BY_MONTH, "shared_roles": ["sales_manager"]},
    )
    assert created.status_code == 201, created.text
    rid = created.json()["id"]

    listed = await gw.get("/v1/report-definitions", headers=manager["auth"])
    assert [r["id"] for r in listed.json()["items"]] == [rid]
    result = await gw.get(f"/v1/report-definitions/{rid}/result", headers=manager["auth"])
    # The manager's record scope (team) shows their own two radio leads, not the web one.
    mine = [r for r in body["rows"] if r[1] == "radio"]
    assert result.json()["rows"] == mine
    # A sales rep's role has no reporting permission at all.
    assert (await gw.get("/v1/report-definitions", headers=rep["auth"])).status_code == 403
    # The manager may read and export but not save.
    assert (
        await gw.post(
            "/v1/report-definitions",
            headers=manager["auth"],
            json={"name": "x", "definition": BY_MONTH},
        )
    ).status_code == 403

    xlsx = await gw.get(
        f"/v1/report-definitions/{rid}/export", params={"format": "xlsx"}, headers=manager["auth"]
    )
    assert xlsx.status_code == 200
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in xlsx.headers["content-disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.sheet_view.rightToLeft is True
    assert [c.value for c in ws[1]] == ["נקלט בתאריך (חודש)", "מקור", "כמות"]
    assert ws.cell(row=2, column=3).value == 1

    exported = await gw.post(
        "/v1/report-definitions:export",
        params={"format": "csv"},
        headers=admin,
        json={"definition": BY_MONTH},
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1:] == [
        ["2026-03-01", "radio", "1"],
        ["2026-04-01", "radio", "1"],
        ["2026-04-01", "web", "1"],
    ]

    board = await gw.post(
        "/v1/dashboards",
        headers=admin,
        json={
            "name": "לוח שיווק",
            "shared_roles": ["sales_manager"],
            "items": [{"report_id": rid, "chart": "bar", "x": 0, "y": 0, "w": 12, "h": 4}],
        },
    )
    assert board.status_code == 201, board.text
    bid = board.json()["id"]
    item_id = board.json()["items"][0]["id"]
    data = await gw.get(f"/v1/dashboards/{bid}/data", headers=manager["auth"])
    assert data.status_code == 200
    item = data.json()["items"][0]
    assert item["result"]["rows"] == mine
    ET.fromstring(item["chart_svg"])
    svg = await gw.get(f"/v1/dashboards/{bid}/items/{item_id}/chart.svg", headers=manager["auth"])
    assert svg.headers["content-type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)
    assert root.get("data-kind") == "bar"
    pdf = await gw.get(f"/v1/dashboards/{bid}/export", headers=manager["auth"])
    assert pdf.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "לוח שיווק" in text and "03/2026" in text

    in_use = await gw.delete(f"/v1/report-definitions/{rid}", headers=admin)
    assert in_use.status_code == 409
    assert (await gw.delete(f"/v1/dashboards/{bid}", headers=admin)).status_code == 204
    assert (await gw.delete(f"/v1/report-definitions/{rid}", headers=admin)).status_code == 204
    gone = await gw.get(f"/v1/report-definitions/{rid}", headers=admin)
    assert gone.status_code == 404


async def test_r1_r7_bad_bodies_are_422_not_500(gw, reporting):
    """Input the gateway cannot even hand over (huge numbers, grid positions beyond int32)."""
    tenant = await sign_up(gw, "rb2")
    admin = tenant["admin"]
    huge = await gw.post(
        "/v1/report-definitions:run",
        headers={**admin, "Content-Type": "application/json"},
        content=b'{"definition": {"subject": "leads", "limit": 1' + b"0" * 400 + b"}}",
    )
    assert huge.status_code == 422, huge.text
    assert huge.json()["errors"][0]["field"] == "definition", huge.json()
    far = await gw.post(
        "/v1/dashboards",
        headers=admin,
        json={"name": "x", "items": [{"report_id": "r", "chart": "bar", "x": 2**40}]},
    )
    assert far.status_code == 422
    assert far.json()["errors"][0]["field"] == "items.0.x"
    # The export routes document the files they answer.
    spec = (await gw.get("/openapi.json")).json()
    content = spec["paths"]["/v1/report-definitions/{report_id}/export"]["get"]["responses"]["200"][
        "content"
    ]
    assert {"text/csv", "application/pdf"} <= set(content)


async def test_r7_report_schedules_through_the_gateway(gw, reporting):
    """R7: /v1/report-schedules creates, lists and deletes; a bad recipient is a 422
    problem naming recipients[1] and creates nothing; a rep without reporting rights gets 403."""
    tenant = await sign_up(gw, "rs")
    rep = await add_user(gw, tenant, ["sales_rep"])
    admin = tenant["admin"]
    created = await gw.post(
        "/v1/report-definitions",
        headers=admin,
        json={"name": "לידים לפי חודש", "definition": BY_MONTH},
    )
    rid = created.json()["id"]
    body = {
        "kind": "report",
        "target_id": rid,
        "format": "pdf",
        "cadence": "weekly",
        "recipients": ["ceo@example.com", "nope"],
    }
    bad = await gw.post("/v1/report-schedules", headers=admin, json=body)
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in bad.json()["errors"]] == ["recipients[1]"]
    assert (await gw.get("/v1/report-schedules", headers=admin)).json()["items"] == []

    ok = await gw.post(
        "/v1/report-schedules", headers=admin, json={**body, "recipients": ["CEO@example.com"]}
    )
    assert ok.status_code == 201, ok.text
    sched = ok.json()
    assert sched["recipients"] == ["ceo@example.com"]
    assert sched["subject"] == "לידים לפי חודש" and sched["last_sent_on"] is None
    assert sched["active"] is True
    listed = await gw.get("/v1/report-schedules", headers=admin)
    assert [s["id"] for s in listed.json()["items"]] == [sched["id"]]
    assert (await gw.get("/v1/report-schedules", headers=rep["auth"])).status_code == 403
    gone = await gw.delete(f"/v1/report-schedules/{sched['id']}", headers=admin)
    assert gone.status_code == 204
    assert (await gw.get("/v1/report-schedules", headers=admin)).json()["items"] == []
    again = await gw.delete(f"/v1/report-schedules/{sched['id']}", headers=admin)
    assert again.status_code == 404


async def _pages(gw, path: str, headers: dict) -> list[list[str]]:
    """Every page of ``path`` at page_size 2: the ids of each page."""
    pages, token = [], None
    while True:
        params = {"page_size": 2, **({"page_token": token} if token else {})}
        resp = await gw.get(path, headers=headers, params=params)
        assert resp.status_code == 200, resp.text
        pages.append([x["id"] for x in resp.json()["items"]])
        token = resp.json()["next_page_token"]
        if token is None:
            return pages


async def test_r7_saved_reports_dashboards_and_schedules_are_paged(gw, reporting):
    """R1/R7 paged lists: 5 saved reports, 5 dashboards and 5 schedules at page_size 2 come
    in 3 pages (2, 2, 1), newest first, every item once; a bad page_token is a 422
    problem+json naming page_token, on each list."""
    tenant = await sign_up(gw, "pg")
    admin = tenant["admin"]
    reports, boards, schedules = [], [], []
    for i in range(5):
        r = await gw.post(
            "/v1/report-definitions",
            headers=admin,
            json={"name": f"דוח {i}", "definition": BY_MONTH},
        )
        assert r.status_code == 201, r.text
        reports.append(r.json()["id"])
    for i in range(5):
        b = await gw.post(
            "/v1/dashboards",
            headers=admin,
            json={"name": f"לוח {i}", "items": [{"report_id": reports[i], "chart": "bar"}]},
        )
        assert b.status_code == 201, b.text
        boards.append(b.json()["id"])
        s = await gw.post(
            "/v1/report-schedules",
            headers=admin,
            json={
                "kind": "report",
                "target_id": reports[i],
                "format": "csv",
                "cadence": "daily",
                "recipients": [f"u{i}@example.com"],
            },
        )
        assert s.status_code == 201, s.text
        schedules.append(s.json()["id"])
    for path, ids in (
        ("/v1/report-definitions", reports),
        ("/v1/dashboards", boards),
        ("/v1/report-schedules", schedules),
    ):
        pages = await _pages(gw, path, admin)
        assert [len(p) for p in pages] == [2, 2, 1], path
        assert [i for p in pages for i in p] == ids[::-1], path
        bad = await gw.get(path, headers=admin, params={"page_token": "not-a-token"})
        assert bad.status_code == 422, bad.text
        assert bad.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in bad.json()["errors"]] == ["page_token"], path
    # A dashboard in a page carries its items.
    first = (await gw.get("/v1/dashboards", headers=admin, params={"page_size": 1})).json()
    assert [i["report_id"] for i in first["items"][0]["items"]] == [reports[4]]


async def test_r7_report_schedule_send_time_and_patch_through_the_gateway(gw, reporting):
    """R7 send time: create with send_hour/weekday (defaults 7 and Sunday shown), PATCH
    pauses and changes the hour and recipients, a bad hour or a weekday on a daily schedule
    is a 422 naming the field; next_send_at is a local Sunday 07:00 by default and null
    when paused."""
    from zoneinfo import ZoneInfo

    tenant = await sign_up(gw, "sp")
    admin = tenant["admin"]
    rid = (
        await gw.post(
            "/v1/report-definitions",
            headers=admin,
            json={"name": "שבועי", "definition": BY_MONTH},
        )
    ).json()["id"]
    created = await gw.post(
        "/v1/report-schedules",
        headers=admin,
        json={
            "kind": "report",
            "target_id": rid,
            "format": "xlsx",
            "cadence": "weekly",
            "recipients": ["a@example.com"],
        },
    )
    assert created.status_code == 201, created.text
    s = created.json()
    assert (s["send_hour"], s["weekday"], s["day_of_month"]) == (7, "sunday", None)
    nxt = dt.datetime.fromisoformat(s["next_send_at"]).astimezone(ZoneInfo("Asia/Jerusalem"))
    assert (nxt.weekday(), nxt.hour) == (6, 7)
    bad = await gw.post(
        "/v1/report-schedules",
        headers=admin,
        json={
            **{k: s[k] for k in ("kind", "target_id", "format")},
            "cadence": "weekly",
            "recipients": ["a@example.com"],
            "send_hour": 25,
        },
    )
    assert bad.status_code == 422 and [e["field"] for e in bad.json()["errors"]] == ["send_hour"]
    patched = await gw.patch(
        f"/v1/report-schedules/{s['id']}",
        headers=admin,
        json={
            "active": False,
            "send_hour": 18,
            "weekday": "thursday",
            "recipients": ["b@example.com", "c@example.com"],
        },
    )
    assert patched.status_code == 200, patched.text
    p = patched.json()
    assert (p["active"], p["send_hour"], p["weekday"], p["next_send_at"]) == (
        False,
        18,
        "thursday",
        None,
    )
    assert p["recipients"] == ["b@example.com", "c@example.com"] and p["format"] == "xlsx"
    wrong = await gw.patch(
        f"/v1/report-schedules/{s['id']}",
        headers=admin,
        json={"cadence": "daily", "weekday": "monday"},
    )
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["weekday"]
    listed = (await gw.get("/v1/report-schedules", headers=admin)).json()["items"]
    assert [(x["cadence"], x["send_hour"]) for x in listed] == [("weekly", 18)]
    missing = await gw.patch(
        f"/v1/report-schedules/{uuid.uuid4()}", headers=admin, json={"active": True}
    )
    assert missing.status_code == 404
