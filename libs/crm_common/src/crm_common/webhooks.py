"""Generic plumbing to verify inbound webhooks: HMAC signatures, timestamp windows, replay keys.

Provider-specific signing strings (which bytes a provider signs, with which
algorithm and encoding) live with the code that receives that provider's
webhooks; this module only holds what every provider shares. Replay
protection needs shared storage: :func:`replay_key` gives a stable key of the
signed content, which the receiver stores once (a second delivery of the
same signed content is a replay).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from dataclasses import dataclass


@dataclass
class WebhookRejected(Exception):
    """The request is not a verifiable delivery of the provider; nothing may be stored."""

    reason: str

    def __str__(self) -> str:
        return self.reason


def hmac_digest(secret: str | bytes, data: bytes, algorithm: str = "sha256") -> bytes:
    key = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(key, data, algorithm).digest()


def hmac_hex(secret: str | bytes, data: bytes, algorithm: str = "sha256") -> str:
    return hmac_digest(secret, data, algorithm).hex()


def hmac_b64(secret: str | bytes, data: bytes, algorithm: str = "sha256") -> str:
    return base64.b64encode(hmac_digest(secret, data, algorithm)).decode()


def verify_signature(*, expected: str, presented: str | None) -> None:
    """Constant-time comparison; WebhookRejected when missing or different."""
    if not presented:
        raise WebhookRejected("missing signature")
    if not hmac.compare_digest(expected.encode(), presented.strip().encode()):
        raise WebhookRejected("bad signature")


def check_timestamp(
    raw: str | int | float | None,
    *,
    window_s: float = 300.0,
    future_skew_s: float = 60.0,
    now: float | None = None,
) -> float:
    """The timestamp (epoch seconds) when within ``window_s`` of now; else WebhookRejected."""
    if raw is None or raw == "":
        raise WebhookRejected("missing timestamp")
    try:
        ts = float(raw)
    except (TypeError, ValueError):
        raise WebhookRejected("malformed timestamp") from None
    now = time.time() if now is None else now
    if ts < now - window_s:
        raise WebhookRejected("stale timestamp: outside the accepted window")
    if ts > now + future_skew_s:
        raise WebhookRejected("timestamp in the future")
    return ts


def replay_key(*parts: str | bytes) -> str:
    """A stable key of the signed content (sha256 hex of its parts)."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()
