"""Leads and sales pipeline end to end (L1, L3, L4, L5, L8): the whole stack over HTTP,
events read back from the broker and decoded with the published protos."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

import httpx
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from crm.events.leads.v1 import deal_events_pb2 as dev
from crm_common.kafka import headers as h

from .conftest import eventually

PROBLEM = "application/problem+json"


def _deal_events(stack, deal_id: str) -> list[tuple[str, bytes]]:
    consumer = Consumer(
        {
            "bootstrap.servers": stack.broker.bootstrap_servers,
            "group.id": f"e2e-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
        }
    )
    try:
        topic = "crm.leads.deal"
        meta = consumer.list_topics(topic, timeout=10).topics[topic]
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in meta.partitions])
        out, deadline = [], time.monotonic() + 5
        while time.monotonic() < deadline:
            for msg in consumer.consume(500, timeout=0.5):
                if not msg.error() and (msg.key() or b"").decode() == deal_id:
                    out.append((h.decode(msg.headers())[h.EVENT_TYPE], msg.value()))
        return out
    finally:
        consumer.close()


def test_l1_l3_l4_l8_web_form_to_routed_rep_to_won_deal_on_the_topic(api: httpx.Client, stack):
    haifa_rep, rep_a, rep_b = (str(uuid.uuid4()) for _ in range(3))
    team = api.post(
        "/v1/sales-teams", json={"name": "צוות מרכז", "member_ids": [rep_a, rep_b]}
    ).json()
    r = api.post(
        "/v1/routing-rules",
        json={
            "position": 1,
            "name": "חיפה",
            "source": "web",
            "city": "חיפה",
            "owner_id": haifa_rep,
        },
    )
    assert r.status_code == 201, r.text
    api.post("/v1/routing-rules", json={"position": 9, "name": "כולם", "team_id": team["id"]})
    form = api.post(
        "/v1/web-forms", json={"name": "דף נחיתה", "source": "web", "campaign": "חורף"}
    ).json()

    public = httpx.Client(base_url=stack.gateway_url, timeout=15)  # no credentials
    sent = public.post(
        form["submit_url"],
        data={
            "name": "שלמה אברהם",
            "phone": "052-5551234",
            "city": "חיפה",
            "utm_source": "google",
            "message": "מעוניין בהצעת מחיר",
            "website": "",
        },
    )
    assert sent.status_code == 202, sent.text
    bot = public.post(form["submit_url"], json={"name": "bot", "email": "b@x.co", "website": "x"})
    assert bot.status_code == 202
    unknown = public.post("/v1/public/forms/wf_nope", json={"name": "x", "email": "a@b.co"})
    assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM

    [lead] = api.get("/v1/leads", params={"owner_id": haifa_rep}).json()["items"]
    assert (lead["name"], lead["channel"], lead["source"]) == ("שלמה אברהם", "web_form", "web")
    assert lead["campaign"] == "חורף" and lead["utm"]["source"] == "google"
    assert lead["phone"] == "+972525551234"
    assert len(api.get("/v1/leads").json()["items"]) == 1  # the honeypot lead was dropped
    timeline = api.get(f"/v1/leads/{lead['id']}/activities").json()
    assert "מעוניין בהצעת מחיר" in timeline[0]["body"]

    q = api.post(f"/v1/leads/{lead['id']}:qualify", json={"qualified": True})
    assert q.status_code == 200 and q.json()["status"] == "qualified"

    [pipeline] = api.get("/v1/pipelines").json()
    stages = {s["name"]: s for s in pipeline["stages"]}
    deal = api.post(
        "/v1/deals",
        json={"title": "מערכת לשלמה", "lead_id": lead["id"], "amount_agorot": 1_800_000},
    ).json()
    assert deal["owner_id"] == haifa_rep and deal["probability"] == 10
    for version, name in enumerate(["בדיקת רלוונטיות", "סגירה", "נסגר בהצלחה"], start=1):
        moved = api.post(
            f"/v1/deals/{deal['id']}:move",
            json={"stage_id": stages[name]["id"], "expected_version": version},
        )
        assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "won" and len(moved.json()["history"]) == 4
    stale = api.post(
        f"/v1/deals/{deal['id']}:move",
        json={"stage_id": stages["סגירה"]["id"], "expected_version": 1},
    )
    assert stale.status_code == 409 and stale.headers["content-type"] == PROBLEM

    def won():
        return [p for t, p in _deal_events(stack, deal["id"]) if t == "deal.won"]

    [payload] = eventually(won)
    event = dev.DealWon.FromString(payload)
    assert (event.deal_id, event.lead_id, event.owner_id) == (deal["id"], lead["id"], haifa_rep)
    assert (event.amount_agorot, event.currency) == (1_800_000, "ILS")
    assert event.party_id == lead["party_id"]
    # L8: the won deal made the lead a customer (contacts consumed LeadConverted).
    assert api.get(f"/v1/leads/{lead['id']}").json()["status"] == "converted"
    customer = eventually(
        lambda: (r := api.get(f"/v1/contacts/{lead['party_id']}")).status_code == 200 and r.json()
    )
    assert customer["name"] == "שלמה אברהם"


def test_l1_web_form_is_rate_limited_per_client(api: httpx.Client, stack):
    form = api.post("/v1/web-forms", json={"name": "טופס", "source": "web"}).json()
    public = httpx.Client(base_url=stack.gateway_url, timeout=15)
    codes = [
        public.post(
            form["submit_url"], json={"name": f"n{i}", "email": f"n{i}@x.co.il"}
        ).status_code
        for i in range(7)
    ]
    assert codes[:5] == [202] * 5
    assert codes[-1] == 429
    assert len(api.get("/v1/leads").json()["items"]) == 5


def test_l1_signed_webhook_and_csv_import_through_the_gateway(api: httpx.Client, stack):
    hook = api.post("/v1/lead-webhooks", json={"name": "Facebook", "source": "ads"}).json()
    body = json.dumps({"name": "רינה", "email": "rina@x.co.il", "city": "עכו"}).encode()
    stamp = str(int(time.time()))
    sig = hmac.new(hook["secret"].encode(), stamp.encode() + b"." + body, hashlib.sha256)
    url = f"{stack.gateway_url}{hook['url']}"
    ok = httpx.post(
        url,
        content=body,
        headers={"X-CRM-Timestamp": stamp, "X-CRM-Signature": sig.hexdigest()},
    )
    assert ok.status_code == 201, ok.text
    assert ok.json()["channel"] == "webhook" and ok.json()["source"] == "ads"
    forged = httpx.post(
        url, content=body, headers={"X-CRM-Timestamp": stamp, "X-CRM-Signature": "0" * 64}
    )
    assert forged.status_code == 403 and forged.headers["content-type"] == PROBLEM

    csv = "שם,טלפון,מייל\nאורי,052-9876543,\n,050-2222222,\nרינה,,rina@x.co.il\n".encode()
    imp = api.post(
        "/v1/lead-imports",
        params={"filename": "leads.csv", "default_source": "exhibition"},
        content=csv,
        headers={"content-type": "text/csv"},
    )
    assert imp.status_code == 201, imp.text
    imp = imp.json()
    assert imp["mapping"] == {"שם": "name", "טלפון": "phone", "מייל": "email"}
    assert [e["row"] for e in imp["errors"]] == [2]
    done = api.post(f"/v1/lead-imports/{imp['id']}:run", json={}).json()
    assert (done["status"], done["imported_rows"], done["failed_rows"]) == ("done", 2, 1)
    # The imported רינה duplicates the webhook lead: text search finds both.
    found = api.get("/v1/leads", params={"q": "rina@"}).json()["items"]
    assert {x["channel"] for x in found} == {"webhook", "import"}
    bad = api.get("/v1/leads", params={"order_by": "phone"})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
