"""WhatsApp Business Cloud API: text and template messages.

``POST {base}/v21.0/{phone-number-id}/messages`` with a bearer token and JSON
``{"messaging_product": "whatsapp", "to": ..., "type": "text", "text": {"body": ...}}``
or ``"type": "template", "template": {"name", "language": {"code"}, "components"}``.
The answer holds ``messages[0].id`` (a ``wamid``).
"""

from __future__ import annotations

import httpx

from crm_messaging.providers.base import (
    OutboundMessage,
    SendResult,
    TransientSendError,
    http_error,
)

GRAPH_VERSION = "v21.0"


def cloud_api_payload(message: OutboundMessage) -> dict:
    to = message.to_address.lstrip("+")
    if message.provider_template:
        template: dict = {"name": message.provider_template, "language": {"code": message.language}}
        if message.template_params:
            template["components"] = [
                {
                    "type": "body",
                    "parameters": [{"type": "text", "text": p} for p in message.template_params],
                }
            ]
        return {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": to,
            "type": "template",
            "template": template,
        }
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": False, "body": message.text},
    }


class WhatsAppCloudAdapter:
    channel = "whatsapp"
    supports_idempotency = False

    def __init__(
        self, *, api_url: str, access_token: str, phone_number_id: str, timeout_s: float = 10.0
    ) -> None:
        self.phone_number_id = phone_number_id
        self.client = httpx.AsyncClient(
            base_url=api_url,
            headers={"Authorization": f"Bearer {access_token}"} if access_token else {},
            timeout=timeout_s,
        )

    async def send(self, message: OutboundMessage) -> SendResult:
        try:
            resp = await self.client.post(
                f"/{GRAPH_VERSION}/{self.phone_number_id}/messages",
                json=cloud_api_payload(message),
            )
        except httpx.HTTPError as exc:
            raise TransientSendError(f"WhatsApp API unreachable: {exc!r}") from exc
        if resp.status_code >= 300:
            raise http_error(resp.status_code, resp.text)
        return SendResult(provider_message_id=resp.json()["messages"][0]["id"])

    async def close(self) -> None:
        await self.client.aclose()
