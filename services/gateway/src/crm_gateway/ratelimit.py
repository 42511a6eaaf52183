"""Token-bucket rate limits per credential, per tenant and per anonymous client.

In-process: each gateway replica keeps its own buckets, so the effective limit
is ``limit x replicas`` (docs/adr/0010-gateway-access.md).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_s: int
    retry_after_s: int
    window_s: int

    def headers(self) -> dict[str, str]:
        h = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_s),
            "RateLimit-Policy": f"{self.limit};w={self.window_s}",
        }
        if not self.allowed:
            h["Retry-After"] = str(self.retry_after_s)
        return h


class RateLimiter:
    def __init__(self, window_s: int, max_buckets: int = 100_000) -> None:
        self.window_s = window_s
        self.max_buckets = max_buckets
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, updated)

    def hit(self, key: str, limit: int, now: float | None = None) -> Decision:
        now = time.monotonic() if now is None else now
        rate = limit / self.window_s
        tokens, updated = self._buckets.get(key, (float(limit), now))
        tokens = min(float(limit), tokens + (now - updated) * rate)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        if len(self._buckets) >= self.max_buckets and key not in self._buckets:
            self._prune(now)
        self._buckets[key] = (tokens, now)
        return Decision(
            allowed=allowed,
            limit=limit,
            remaining=int(tokens),
            reset_s=math.ceil((limit - tokens) / rate),
            retry_after_s=0 if allowed else max(1, math.ceil((1.0 - tokens) / rate)),
            window_s=self.window_s,
        )

    def _prune(self, now: float) -> None:
        full = [k for k, (_, updated) in self._buckets.items() if now - updated > self.window_s]
        for k in full:
            del self._buckets[k]


def tighter(a: Decision, b: Decision) -> Decision:
    if not a.allowed:
        return a
    if not b.allowed:
        return b
    return a if a.remaining <= b.remaining else b
