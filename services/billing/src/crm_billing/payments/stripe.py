"""Card clearing through a payment provider, in Stripe's wire format.

:class:`StripeClient` speaks Stripe's REST API (form-encoded ``POST
/v1/payment_intents`` with ``Idempotency-Key``) over a transport, and verifies
Stripe webhooks (``Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of
"<t>.<body>">``, five-minute tolerance). :class:`SimulatedStripe` is a transport
that answers like Stripe and produces the signed webhook events Stripe would
send; tests and development use it. Card numbers never reach this service:
the client sends a payment-method token made by the provider's hosted fields.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

TOLERANCE_S = 300
DECLINED_TOKENS = {"pm_card_chargeDeclined", "pm_card_visa_chargeDeclined"}

Transport = Callable[[str, str, dict[str, str], bytes], Awaitable[tuple[int, dict[str, Any]]]]


class WebhookRejected(Exception):
    pass


class ProviderError(Exception):
    pass


@dataclass(frozen=True, slots=True)
class Charge:
    id: str
    status: str


def form_encode(params: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Stripe's nested form encoding: ``metadata[payment_id]=...``."""
    out: list[tuple[str, str]] = []
    for key, value in params.items():
        name = f"{prefix}[{key}]" if prefix else key
        if isinstance(value, dict):
            out += form_encode(value, name)
        elif isinstance(value, bool):
            out.append((name, "true" if value else "false"))
        else:
            out.append((name, str(value)))
    return out


def sign(body: bytes, secret: str, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_webhook(body: bytes, header: str, secret: str, *, now: float | None = None) -> dict:
    """Stripe's scheme: any v1 signature must match and the timestamp be recent."""
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        parts.setdefault(key, []).append(value)
    try:
        ts = int(parts["t"][0])
    except (KeyError, ValueError):
        raise WebhookRejected("the signature header has no timestamp") from None
    expected = sign(body, secret, ts).split("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, sig) for sig in parts.get("v1", [])):
        raise WebhookRejected("the signature does not match")
    if abs((now if now is not None else time.time()) - ts) > TOLERANCE_S:
        raise WebhookRejected("the signature timestamp is outside the tolerance")
    try:
        event = json.loads(body)
    except ValueError:
        raise WebhookRejected("the body is not JSON") from None
    if event.get("object") != "event" or "type" not in event:
        raise WebhookRejected("the body is not a provider event")
    return event


class StripeClient:
    def __init__(self, *, api_key: str, transport: Transport) -> None:
        self.api_key = api_key
        self.transport = transport

    async def create_charge(
        self,
        *,
        amount_agorot: int,
        card_token: str,
        idempotency_key: str,
        metadata: dict[str, str],
        customer_description: str = "",
    ) -> Charge:
        params = {
            "amount": amount_agorot,
            "currency": "ils",
            "payment_method": card_token,
            "confirm": True,
            "off_session": True,
            "description": customer_description,
            "metadata": metadata,
        }
        body = urllib.parse.urlencode(form_encode(params)).encode()
        status, payload = await self.transport(
            "POST",
            "/v1/payment_intents",
            {
                "Authorization": f"Bearer {self.api_key}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Idempotency-Key": idempotency_key,
                "Stripe-Version": "2024-06-20",
            },
            body,
        )
        if status >= 400:
            message = payload.get("error", {}).get("message", f"HTTP {status}")
            raise ProviderError(message)
        return Charge(id=payload["id"], status=payload["status"])


def payment_intent_event(
    intent: dict[str, Any], *, succeeded: bool, event_id: str, created: int
) -> dict[str, Any]:
    obj = dict(intent, status="succeeded" if succeeded else "requires_payment_method")
    if not succeeded:
        obj["last_payment_error"] = {
            "type": "card_error",
            "code": "card_declined",
            "decline_code": "generic_decline",
            "message": "Your card was declined.",
        }
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": created,
        "type": "payment_intent.succeeded" if succeeded else "payment_intent.payment_failed",
        "livemode": False,
        "data": {"object": obj},
    }


@dataclass
class SimulatedStripe:
    """A transport that answers like Stripe and queues the signed webhooks it would send."""

    webhook_secret: str
    intents: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_idempotency_key: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    outbox: list[tuple[bytes, str]] = field(default_factory=list)
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def __call__(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any]]:
        self.requests.append((method, path, headers, body))
        if not headers.get("Authorization", "").startswith("Bearer sk_"):
            return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key"}}
        key = headers.get("Idempotency-Key")
        if key and key in self.by_idempotency_key:
            return self.by_idempotency_key[key]
        if (method, path) != ("POST", "/v1/payment_intents"):
            return 404, {"error": {"type": "invalid_request_error", "message": "Unknown path"}}
        form = dict(urllib.parse.parse_qsl(body.decode()))
        metadata = {
            k[len("metadata[") : -1]: v for k, v in form.items() if k.startswith("metadata[")
        }
        try:
            amount = int(form["amount"])
        except (KeyError, ValueError):
            return 400, {"error": {"type": "invalid_request_error", "message": "Invalid amount"}}
        n = next(self._ids)
        intent = {
            "id": f"pi_sim{n:08d}",
            "object": "payment_intent",
            "amount": amount,
            "currency": form.get("currency", "ils"),
            "payment_method": form.get("payment_method"),
            "status": "processing",
            "metadata": metadata,
        }
        self.intents[intent["id"]] = intent
        result = (200, intent)
        if key:
            self.by_idempotency_key[key] = result
        succeeded = form.get("payment_method") not in DECLINED_TOKENS
        self.outbox.append(
            signed_event(
                payment_intent_event(
                    intent,
                    succeeded=succeeded,
                    event_id=f"evt_sim{n:08d}",
                    created=int(time.time()),
                ),
                self.webhook_secret,
            )
        )
        return result


def signed_event(event: dict[str, Any], secret: str, timestamp: int | None = None):
    body = json.dumps(event, separators=(",", ":")).encode()
    return body, sign(body, secret, int(time.time()) if timestamp is None else timestamp)
