"""The adapter interface every channel's provider implements."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OutboundAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    id: uuid.UUID
    tenant_id: uuid.UUID
    channel: str
    to_address: str
    from_address: str
    subject: str
    text: str
    html: str
    language: str
    provider_template: str | None = None
    template_params: tuple[str, ...] = ()
    attachments: tuple[OutboundAttachment, ...] = ()
    unsubscribe_url: str | None = None
    unsubscribe_mailto: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SendResult:
    provider_message_id: str


class TransientSendError(Exception):
    """Try again later (timeouts, 429, 5xx, SMTP 4xx)."""


class PermanentSendError(Exception):
    """Retrying cannot help (invalid number, 4xx, SMTP 5xx, channel not configured)."""


class ProviderAdapter(Protocol):
    channel: str
    # True when the provider dedupes on our idempotency key, so a send interrupted
    # by a crash can be retried without a second delivery.
    supports_idempotency: bool

    async def send(self, message: OutboundMessage) -> SendResult: ...

    async def close(self) -> None: ...


class NotConfigured:
    supports_idempotency = True

    def __init__(self, channel: str) -> None:
        self.channel = channel

    async def send(self, message: OutboundMessage) -> SendResult:
        raise PermanentSendError(f"no {self.channel} provider is configured")

    async def close(self) -> None:
        return None


def http_error(status: int, body: str) -> Exception:
    """Map an HTTP status of a provider API to a transient or permanent error."""
    text = f"provider HTTP {status}: {body[:300]}"
    if status == 429 or status >= 500:
        return TransientSendError(text)
    return PermanentSendError(text)
