"""L8 through the gateway: GET /v1/billing/won-deals lists the won deals billing holds, the
parked ones (waiting for their customer's customer.created) included. A real billing gRPC
server on its own migrated database; the deals arrive through billing's deal.won handler."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest

import crm_billing
from crm.events.leads.v1 import deal_events_pb2 as dev
from crm_billing.api.servicer import SERVICE_NAMES, register
from crm_billing.consumers.leads import on_deal_won
from crm_billing.settings import BillingSettings
from crm_common.db import unit_of_work, uuid7
from crm_common.kafka.consumer import Event
from crm_common.protoutil import timestamp
from crm_devstack.testing import migrated_database, serve_in_process

from .conftest import CONFIG_KEY, CONFIG_TENANT, SCOPED_KEY, bearer

CFG = bearer(CONFIG_KEY)
WON_AT = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)
BILLING_MIGRATIONS = Path(crm_billing.__file__).parent / "migrations"


def _deal_won(party_id: uuid.UUID, title: str, party_name: str) -> Event:
    payload = dev.DealWon(
        deal_id=str(uuid7()), party_id=str(party_id), lead_id=str(uuid7()), title=title,
        amount_agorot=250_000, currency="ILS", party_name=party_name,
    )  # fmt: skip
    payload.won_at.CopyFrom(timestamp(WON_AT))
    return Event(
        id=uuid7(), type="deal.won", tenant_id=CONFIG_TENANT, occurred_at=WON_AT,
        topic="crm.leads.deal", key="", payload=payload, headers={},
    )  # fmt: skip


@pytest.fixture(scope="module")
async def billing(make_database):
    url = migrated_database(make_database, "gw_won_deals_billing", BILLING_MIGRATIONS)
    async with serve_in_process(
        BillingSettings, register, SERVICE_NAMES, url=url, pool_size=5
    ) as srv:
        sessionmaker = srv.sessionmaker
        waiting = uuid7()
        events = [
            _deal_won(waiting, "מזגן לחדר שינה", party_name=""),  # no name at all: parked
            _deal_won(waiting, "התקנה", party_name=""),  # parked
            _deal_won(uuid7(), "מזגן לסלון", party_name="דנה כהן"),  # named: ordered at once
        ]
        for e in events:
            async with unit_of_work(sessionmaker, tenant_id=CONFIG_TENANT) as s:
                await on_deal_won(s, e)
        yield {"addr": srv.addr, "waiting": str(waiting)}


@pytest.fixture
async def gw(make_client, billing):
    async with make_client(billing_addr=billing["addr"]) as c:
        yield c


async def test_l8_parked_won_deals_are_visible_through_the_gateway(gw, billing):
    resp = await gw.get("/v1/billing/won-deals", params={"status": "parked"}, headers=CFG)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert [w["title"] for w in body["won_deals"]] == ["התקנה", "מזגן לחדר שינה"]
    first = body["won_deals"][0]
    assert first["status"] == "parked" and first["order_id"] == ""
    assert first["party_id"] == billing["waiting"]
    assert first["amount_agorot"] == 250_000  # a JSON number, agorot
    assert first["won_at"] == "2026-11-25T21:00:00Z"
    assert body["next_page_token"] == ""
    assert "התקנה" in resp.text  # not \\u-escaped

    ordered = (await gw.get("/v1/billing/won-deals?status=ordered", headers=CFG)).json()
    (deal,) = ordered["won_deals"]
    assert (deal["title"], deal["status"]) == ("מזגן לסלון", "ordered") and deal["order_id"]
    page = (await gw.get("/v1/billing/won-deals?page_size=2", headers=CFG)).json()
    assert len(page["won_deals"]) == 2 and page["next_page_token"]
    rest = await gw.get(
        "/v1/billing/won-deals",
        params={"page_size": 2, "page_token": page["next_page_token"]},
        headers=CFG,
    )
    assert [w["title"] for w in rest.json()["won_deals"]] == ["מזגן לחדר שינה"]


async def test_l8_won_deals_route_refuses_bad_input_and_needs_billing_read(gw):
    bad = await gw.get("/v1/billing/won-deals?status=lost", headers=CFG)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(
        "application/problem+json"
    )
    token = await gw.get("/v1/billing/won-deals?page_token=nope", headers=CFG)
    assert token.status_code == 422 and token.json()["detail"] == "page_token is not valid"
    denied = await gw.get("/v1/billing/won-deals", headers=bearer(SCOPED_KEY))
    assert denied.status_code == 403
