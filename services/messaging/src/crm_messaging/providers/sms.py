"""SMS: Twilio-style REST API, GSM-7 / UCS-2 segment counting and cost estimate.

Wire format (Twilio's Programmable Messaging):
``POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`` with a form body
``To, From, Body, StatusCallback``, HTTP Basic auth ``AccountSid:AuthToken``;
the answer is JSON with ``sid`` and ``status``. We also send an
``Idempotency-Key`` header (our message id); the simulated provider dedupes on
it (see docs/adr/messaging-0001-one-outbound-pipeline-and-a-dispatcher.md).
"""

from __future__ import annotations

import math

import httpx

from crm_messaging.providers.base import (
    OutboundMessage,
    SendResult,
    TransientSendError,
    http_error,
)

# GSM 03.38 basic character set and the extension table (each extension char costs 2).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")


def sms_encoding(text: str) -> str:
    """``GSM-7`` when every character fits the GSM alphabet, else ``UCS-2`` (Hebrew)."""
    return "GSM-7" if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text) else "UCS-2"


def sms_segments(text: str) -> int:
    """How many SMS parts the text costs.

    GSM-7: 160 characters in one part, 153 per part when concatenated; UCS-2
    (any Hebrew letter): 70 in one part, 67 per part (counted in UTF-16 code
    units, so an emoji counts 2).
    """
    if not text:
        return 1
    if sms_encoding(text) == "GSM-7":
        units = sum(2 if c in GSM7_EXTENSION else 1 for c in text)
        single, multi = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    return 1 if units <= single else math.ceil(units / multi)


def sms_cost_agorot(text: str, per_segment_agorot: int) -> int:
    return sms_segments(text) * per_segment_agorot


class TwilioSmsAdapter:
    channel = "sms"
    supports_idempotency = True

    def __init__(
        self,
        *,
        api_url: str,
        account_sid: str,
        auth_token: str,
        status_callback: str | None = None,
        timeout_s: float = 10.0,
    ) -> None:
        self.account_sid = account_sid
        self.status_callback = status_callback
        self.client = httpx.AsyncClient(
            base_url=api_url,
            auth=(account_sid, auth_token),
            timeout=timeout_s,
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=32),
        )

    async def send(self, message: OutboundMessage) -> SendResult:
        form = {"To": message.to_address, "From": message.from_address, "Body": message.text}
        if self.status_callback:
            form["StatusCallback"] = self.status_callback
        try:
            resp = await self.client.post(
                f"/2010-04-01/Accounts/{self.account_sid}/Messages.json",
                data=form,
                headers={"Idempotency-Key": str(message.id)},
            )
        except httpx.HTTPError as exc:
            raise TransientSendError(f"SMS provider unreachable: {exc!r}") from exc
        if resp.status_code >= 300:
            raise http_error(resp.status_code, resp.text)
        return SendResult(provider_message_id=resp.json()["sid"])

    async def close(self) -> None:
        await self.client.aclose()
