"""Screen-pop fan-out across gateway replicas (M2; ADR messaging-0004).

A PBX webhook lands on one replica; the agent's SSE session may be open on another.
The replica that took the webhook pushes the card to its own sessions at once and
sends it to every other replica with PostgreSQL ``NOTIFY`` on the gateway's own
database; each replica ``LISTEN``s on one dedicated connection and pushes what it
hears to its own sessions (:class:`~crm_gateway.routers.messaging_hub.ScreenPopHub`).

A notification carries the sending replica's id, so a replica ignores its own. Like
any live push it is "at most once, now": a replica that is not listening at that
moment (starting, reconnecting) misses the pop, as a browser that is not connected
does. Without a gateway database (development only) the fan-out is local.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid

import asyncpg

from crm_gateway.routers.messaging_hub import ScreenPopHub

_log = logging.getLogger(__name__)

CHANNEL = "crm_screen_pops"
# PostgreSQL refuses NOTIFY payloads of 8000 bytes or more.
MAX_PAYLOAD = 7900


def _asyncpg_dsn(url: str) -> str:
    scheme, rest = url.split("://", 1)
    return "postgresql://" + rest if scheme.startswith("postgres") else url


class ScreenPops:
    """The replica's hub plus the broadcast to (and from) the other replicas."""

    def __init__(self, database_url: str | None, *, reconnect_max_s: float = 10.0) -> None:
        self.hub = ScreenPopHub()
        self.origin = uuid.uuid4().hex
        self._dsn = _asyncpg_dsn(database_url) if database_url else None
        self._reconnect_max_s = reconnect_max_s
        self._task: asyncio.Task | None = None
        self._listening = asyncio.Event()
        self._publisher: asyncpg.Connection | None = None
        self._publish_lock = asyncio.Lock()
        self.received = 0  # pops heard from other replicas (for tests and metrics)

    @property
    def broadcasting(self) -> bool:
        return self._dsn is not None

    # --- lifecycle ------------------------------------------------------------------

    async def start(self, wait_s: float = 5.0) -> None:
        """Start listening (idempotent); waits until LISTEN is in place or ``wait_s``."""
        if self._dsn is None:
            return
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._listen_forever(), name="screen-pop-listener")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._listening.wait(), wait_s)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._publisher is not None:
            with contextlib.suppress(Exception):
                await self._publisher.close()
            self._publisher = None

    async def _listen_forever(self) -> None:
        delay = 0.2
        while True:
            lost = asyncio.Event()
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(self._dsn)
                conn.add_termination_listener(lambda _c, lost=lost: lost.set())
                await conn.add_listener(CHANNEL, self._on_notify)
                self._listening.set()
                delay = 0.2
                _log.info("screen-pop fan-out listening", extra={"origin": self.origin})
                await lost.wait()
                _log.warning("screen-pop listener connection lost; reconnecting")
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                _log.warning("screen-pop listener cannot connect", extra={"error": repr(exc)})
            finally:
                self._listening.clear()
                if conn is not None and not conn.is_closed():
                    with contextlib.suppress(Exception):
                        await asyncio.shield(conn.close(timeout=2))
            await asyncio.sleep(delay)
            delay = min(self._reconnect_max_s, delay * 2)

    # --- publish / receive ----------------------------------------------------------

    async def publish(self, tenant_id: uuid.UUID, extension: str, payload: dict) -> int:
        """Push to this replica's sessions now and to the other replicas; returns the
        number of local sessions reached."""
        delivered = self.hub.publish(tenant_id, extension, payload)
        if self._dsn is None:
            return delivered
        message = json.dumps(
            {"o": self.origin, "t": str(tenant_id), "x": extension or "", "p": payload},
            ensure_ascii=False,
        )
        if len(message.encode()) > MAX_PAYLOAD:
            _log.warning("screen pop too large to broadcast", extra={"bytes": len(message)})
            return delivered
        try:
            async with self._publish_lock:
                if self._publisher is None or self._publisher.is_closed():
                    self._publisher = await asyncpg.connect(self._dsn, timeout=5)
                await self._publisher.execute("SELECT pg_notify($1, $2)", CHANNEL, message)
        except Exception as exc:  # the local push happened; the webhook must not fail
            _log.warning("screen pop not broadcast", extra={"error": repr(exc)})
            self._publisher = None
        return delivered

    def _on_notify(self, _conn, _pid, _channel, raw: str) -> None:
        try:
            data = json.loads(raw)
            if data.get("o") == self.origin:
                return
            tenant_id = uuid.UUID(data["t"])
            self.received += 1
            self.hub.publish(tenant_id, data.get("x") or "", data["p"])
        except (ValueError, KeyError, TypeError) as exc:
            _log.warning("bad screen-pop notification", extra={"error": repr(exc)})
