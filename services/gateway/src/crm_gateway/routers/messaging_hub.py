"""Screen-pop fan-out: the incoming-call card pushed to the agents' open sessions (SSE).

One hub per gateway app (``app.state.screen_pops.hub``): the sessions connected to
this replica. :mod:`crm_gateway.callpush` feeds it both the pops of the webhooks this
replica takes and those the other replicas broadcast (ADR messaging-0004).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field


@dataclass(eq=False)
class Subscriber:
    tenant_id: uuid.UUID
    extension: str | None
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(maxsize=100))


class ScreenPopHub:
    def __init__(self) -> None:
        self._subscribers: dict[uuid.UUID, set[Subscriber]] = {}

    def subscribe(self, tenant_id: uuid.UUID, extension: str | None) -> Subscriber:
        sub = Subscriber(tenant_id, extension or None)
        self._subscribers.setdefault(tenant_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscriber) -> None:
        subs = self._subscribers.get(sub.tenant_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subscribers[sub.tenant_id]

    def publish(self, tenant_id: uuid.UUID, extension: str, payload: dict) -> int:
        """Push to the tenant's sessions for this extension (and those watching all)."""
        delivered = 0
        for sub in list(self._subscribers.get(tenant_id, ())):
            if sub.extension and extension and sub.extension != extension:
                continue
            try:
                sub.queue.put_nowait(payload)
                delivered += 1
            except asyncio.QueueFull:  # a stuck client must not block the webhook
                pass
        return delivered

    def connected(self, tenant_id: uuid.UUID) -> int:
        return len(self._subscribers.get(tenant_id, ()))
