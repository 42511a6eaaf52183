"""R2-R6 through the gateway: the report routes talk to a real reporting gRPC server on its own
migrated database; JSON field names, nulls, Hebrew values, problem+json errors, permissions.
(The figures themselves are proven in services/reporting/tests/integration/test_reports_canned.py.)
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import insert

import crm_reporting
from crm_common.db import unit_of_work
from crm_devstack.testing import migrated_database, serve_in_process
from crm_reporting.api.servicer import SERVICE_NAMES, register
from crm_reporting.facts.models import DealFact, DocumentFact, LeadFact, PartyDim, TaskFact
from crm_reporting.settings import ReportingSettings

from .conftest import CONFIG_KEY, CONFIG_TENANT, SCOPED_KEY, bearer

CFG = bearer(CONFIG_KEY)
MARCH = {"from": "2026-03-01", "to": "2026-03-31"}
UTC = dt.UTC
REPORTING_MIGRATIONS = Path(crm_reporting.__file__).parent / "migrations"


@pytest.fixture(scope="module")
async def reporting_addr(make_database):
    url = migrated_database(make_database, "gw_reports_reporting", REPORTING_MIGRATIONS)
    async with serve_in_process(
        ReportingSettings, register, SERVICE_NAMES, url=url, pool_size=5
    ) as srv:
        sessionmaker = srv.sessionmaker
        owner, party, lead, deal = (uuid.uuid4() for _ in range(4))
        t = CONFIG_TENANT
        async with unit_of_work(sessionmaker, tenant_id=t) as s:
            # captured 23:30 Israel time on 31 March: March
            await s.execute(
                insert(LeadFact).values(
                    tenant_id=t, lead_id=lead, party_id=party, source="radio", campaign="גלגלצ",
                    owner_id=owner, captured_at=dt.datetime(2026, 3, 31, 20, 30, tzinfo=UTC),
                    first_response_at=dt.datetime(2026, 3, 31, 20, 40, tzinfo=UTC),
                )
            )  # fmt: skip
            await s.execute(
                insert(PartyDim).values(
                    tenant_id=t, party_id=party, name="דנה כהן", owner_id=owner, source="radio",
                    is_customer=True,
                )
            )  # fmt: skip
            await s.execute(
                insert(DealFact).values(
                    tenant_id=t, deal_id=deal, lead_id=lead, owner_id=owner, status="won",
                    amount_agorot=10_000, created_at=dt.datetime(2026, 3, 31, 20, 45, tzinfo=UTC),
                    won_at=dt.datetime(2026, 3, 31, 20, 50, tzinfo=UTC),
                )
            )  # fmt: skip
            await s.execute(
                insert(DocumentFact).values(
                    tenant_id=t, document_id=uuid.uuid4(), document_type="invoice", party_id=party,
                    issue_date=dt.date(2026, 3, 31), subtotal_agorot=10_000, vat_agorot=1_800,
                    total_agorot=11_800,
                )
            )  # fmt: skip
            await s.execute(
                insert(TaskFact).values(
                    tenant_id=t, task_id=uuid.uuid4(), task_type_key="call_back",
                    assignee_user_id=owner, created_at=dt.datetime(2026, 3, 2, 8, tzinfo=UTC),
                    due_at=dt.datetime(2026, 3, 3, 8, tzinfo=UTC),
                )
            )  # fmt: skip
        yield {"addr": srv.addr, "owner": str(owner), "party": str(party)}


@pytest.fixture
async def gw(make_client, reporting_addr):
    async with make_client(reporting_addr=reporting_addr["addr"]) as c:
        yield c


async def test_r2_marketing_route_json_with_nulls_and_hebrew(gw, reporting_addr):
    resp = await gw.get("/v1/reports/marketing", params=MARCH, headers=CFG)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["period"] == {
        "from_date": "2026-03-01",
        "to_date": "2026-03-31",
        "time_zone": "Asia/Jerusalem",
    }
    assert body["rows"] == [
        {
            "source": "radio", "campaign": "גלגלצ", "leads": 1, "duplicates": 0,
            "qualified": 0, "converted": 0, "won_deals": 1, "won_value_agorot": 10_000,
            "invoiced_agorot": 11_800, "invoiced_net_agorot": 10_000, "collected_agorot": 0,
            "qualified_rate": 0.0, "converted_rate": 0.0, "won_rate": 1.0,
            "cost_agorot": None, "cost_per_lead_agorot": None, "roi": None,
        }
    ]  # fmt: skip
    assert "גלגלצ" in resp.text  # not \\u-escaped
    assert body["total"]["leads"] == 1


async def test_r2_campaign_costs_crud_through_the_gateway(gw):
    created = await gw.post(
        "/v1/reports/campaign-costs",
        headers=CFG,
        json={
            "source": "Radio",
            "campaign": "גלגלצ",
            "period_start": "2026-03-01",
            "period_end": "2026-03-31",
            "cost_agorot": 31_000,
            "note": "תשדירים",
        },
    )
    assert created.status_code == 201, created.text
    cost = created.json()
    assert (cost["source"], cost["campaign"], cost["note"]) == ("radio", "גלגלצ", "תשדירים")
    listed = (await gw.get("/v1/reports/campaign-costs", headers=CFG)).json()["costs"]
    assert [c["cost_id"] for c in listed] == [cost["cost_id"]]
    # 31 000 over 31 days, report of 31 March alone: 1 000 for 1 lead, ROI (10 000 - 1 000) / 1 000
    one_day = await gw.get(
        "/v1/reports/marketing", params={"from": "2026-03-31", "to": "2026-03-31"}, headers=CFG
    )
    row = one_day.json()["rows"][0]
    assert (row["cost_agorot"], row["cost_per_lead_agorot"], row["roi"]) == (1_000, 1_000, 9.0)
    deleted = await gw.delete(f"/v1/reports/campaign-costs/{cost['cost_id']}", headers=CFG)
    assert deleted.status_code == 204
    again = await gw.delete(f"/v1/reports/campaign-costs/{cost['cost_id']}", headers=CFG)
    assert again.status_code == 404
    assert again.headers["content-type"] == "application/problem+json"
    bad = await gw.post(
        "/v1/reports/campaign-costs",
        headers=CFG,
        json={"source": "radio", "period_start": "2026-03-31", "period_end": "2026-03-01",
              "cost_agorot": 5},
    )  # fmt: skip
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["period_end"]
    assert (await gw.get("/v1/reports/campaign-costs", headers=CFG)).json()["costs"] == []


async def test_r2_bad_period_is_problem_json_naming_the_query_parameter(gw):
    backwards = await gw.get(
        "/v1/reports/marketing", params={"from": "2026-03-31", "to": "2026-03-01"}, headers=CFG
    )
    assert backwards.status_code == 422
    assert backwards.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in backwards.json()["errors"]] == ["to"]
    malformed = await gw.get(
        "/v1/reports/finance", params={"from": "1.3.2026", "to": "2026-03-31"}, headers=CFG
    )
    assert malformed.status_code == 422
    assert [e["field"] for e in malformed.json()["errors"]] == ["from"]
    missing = await gw.get("/v1/reports/tasks", params={"to": "2026-03-31"}, headers=CFG)
    assert missing.status_code == 422
    assert [e["field"] for e in missing.json()["errors"]] == ["from"]


async def test_r2_report_routes_need_reporting_read(gw):
    """A key scoped to leads:read is refused every report (A1)."""
    for path in ("marketing", "targets", "performance", "funnel", "finance", "tasks"):
        resp = await gw.get(f"/v1/reports/{path}", params=MARCH, headers=bearer(SCOPED_KEY))
        assert resp.status_code == 403, path
        assert resp.headers["content-type"] == "application/problem+json"
    create = await gw.post(
        "/v1/reports/campaign-costs",
        headers=bearer(SCOPED_KEY),
        json={"source": "x", "period_start": "2026-03-01", "period_end": "2026-03-02",
              "cost_agorot": 1},
    )  # fmt: skip
    assert create.status_code == 403


async def test_r3_r6_report_routes(gw, reporting_addr):
    owner, party = reporting_addr["owner"], reporting_addr["party"]
    targets = (await gw.get("/v1/reports/targets", params=MARCH, headers=CFG)).json()
    assert targets["targets"] == []
    perf = (await gw.get("/v1/reports/performance", params=MARCH, headers=CFG)).json()
    assert perf["reps"] == [
        {
            "owner_id": owner, "leads_handled": 1, "leads_responded": 1,
            "median_response_seconds": 600.0, "average_response_seconds": 600.0, "calls": 0,
            "answered_calls": 0, "messages_sent": 0, "deals_won": 1, "deals_lost": 0,
            "won_amount_agorot": 10_000, "revenue_net_agorot": 10_000, "win_rate": 1.0,
        }
    ]  # fmt: skip
    funnel = (await gw.get("/v1/reports/funnel", params=MARCH, headers=CFG)).json()
    assert (funnel["deals_created"], funnel["deals_won"], funnel["win_rate"]) == (1, 1, 1.0)
    finance = (await gw.get("/v1/reports/finance", params=MARCH, headers=CFG)).json()
    assert finance["customers_total"] == 1
    too_many = await gw.get(
        "/v1/reports/finance", params={**MARCH, "customer_limit": 0}, headers=CFG
    )
    assert too_many.status_code == 422
    assert [e["field"] for e in too_many.json()["errors"]] == ["customer_limit"]
    assert finance["customers"] == [
        {
            "key": party, "name": "דנה כהן", "invoiced_agorot": 11_800,
            "revenue_net_agorot": 10_000, "credited_agorot": 0, "collected_agorot": 0,
            "open_balance_agorot": 11_800,
            "aging": {"days_0_30_agorot": 11_800, "days_31_60_agorot": 0,
                      "days_61_90_agorot": 0, "days_over_90_agorot": 0},
        }
    ]  # fmt: skip
    assert finance["recency"] == [
        {"party_id": party, "name": "דנה כהן", "last_invoice_date": "2026-03-31",
         "days_since": 0, "bucket": "0-30"}
    ]  # fmt: skip
    tasks = await gw.get(
        "/v1/reports/tasks", params={**MARCH, "now": "2026-03-02T12:00:00+02:00"}, headers=CFG
    )
    body = tasks.json()
    naive = await gw.get(
        "/v1/reports/tasks", params={**MARCH, "now": "2026-03-02T12:00:00"}, headers=CFG
    )
    assert naive.status_code == 422
    assert [e["field"] for e in naive.json()["errors"]] == ["now"]
    assert body["now"].startswith("2026-03-02T10:00:00")
    # due 3 March: as of 2 March not overdue; as of today it is
    assert (body["total"]["created"], body["total"]["overdue"]) == (1, 0)
    today = (await gw.get("/v1/reports/tasks", params=MARCH, headers=CFG)).json()
    assert today["by_assignee"] == [
        {"task_type_key": "", "assignee_user_id": owner, "team_id": "", "created": 1,
         "done": 0, "overdue": 1, "sla_breaches": 0, "sla_met": 0}
    ]  # fmt: skip
