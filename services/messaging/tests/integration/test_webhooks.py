"""M7: provider webhooks verified at the gateway (signature + timestamp window) and
stored once (replays refused); forged, replayed and stale deliveries of every provider
are rejected and store nothing. Also M1 inbound: WhatsApp window, SMS STOP, email threading."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import urlencode

import pytest

from crm.messaging.v1 import messaging_service_pb2 as pb

WA_SECRET = "whatsapp-app-secret-0123456789"
TW_TOKEN = "twilio-auth-token-0123456789"
PBX_SECRET = "pbx-shared-secret-0123456789"
MAIL_KEY = "mailgun-signing-key-0123456789"


@pytest.fixture(scope="module", autouse=True)
async def channels(gateway):
    for provider, secret in (
        ("whatsapp", WA_SECRET),
        ("sms", TW_TOKEN),
        ("pbx", PBX_SECRET),
        ("email", MAIL_KEY),
    ):
        r = await gateway.client.put(
            f"/v1/messaging/channels/{provider}",
            json={"webhook_secret": secret, "verify_token": "verify-me-please"},
            headers=gateway.auth,
        )
        assert r.status_code == 200, r.text


# --- signers (what the providers do) ------------------------------------------------


def wa_body(
    *, ts: int | None = None, wamid: str | None = None, text: str = "שלום, יש לי שאלה"
) -> bytes:
    ts = int(time.time()) if ts is None else ts
    return json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "102290129340398",
                    "changes": [
                        {
                            "field": "messages",
                            "value": {
                                "messaging_product": "whatsapp",
                                "metadata": {
                                    "display_phone_number": "97235551234",
                                    "phone_number_id": "106540352242922",
                                },
                                "contacts": [
                                    {"profile": {"name": "Dana"}, "wa_id": "972504447788"}
                                ],
                                "messages": [
                                    {
                                        "from": "972504447788",
                                        "id": wamid or f"wamid.{uuid.uuid4().hex}",
                                        "timestamp": str(ts),
                                        "type": "text",
                                        "text": {"body": text},
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


def wa_sign(body: bytes, secret: str = WA_SECRET) -> dict:
    sig = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={sig}", "Content-Type": "application/json"}


def tw_sign(url: str, params: dict, token: str = TW_TOKEN) -> dict:
    signed = url + "".join(k + params[k] for k in sorted(params))
    sig = base64.b64encode(
        hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()
    return {"X-Twilio-Signature": sig, "Content-Type": "application/x-www-form-urlencoded"}


def pbx_sign(body: bytes, ts: int | None = None, secret: str = PBX_SECRET) -> dict:
    ts = int(time.time()) if ts is None else ts
    sig = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return {
        "X-PBX-Timestamp": str(ts),
        "X-PBX-Signature": f"v1={sig}",
        "Content-Type": "application/json",
    }


def mail_form(ts: int | None = None, key: str = MAIL_KEY, **fields) -> dict:
    ts = int(time.time()) if ts is None else ts
    token = uuid.uuid4().hex
    sig = hmac.new(key.encode(), f"{ts}{token}".encode(), hashlib.sha256).hexdigest()
    return {"timestamp": str(ts), "token": token, "signature": sig, **fields}


class TestWhatsApp:
    async def test_m7_whatsapp_handshake_echoes_the_challenge_only_with_the_token(self, gateway):
        url = f"/v1/webhooks/{gateway.tenant}/whatsapp"
        ok = await gateway.client.get(
            url,
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": "verify-me-please",
                "hub.challenge": "1158201444",
            },
        )
        assert (ok.status_code, ok.text) == (200, "1158201444")
        bad = await gateway.client.get(
            url, params={"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"}
        )
        assert bad.status_code == 403

    async def test_m7_whatsapp_forged_replayed_and_stale_are_rejected_and_store_nothing(
        self, gateway, messaging, stored
    ):
        _, sessionmaker, _, _ = messaging
        url = f"/v1/webhooks/{gateway.tenant}/whatsapp"
        body = wa_body()
        before = await stored(sessionmaker, gateway.tenant)
        forged = await gateway.client.post(
            url, content=body, headers=wa_sign(body, "not-the-secret")
        )
        tampered = await gateway.client.post(
            url, content=body.replace(b"972504447788", b"972509999999"), headers=wa_sign(body)
        )
        unsigned = await gateway.client.post(url, content=body)
        old = wa_body(ts=int(time.time()) - 3600)
        stale = await gateway.client.post(url, content=old, headers=wa_sign(old))
        assert [r.status_code for r in (forged, tampered, unsigned, stale)] == [401] * 4
        assert stale.json()["detail"].startswith("webhook rejected: stale")
        assert forged.headers["content-type"] == "application/problem+json"
        assert await stored(sessionmaker, gateway.tenant) == before

        ok = await gateway.client.post(url, content=body, headers=wa_sign(body))
        assert ok.status_code == 200, ok.text
        after_ok = await stored(sessionmaker, gateway.tenant)
        assert after_ok > before
        replay = await gateway.client.post(url, content=body, headers=wa_sign(body))
        assert replay.status_code == 409
        assert await stored(sessionmaker, gateway.tenant) == after_ok

    async def test_m1_inbound_whatsapp_opens_the_24h_window_for_free_text(
        self, gateway, messaging, simulator, h
    ):
        stub, sessionmaker, _, dispatcher = messaging
        tenant = gateway.tenant
        party = await h.add_party(sessionmaker, tenant, name="יוסי כהן", phone="+972504441122")
        send = dict(
            channel=pb.CHANNEL_WHATSAPP,
            purpose=pb.PURPOSE_TRANSACTIONAL,
            party_id=str(party),
            text="היי יוסי",
        )
        with pytest.raises(Exception) as exc:
            await stub.SendMessage(
                pb.SendMessageRequest(idempotency_key="wa-1", **send), metadata=h.md(tenant)
            )
        assert "24-hour" in exc.value.details()
        # Outside the window an approved template goes out as a template message.
        await stub.PutTemplate(
            pb.PutTemplateRequest(
                template=pb.Template(
                    name="order_ready",
                    channel=pb.CHANNEL_WHATSAPP,
                    language="he",
                    text="שלום {{first_name}}, ההזמנה {{order}} מוכנה",
                    provider_template="order_ready_v2",
                )
            ),
            metadata=h.md(tenant),
        )
        tmpl = await stub.SendMessage(
            pb.SendMessageRequest(
                idempotency_key="wa-2",
                channel=pb.CHANNEL_WHATSAPP,
                party_id=str(party),
                template_name="order_ready",
                variables={"order": "A-17"},
            ),
            metadata=h.md(tenant),
        )
        assert tmpl.message.text == "שלום יוסי, ההזמנה A-17 מוכנה"
        # The customer writes: the window opens and the message is on the party's timeline.
        body = wa_body(text="מתי אפשר לאסוף?").replace(b"972504447788", b"972504441122")
        r = await gateway.client.post(
            f"/v1/webhooks/{tenant}/whatsapp", content=body, headers=wa_sign(body)
        )
        assert r.status_code == 200
        free = await stub.SendMessage(
            pb.SendMessageRequest(idempotency_key="wa-3", **send), metadata=h.md(tenant)
        )
        await dispatcher.dispatch_tenant(tenant, h.later(0))
        sent = [a for a in simulator.accepted if a.kind == "whatsapp" and a.to == "972504441122"]
        assert [a.body["type"] for a in sent] == ["template", "text"]
        assert sent[0].body["template"] == {
            "name": "order_ready_v2",
            "language": {"code": "he"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": "יוסי"},
                        {"type": "text", "text": "A-17"},
                    ],
                }
            ],
        }
        assert sent[1].body["text"]["body"] == "היי יוסי"
        assert free.message.status == "queued"
        listed = await stub.ListMessages(
            pb.ListMessagesRequest(party_id=str(party)), metadata=h.md(tenant)
        )
        inbound = [m for m in listed.messages if m.direction == "in"]
        assert [m.text for m in inbound] == ["מתי אפשר לאסוף?"]
        events = await h.outbox_events(sessionmaker, aggregate_id=inbound[0].id)
        assert [e.type for e in events] == ["message.received"]


class TestSms:
    async def test_m7_sms_forged_replayed_and_stale_are_rejected_and_store_nothing(
        self, gateway, messaging, stored
    ):
        _, sessionmaker, _, _ = messaging
        url = f"https://crm.example/v1/webhooks/{gateway.tenant}/sms"
        params = {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "From": "+972502223344",
            "To": "+97235551234",
            "Body": "מה שעות הפתיחה?",
            "SmsStatus": "received",
            "Timestamp": str(int(time.time())),
        }
        before = await stored(sessionmaker, gateway.tenant)
        forged = await gateway.client.post(
            url, content=urlencode(params), headers=tw_sign(url, params, "wrong")
        )
        other_url = await gateway.client.post(
            url, content=urlencode(params), headers=tw_sign(url.replace("/sms", "/other"), params)
        )
        old = {**params, "Timestamp": str(int(time.time()) - 3600)}
        stale = await gateway.client.post(url, content=urlencode(old), headers=tw_sign(url, old))
        no_ts = {k: v for k, v in params.items() if k != "Timestamp"}
        missing = await gateway.client.post(
            url, content=urlencode(no_ts), headers=tw_sign(url, no_ts)
        )
        assert [r.status_code for r in (forged, other_url, stale, missing)] == [401] * 4
        assert await stored(sessionmaker, gateway.tenant) == before

        ok = await gateway.client.post(url, content=urlencode(params), headers=tw_sign(url, params))
        assert ok.status_code == 200 and "<Response>" in ok.text
        after = await stored(sessionmaker, gateway.tenant)
        replay = await gateway.client.post(
            url, content=urlencode(params), headers=tw_sign(url, params)
        )
        assert replay.status_code == 409
        assert await stored(sessionmaker, gateway.tenant) == after > before

    async def test_m5_sms_stop_reply_opts_out_and_nothing_more_is_sent(self, gateway, messaging, h):
        stub, _, _, _ = messaging
        url = f"https://crm.example/v1/webhooks/{gateway.tenant}/sms"
        params = {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "From": "+972503334455",
            "To": "+97235551234",
            "Body": "הסר",
            "Timestamp": str(int(time.time())),
        }
        r = await gateway.client.post(url, content=urlencode(params), headers=tw_sign(url, params))
        assert r.status_code == 200
        consents = await stub.ListConsents(
            pb.ListConsentsRequest(address="+972503334455"), metadata=h.md(gateway.tenant)
        )
        assert {(c.purpose, c.granted) for c in consents.consents} == {
            (pb.PURPOSE_MARKETING, False),
            (pb.PURPOSE_TRANSACTIONAL, False),
        }
        with pytest.raises(Exception) as exc:
            await stub.SendMessage(
                pb.SendMessageRequest(
                    idempotency_key="after-stop",
                    channel=pb.CHANNEL_SMS,
                    purpose=pb.PURPOSE_TRANSACTIONAL,
                    to_address="050-333-4455",
                    text="תזכורת",
                ),
                metadata=h.md(gateway.tenant),
            )
        assert "opted out" in exc.value.details()


class TestPbx:
    async def test_m7_pbx_forged_replayed_and_stale_are_rejected_and_store_nothing(
        self, gateway, messaging, stored
    ):
        _, sessionmaker, _, _ = messaging
        url = f"/v1/webhooks/{gateway.tenant}/pbx"
        body = json.dumps(
            {
                "event": "call.started",
                "call_id": uuid.uuid4().hex,
                "direction": "in",
                "from": "0504445566",
                "to": "035551234",
                "extension": "101",
            }
        ).encode()
        before = await stored(sessionmaker, gateway.tenant)
        forged = await gateway.client.post(url, content=body, headers=pbx_sign(body, secret="nope"))
        headers = pbx_sign(body)
        headers["X-PBX-Timestamp"] = str(
            int(headers["X-PBX-Timestamp"]) + 1
        )  # ts not what was signed
        moved = await gateway.client.post(url, content=body, headers=headers)
        stale_ts = int(time.time()) - 3600
        stale = await gateway.client.post(url, content=body, headers=pbx_sign(body, ts=stale_ts))
        assert [r.status_code for r in (forged, moved, stale)] == [401] * 3
        assert await stored(sessionmaker, gateway.tenant) == before
        ok_headers = pbx_sign(body)
        assert (await gateway.client.post(url, content=body, headers=ok_headers)).status_code == 200
        after = await stored(sessionmaker, gateway.tenant)
        replay = await gateway.client.post(url, content=body, headers=ok_headers)
        assert replay.status_code == 409
        assert await stored(sessionmaker, gateway.tenant) == after > before


class TestEmailInbound:
    async def test_m7_email_forged_replayed_and_stale_are_rejected_and_store_nothing(
        self, gateway, messaging, stored
    ):
        _, sessionmaker, _, _ = messaging
        url = f"/v1/webhooks/{gateway.tenant}/email"
        fields = {
            "sender": "Dana <dana@example.co.il>",
            "recipient": "office@dana.example",
            "subject": "Re: חשבונית",
            "body-plain": "תודה!",
        }
        before = await stored(sessionmaker, gateway.tenant)
        forged = await gateway.client.post(url, data=mail_form(key="wrong", **fields))
        stale = await gateway.client.post(url, data=mail_form(ts=int(time.time()) - 3600, **fields))
        assert [r.status_code for r in (forged, stale)] == [401, 401]
        assert await stored(sessionmaker, gateway.tenant) == before
        form = mail_form(**fields)
        assert (await gateway.client.post(url, data=form)).status_code == 200
        after = await stored(sessionmaker, gateway.tenant)
        assert (await gateway.client.post(url, data=form)).status_code == 409
        assert await stored(sessionmaker, gateway.tenant) == after > before

    async def test_m1_an_email_reply_is_threaded_to_the_message_it_answers(
        self, gateway, messaging, h
    ):
        stub, sessionmaker, _, _dispatcher = messaging
        tenant = gateway.tenant
        party = await h.add_party(sessionmaker, tenant, email="client@example.org")
        sent = await stub.SendMessage(
            pb.SendMessageRequest(
                idempotency_key="mail-thread-1",
                channel=pb.CHANNEL_EMAIL,
                party_id=str(party),
                subject="הצעת מחיר",
                text="מצורפת הצעת המחיר",
            ),
            metadata=h.md(tenant),
        )
        # The reply comes from another address of the customer's company: threaded by In-Reply-To.
        form = mail_form(
            sender="boss@example.org",
            recipient="office@dana.example",
            subject="Re: הצעת מחיר",
            **{"body-plain": "מאושר", "In-Reply-To": f"<{sent.message.id}.123@dana.example>"},
        )
        form["In-Reply-To"] = f"<{sent.message.id}@dana.example>"
        assert (
            await gateway.client.post(f"/v1/webhooks/{tenant}/email", data=form)
        ).status_code == 200
        listed = await stub.ListMessages(
            pb.ListMessagesRequest(party_id=str(party)), metadata=h.md(tenant)
        )
        reply = [m for m in listed.messages if m.direction == "in"]
        assert [(m.text, m.thread_id) for m in reply] == [("מאושר", f"email:{sent.message.id}")]


class TestUnsubscribeLink:
    async def test_m5_the_unsubscribe_link_opts_out_of_marketing(self, gateway, messaging, h):
        stub, _, _, _ = messaging
        tenant = gateway.tenant
        sent = await stub.SendMessage(
            pb.SendMessageRequest(
                idempotency_key="unsub-1",
                channel=pb.CHANNEL_EMAIL,
                to_address="reader@example.com",
                subject="קבלה",
                text="תודה על הקנייה",
            ),
            metadata=h.md(tenant),
        )
        r = await gateway.client.post(f"/v1/unsubscribe/{tenant}/{sent.message.id}")
        assert r.status_code == 200 and r.json()["unsubscribed"] == "reader@example.com"
        consents = await stub.ListConsents(
            pb.ListConsentsRequest(address="reader@example.com"), metadata=h.md(tenant)
        )
        assert [(c.purpose, c.granted, c.source) for c in consents.consents] == [
            (pb.PURPOSE_MARKETING, False, "unsubscribe link")
        ]
