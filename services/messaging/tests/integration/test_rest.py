"""The messaging REST API at the gateway: problem+json with field errors for bad input
(nothing changes), idempotent sends, campaigns with progress (M1, M3, M4)."""

from __future__ import annotations

import base64


async def test_m1_rest_send_is_idempotent_and_bad_input_is_problem_json(gateway, messaging, stored):
    _, sessionmaker, _, _ = messaging
    c, auth = gateway.client, gateway.auth
    before = await stored(sessionmaker, gateway.tenant)
    bad = await c.post(
        "/v1/messaging/messages",
        json={"idempotency_key": "rest-1", "channel": "email", "to": "nobody", "text": "x"},
        headers=auth,
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in bad.json()["errors"]} == {"to_address", "subject"}
    wrong_channel = await c.post(
        "/v1/messaging/messages",
        json={"idempotency_key": "rest-1", "channel": "fax", "to": "x"},
        headers=auth,
    )
    assert wrong_channel.status_code == 422
    assert await stored(sessionmaker, gateway.tenant) == before

    body = {
        "idempotency_key": "rest-2",
        "channel": "email",
        "to": "client@example.com",
        "subject": "חשבונית",
        "text": "מצורפת",
        "attachments": [
            {
                "filename": "a.pdf",
                "content_type": "application/pdf",
                "content_base64": base64.b64encode(b"%PDF-1.4").decode(),
            }
        ],
    }
    first = await c.post("/v1/messaging/messages", json=body, headers=auth)
    again = await c.post("/v1/messaging/messages", json=body, headers=auth)
    assert first.status_code == 202, first.text
    assert (first.json()["replayed"], again.json()["replayed"]) == (False, True)
    mid = first.json()["message"]["id"]
    assert again.json()["message"]["id"] == mid
    got = await c.get(f"/v1/messaging/messages/{mid}", headers=auth)
    assert got.json()["status"] == "queued"
    assert (await c.get("/v1/messaging/messages/nope", headers=auth)).status_code == 422


async def test_m3_rest_campaign_with_progress(gateway):
    c, auth = gateway.client, gateway.auth
    r = await c.put(
        "/v1/messaging/templates/welcome",
        json={"channel": "sms", "language": "he", "text": "שלום {{first_name}}, ברוכים הבאים"},
        headers=auth,
    )
    assert r.status_code == 200, r.text
    preview = await c.post(
        "/v1/messaging/templates/welcome/preview",
        json={"channel": "sms", "variables": {}},
        headers=auth,
    )
    assert preview.status_code == 422
    assert preview.json()["errors"] == [
        {"field": "variables.first_name", "detail": "placeholder {{first_name}} has no value"}
    ]
    created = await c.post(
        "/v1/messaging/campaigns",
        json={
            "name": "ברוכים הבאים",
            "channel": "sms",
            "purpose": "transactional",
            "template": "welcome",
            "recipients": [
                {"address": "054-555-0101", "variables": {"first_name": "דן"}},
                {"address": "054-555-0102", "variables": {"first_name": "גל"}},
            ],
        },
        headers=auth,
    )
    assert created.status_code == 201, created.text
    campaign = created.json()
    assert campaign["progress"]["total"] == 2 and campaign["progress"]["pending"] == 2
    got = await c.get(f"/v1/messaging/campaigns/{campaign['id']}", headers=auth)
    assert got.json()["status"] == "scheduled"
