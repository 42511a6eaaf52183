"""Failpoints: named places where a process can be told to die, for crash tests.

``CRM_FAILPOINTS=consumer.after_commit`` makes the process exit at once (no
cleanup, like a SIGKILL) the first time it reaches that point. Unset in
production; it costs one set lookup.
"""

from __future__ import annotations

import logging
import os

_log = logging.getLogger(__name__)
EXIT_CODE = 86


def _armed() -> frozenset[str]:
    raw = os.environ.get("CRM_FAILPOINTS", "")
    return frozenset(p.strip() for p in raw.split(",") if p.strip())


_ARMED = _armed()


def failpoint(name: str) -> None:
    if name in _ARMED:
        _log.warning("failpoint %s reached: exiting", name)
        logging.shutdown()
        os._exit(EXIT_CODE)
