"""Messaging end to end (M2, M7, M1): an incoming call webhook for a known number pushes
the customer card to a connected SSE client; an inbound WhatsApp message lands on the
party's timeline (contacts consumes messaging's events)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid

import httpx

from .conftest import eventually

PBX_SECRET = "e2e-pbx-secret-" + uuid.uuid4().hex
WA_SECRET = "e2e-wa-app-secret-" + uuid.uuid4().hex


def known_customer(api: httpx.Client, phone: str) -> str:
    lead = api.post(
        "/v1/leads", json={"name": "מיכל אברהם", "phone": phone, "source": "web"}
    ).json()
    assert api.post(f"/v1/leads/{lead['id']}:convert").status_code == 200
    party = lead["party_id"]
    # messaging keeps its own copy of customers from contacts' CustomerCreated
    eventually(lambda: api.get(f"/v1/messaging/parties/{party}").status_code == 200)
    return party


def configure(api: httpx.Client) -> None:
    for provider, secret in (("pbx", PBX_SECRET), ("whatsapp", WA_SECRET)):
        r = api.put(
            f"/v1/messaging/channels/{provider}",
            json={"webhook_secret": secret, "verify_token": "e2e-verify-token"},
        )
        assert r.status_code == 200, r.text


def test_m2_incoming_call_for_a_known_number_pushes_the_card_to_a_connected_client(api):
    configure(api)
    party = known_customer(api, "054-6667788")
    tenant = api.tenant_id
    body = json.dumps(
        {
            "event": "call.started",
            "call_id": uuid.uuid4().hex,
            "direction": "in",
            "from": "+972546667788",
            "to": "+97235551234",
            "extension": "301",
            "timestamp": int(time.time()),
        }
    ).encode()
    ts = str(int(time.time()))
    sig = hmac.new(PBX_SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    headers = {"X-PBX-Timestamp": ts, "X-PBX-Signature": f"v1={sig}"}
    with api.stream("GET", "/v1/messaging/screen-pops/stream", params={"extension": "301"}) as s:
        assert s.status_code == 200
        lines = s.iter_lines()
        assert next(lines) == ": connected"
        with httpx.Client(base_url=str(api.base_url), timeout=15) as provider:
            forged = provider.post(
                f"/v1/webhooks/{tenant}/pbx",
                content=body,
                headers={**headers, "X-PBX-Signature": "v1=" + "0" * 64},
            )
            assert forged.status_code == 401
            r = provider.post(f"/v1/webhooks/{tenant}/pbx", content=body, headers=headers)
            assert r.status_code == 200, r.text
        data = next(line for line in lines if line.startswith("data: "))
    card = json.loads(data[6:])
    assert card["party"]["party_id"] == party
    assert card["party"]["name"] == "מיכל אברהם"
    assert card["agent_extension"] == "301"


def test_m1_inbound_whatsapp_message_lands_on_the_timeline(api):
    configure(api)
    party = known_customer(api, "054-6667799")
    body = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "1",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {"display_phone_number": "97235551234"},
                                "messages": [
                                    {
                                        "from": "972546667799",
                                        "id": f"wamid.{uuid.uuid4().hex}",
                                        "timestamp": str(int(time.time())),
                                        "type": "text",
                                        "text": {"body": "אפשר לקבוע פגישה מחר?"},
                                    }
                                ],
                            },
                        }
                    ],
                }
            ],
        },
        ensure_ascii=False,
    ).encode()
    sig = hmac.new(WA_SECRET.encode(), body, hashlib.sha256).hexdigest()
    with httpx.Client(base_url=str(api.base_url), timeout=15) as provider:
        r = provider.post(
            f"/v1/webhooks/{api.tenant_id}/whatsapp",
            content=body,
            headers={"X-Hub-Signature-256": f"sha256={sig}", "Content-Type": "application/json"},
        )
    assert r.status_code == 200, r.text

    def on_timeline():
        items = api.get(f"/v1/parties/{party}/timeline").json()["items"]
        return [i for i in items if "אפשר לקבוע פגישה מחר?" in json.dumps(i, ensure_ascii=False)]

    (item,) = eventually(on_timeline)
    listed = api.get(f"/v1/messaging/parties/{party}/messages").json()["items"]
    assert [m["text"] for m in listed if m["direction"] == "in"] == ["אפשר לקבוע פגישה מחר?"]
    assert item
