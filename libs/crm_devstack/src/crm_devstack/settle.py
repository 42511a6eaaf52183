"""Wait until every consumer group of a running stack reads every topic it subscribes to.

After the embedded broker restarts (memory only: topics, groups and offsets are gone), every
group has to rejoin; a group that rebalanced while one of its topics was missing can stay
without that topic's partitions (docs/embedded.md), and until a group has every partition
again, events on the missing ones wait. :func:`settle_consumers` proves the stack is back
to a known state: it sends one *probe* message to every partition of every subscribed topic
(an event type no consumer handles, so the runner skips it and commits its offset) and
waits until every group has committed past its probes.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from confluent_kafka import ConsumerGroupTopicPartitions, KafkaError, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

PROBE_EVENT_TYPE = "devstack.probe"


def consumer_groups(log_files: Iterable[Path]) -> dict[str, list[str]]:
    """``group -> topics`` of the consumers that ran, from their ``consumer started`` log lines.

    Each :class:`crm_common.kafka.consumer.ConsumerRunner` logs its group and topics when it
    starts; the last such line of each log wins.
    """
    groups: dict[str, list[str]] = {}
    for path in log_files:
        if not path.exists():
            continue
        with path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                if '"consumer started"' not in line or not line.startswith("{"):
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue
                if entry.get("msg") == "consumer started" and entry.get("group"):
                    groups[entry["group"]] = sorted(entry.get("topics") or [])
    return groups


@dataclass
class SettleReport:
    """How long each group took to commit past its probes (seconds from the first probe)."""

    seconds: dict[str, float] = field(default_factory=dict)
    # partitions per topic when the probes were sent
    partitions: dict[str, int] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)
    probes: int = 0

    @property
    def slowest(self) -> float:
        return max(self.seconds.values(), default=0.0)


class NotSettled(AssertionError):
    pass


def settle_consumers(
    bootstrap_servers: str,
    groups: Mapping[str, Iterable[str]],
    *,
    partitions: int = 3,
    create_missing: bool = True,
    timeout: float = 90.0,
) -> SettleReport:
    """Probe every partition of every topic of ``groups``; wait until each group consumed them.

    A topic that does not exist (yet) is created with ``partitions`` partitions, as the
    services' own ``ensure_topics`` would. Raises :class:`NotSettled` naming the groups and
    partitions that did not get there within ``timeout``.
    """
    deadline = time.monotonic() + timeout
    wanted = {g: sorted(set(ts)) for g, ts in groups.items()}
    topics = sorted({t for ts in wanted.values() for t in ts})
    report = SettleReport()
    admin = AdminClient({"bootstrap.servers": bootstrap_servers})
    if create_missing:
        report.created = _ensure(admin, topics, partitions)
    counts = _partition_counts(admin, topics, deadline)
    report.partitions = counts

    producer = Producer(
        {
            "bootstrap.servers": bootstrap_servers,
            "client.id": "devstack-settle",
            "acks": "all",
            # Not idempotent: the probe must not depend on producer ids the broker may forget.
            "enable.idempotence": False,
            "allow.auto.create.topics": False,
            "message.timeout.ms": int(max(1.0, deadline - time.monotonic()) * 1000),
        }
    )
    probe_id = str(uuid.uuid4())
    started = time.monotonic()
    sent: dict[tuple[str, int], int] = {}
    errors: list[str] = []

    def on_delivery(err: KafkaError | None, msg) -> None:
        if err is not None:
            errors.append(f"{msg.topic()}/{msg.partition()}: {err}")
        else:
            sent[(msg.topic(), msg.partition())] = msg.offset()

    for topic in topics:
        for partition in range(counts[topic]):
            producer.produce(
                topic,
                partition=partition,
                value=b"",
                headers=[("event_type", PROBE_EVENT_TYPE), ("event_id", probe_id)],
                on_delivery=on_delivery,
            )
    left = producer.flush(max(0.1, deadline - time.monotonic()))
    if left or errors:
        raise NotSettled(f"probes not acknowledged ({left} pending): {errors[:5]}")
    report.probes = len(sent)

    pending = dict(wanted)
    last: dict[str, list[str]] = {}
    while pending:
        for group, group_topics in list(pending.items()):
            behind = _behind(admin, group, group_topics, sent)
            if not behind:
                report.seconds[group] = round(time.monotonic() - started, 1)
                del pending[group]
            else:
                last[group] = behind
        if not pending:
            break
        if time.monotonic() > deadline:
            raise NotSettled(
                f"consumer groups did not read their probes within {timeout:.0f}s: "
                + "; ".join(f"{g}: {', '.join(last.get(g, [])[:6])}" for g in pending)
            )
        time.sleep(0.25)
    return report


def _ensure(admin: AdminClient, topics: list[str], partitions: int) -> list[str]:
    existing = set(admin.list_topics(timeout=10).topics)
    missing = [t for t in topics if t not in existing]
    if not missing:
        return []
    futures = admin.create_topics(
        [NewTopic(t, num_partitions=partitions, replication_factor=1) for t in missing],
        operation_timeout=10,
        request_timeout=10,
    )
    created = []
    for topic, future in futures.items():
        try:
            future.result(timeout=10)
            created.append(topic)
        except Exception as exc:
            err = exc.args[0] if exc.args else None
            if isinstance(err, KafkaError) and err.code() == KafkaError.TOPIC_ALREADY_EXISTS:
                continue
            raise
    return created


def _partition_counts(admin: AdminClient, topics: list[str], deadline: float) -> dict[str, int]:
    while True:
        metadata = admin.list_topics(timeout=10).topics
        counts = {
            t: len(metadata[t].partitions)
            for t in topics
            if t in metadata and metadata[t].error is None and metadata[t].partitions
        }
        if len(counts) == len(topics) or time.monotonic() > deadline:
            missing = sorted(set(topics) - set(counts))
            if missing:
                raise NotSettled(f"topics without partitions: {missing}")
            return counts
        time.sleep(0.2)


def _behind(
    admin: AdminClient,
    group: str,
    topics: list[str],
    sent: Mapping[tuple[str, int], int],
) -> list[str]:
    """The partitions of ``topics`` whose committed offset of ``group`` is not past the probe."""
    parts = [TopicPartition(t, p) for (t, p) in sent if t in topics]
    try:
        result = admin.list_consumer_group_offsets([ConsumerGroupTopicPartitions(group, parts)])[
            group
        ].result(timeout=10)
    except Exception as exc:
        return [f"offsets unavailable ({exc})"]
    committed = {(tp.topic, tp.partition): tp.offset for tp in result.topic_partitions}
    return [
        f"{t}/{p} committed {committed.get((t, p), -1)} probe {offset}"
        for (t, p), offset in sorted(sent.items())
        if t in topics and committed.get((t, p), -1) <= offset
    ]
