"""A simulated provider: one small HTTP server speaking the wire formats our adapters use.

* ``POST /2010-04-01/Accounts/{sid}/Messages.json`` (Twilio-style SMS, form body,
  Basic auth); dedupes on the ``Idempotency-Key`` header.
* ``POST /v21.0/{phone_number_id}/messages`` (WhatsApp Cloud API, JSON, bearer token).
* ``POST /v1/calls`` (PBX click-to-call).

Tests, the bench and local development use it in place of the real providers.
It can be told to fail the next N requests with a status (``fail_next``) to
exercise retries. Everything it accepted is in :attr:`accepted` (``GET /stats`` sums it up).

``python -m crm_messaging.providers.simulator [port]`` runs it on its own.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl


@dataclass
class Accepted:
    kind: str
    to: str
    body: dict
    provider_id: str


@dataclass
class ProviderSimulator:
    host: str = "127.0.0.1"
    port: int = 0
    account_sid: str = "AC00000000000000000000000000000000"
    auth_token: str = "sim-auth-token"
    access_token: str = "sim-access-token"
    accepted: list[Accepted] = field(default_factory=list)
    fail_queue: list[int] = field(default_factory=list)
    _by_key: dict[str, str] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def fail_next(self, count: int, status: int = 503) -> None:
        self.fail_queue.extend([status] * count)

    def received_per_recipient(self, kind: str = "sms") -> Counter:
        return Counter(a.to for a in self.accepted if a.kind == kind)

    async def start(self) -> ProviderSimulator:
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = lines[0].split(" ", 2)
                headers = {
                    k.strip().lower(): v.strip()
                    for k, v in (ln.split(":", 1) for ln in lines[1:] if ":" in ln)
                }
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status, payload = self.handle(method, path, headers, body)
                data = json.dumps(payload).encode()
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def handle(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, dict]:
        if method == "GET" and path == "/stats":
            per = self.received_per_recipient()
            return 200, {
                "accepted": len(self.accepted),
                "recipients": len(per),
                "max_per_recipient": max(per.values(), default=0),
            }
        if self.fail_queue:
            return self.fail_queue.pop(0), {"message": "simulated failure"}
        if method == "POST" and path == f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
            if headers.get("authorization") != f"Basic {expected}":
                return 401, {"code": 20003, "message": "Authenticate"}
            form = dict(parse_qsl(body.decode()))
            if not form.get("To") or not form.get("Body"):
                return 400, {"code": 21604, "message": "'To' and 'Body' are required"}
            key = headers.get("idempotency-key")
            if key and key in self._by_key:
                return 201, {"sid": self._by_key[key], "status": "queued"}
            sid = f"SM{next(self._ids):032x}"
            if key:
                self._by_key[key] = sid
            self.accepted.append(Accepted("sms", form["To"], form, sid))
            return 201, {"sid": sid, "status": "queued", "to": form["To"]}
        if method == "POST" and path.endswith("/messages") and path.startswith("/v"):
            if headers.get("authorization") != f"Bearer {self.access_token}":
                return 401, {"error": {"code": 190, "message": "Invalid OAuth access token"}}
            data = json.loads(body)
            if data.get("messaging_product") != "whatsapp":
                return 400, {"error": {"code": 100, "message": "messaging_product"}}
            wamid = f"wamid.SIM{next(self._ids):020d}"
            self.accepted.append(Accepted("whatsapp", data["to"], data, wamid))
            return 200, {
                "messaging_product": "whatsapp",
                "contacts": [{"input": data["to"], "wa_id": data["to"]}],
                "messages": [{"id": wamid}],
            }
        if method == "POST" and path == "/v1/calls":
            data = json.loads(body)
            call_id = f"call-{next(self._ids)}"
            self.accepted.append(Accepted("call", data.get("to", ""), data, call_id))
            return 201, {"call_id": call_id}
        return 404, {"message": f"no route {method} {path}"}


async def _main(port: int) -> None:
    sim = await ProviderSimulator(port=port).start()
    print(sim.url, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    import sys

    asyncio.run(_main(int(sys.argv[1]) if len(sys.argv) > 1 else 0))
