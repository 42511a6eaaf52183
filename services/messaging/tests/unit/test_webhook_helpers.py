"""M7: the generic verification helpers (crm_common.webhooks) and the email MIME builder."""

from __future__ import annotations

import uuid

import pytest

from crm_common.webhooks import (
    WebhookRejected,
    check_timestamp,
    hmac_b64,
    hmac_hex,
    replay_key,
    verify_signature,
)
from crm_messaging.providers.base import OutboundMessage
from crm_messaging.providers.email import build_email
from crm_messaging.templates.render import placeholders


def test_m7_signature_must_match_exactly():
    sig = hmac_hex("secret", b"body")
    verify_signature(expected=sig, presented=sig)
    for presented in (
        None,
        "",
        sig[:-1] + ("0" if sig[-1] != "0" else "1"),
        hmac_hex("x", b"body"),
    ):
        with pytest.raises(WebhookRejected):
            verify_signature(expected=sig, presented=presented)


def test_m7_twilio_documented_example_signature():
    """Twilio's documented example (also twilio-python's test): this signing string gives it."""
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    signed = url + "".join(k + params[k] for k in sorted(params))
    assert hmac_b64("12345", signed.encode(), "sha1") == "RSOYDt4T1cUTdK1PDd93/VVr8B8="


def test_m7_timestamp_window():
    now = 1_800_000_000
    assert check_timestamp(str(now - 299), now=now) == now - 299
    for raw, reason in (
        (now - 301, "stale"),
        (now + 61, "future"),
        ("x", "malformed"),
        (None, "missing"),
    ):
        with pytest.raises(WebhookRejected, match=reason):
            check_timestamp(raw, now=now)


def test_m7_replay_key_is_stable_and_unambiguous():
    assert replay_key("a", b"bc") == replay_key("a", "bc")
    assert replay_key("ab", "c") != replay_key("a", "bc")


def test_m4_placeholders_in_order_of_first_appearance():
    assert placeholders("{{ a }} {{b}}", "{{a}} {{c.d}}") == ["a", "b", "c.d"]


def test_m1_email_headers_and_rtl_parts():
    mail = build_email(
        OutboundMessage(
            id=uuid.uuid4(),
            tenant_id=uuid.uuid4(),
            channel="email",
            to_address="a@example.com",
            from_address="Office <office@biz.example>",
            subject="שלום",
            text="טקסט",
            html="",
            language="he",
            unsubscribe_url="https://crm.example/v1/unsubscribe/t/m",
        )
    )
    assert mail["List-Unsubscribe"] == "<https://crm.example/v1/unsubscribe/t/m>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "@biz.example>" in mail["Message-ID"]
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert 'dir="rtl"' in html and "טקסט" in html
