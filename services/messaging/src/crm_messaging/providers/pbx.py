"""PBX click-to-call: ``POST {base}/v1/calls`` ``{"from_extension", "to"}`` -> ``{"call_id"}``.

The PBX rings the agent's extension first, then dials the customer; its call
webhooks (started / answered / ended / recording ready) follow as for any call.
"""

from __future__ import annotations

import httpx

from crm_messaging.providers.base import PermanentSendError, TransientSendError, http_error


class PbxAdapter:
    def __init__(self, *, api_url: str | None, api_token: str, timeout_s: float = 10.0) -> None:
        self.client = (
            httpx.AsyncClient(
                base_url=api_url,
                headers={"Authorization": f"Bearer {api_token}"} if api_token else {},
                timeout=timeout_s,
            )
            if api_url
            else None
        )

    async def click_to_call(self, *, extension: str, to_number: str, reference: str) -> str:
        if self.client is None:
            raise PermanentSendError("no PBX is configured")
        try:
            resp = await self.client.post(
                "/v1/calls",
                json={"from_extension": extension, "to": to_number, "reference": reference},
            )
        except httpx.HTTPError as exc:
            raise TransientSendError(f"PBX unreachable: {exc!r}") from exc
        if resp.status_code >= 300:
            raise http_error(resp.status_code, resp.text)
        return resp.json()["call_id"]

    async def close(self) -> None:
        if self.client is not None:
            await self.client.aclose()
