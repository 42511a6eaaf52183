"""B4 card provider adapter: Stripe's wire format, webhook signatures, the simulated provider."""

from __future__ import annotations

import json
import time
import urllib.parse

import pytest

from crm_billing.payments.stripe import (
    SimulatedStripe,
    StripeClient,
    WebhookRejected,
    form_encode,
    sign,
    verify_webhook,
)

SECRET = "whsec_test"


def test_b4_nested_form_encoding_like_stripe():
    assert form_encode({"amount": 5, "confirm": True, "metadata": {"a": "b"}}) == [
        ("amount", "5"),
        ("confirm", "true"),
        ("metadata[a]", "b"),
    ]


def test_b4_signature_matches_stripes_scheme():
    # HMAC-SHA256 of "<t>.<body>" in hex, as Stripe documents it
    import hashlib
    import hmac

    body = b'{"id":"evt_1"}'
    expected = hmac.new(SECRET.encode(), b"1700000000." + body, hashlib.sha256).hexdigest()
    assert sign(body, SECRET, 1700000000) == f"t=1700000000,v1={expected}"


def test_b4_webhook_verification_rejects_forgery_and_stale_timestamps():
    body = json.dumps({"id": "evt_1", "object": "event", "type": "x"}).encode()
    now = time.time()
    header = sign(body, SECRET, int(now))
    assert verify_webhook(body, header, SECRET, now=now)["id"] == "evt_1"
    with pytest.raises(WebhookRejected, match="does not match"):
        verify_webhook(body + b" ", header, SECRET, now=now)
    with pytest.raises(WebhookRejected, match="does not match"):
        verify_webhook(body, header, "whsec_other", now=now)
    with pytest.raises(WebhookRejected, match="tolerance"):
        verify_webhook(body, header, SECRET, now=now + 301)
    with pytest.raises(WebhookRejected, match="timestamp"):
        verify_webhook(body, "v1=abc", SECRET, now=now)
    # a rotated secret: any of several v1 signatures may match
    both = f"{header},v1={'0' * 64}"
    assert verify_webhook(body, both, SECRET, now=now)["id"] == "evt_1"


async def test_b4_simulated_provider_is_idempotent_and_signs_its_webhooks():
    sim = SimulatedStripe(webhook_secret=SECRET)
    client = StripeClient(api_key="sk_test_x", transport=sim)
    first = await client.create_charge(
        amount_agorot=1000, card_token="pm_card_visa", idempotency_key="k1", metadata={"p": "1"}
    )
    again = await client.create_charge(
        amount_agorot=1000, card_token="pm_card_visa", idempotency_key="k1", metadata={"p": "1"}
    )
    assert first == again and len(sim.intents) == 1 and len(sim.outbox) == 1
    form = dict(urllib.parse.parse_qsl(sim.requests[0][3].decode()))
    assert form["currency"] == "ils" and form["metadata[p]"] == "1"
    body, header = sim.outbox[0]
    event = verify_webhook(body, header, SECRET)
    assert event["type"] == "payment_intent.succeeded"
    assert event["data"]["object"]["id"] == first.id

    await client.create_charge(
        amount_agorot=1, card_token="pm_card_chargeDeclined", idempotency_key="k2", metadata={}
    )
    declined = verify_webhook(*sim.outbox[1], SECRET)
    assert declined["type"] == "payment_intent.payment_failed"
    assert declined["data"]["object"]["last_payment_error"]["code"] == "card_declined"


async def test_b4_a_wrong_api_key_is_a_provider_error():
    from crm_billing.payments.stripe import ProviderError

    client = StripeClient(api_key="bad", transport=SimulatedStripe(webhook_secret=SECRET))
    with pytest.raises(ProviderError, match="Invalid API Key"):
        await client.create_charge(
            amount_agorot=1, card_token="pm_card_visa", idempotency_key="k", metadata={}
        )
