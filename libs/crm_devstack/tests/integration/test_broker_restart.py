"""Foundation (embedded stack): the memory-only broker keeps its topics across a restart, and
``settle_consumers`` proves every consumer group reads every topic again (docs/embedded.md)."""

from __future__ import annotations

import json
import threading

import pytest
from confluent_kafka import Consumer
from confluent_kafka.admin import AdminClient, NewTopic

from crm_devstack.broker import EmbeddedBroker
from crm_devstack.settle import NotSettled, consumer_groups, settle_consumers
from crm_devstack.testing import free_port


@pytest.fixture
def broker(tmp_path):
    broker = EmbeddedBroker(tmp_path / "broker", port=free_port())
    broker.start()
    yield broker
    broker.stop()


def _create(broker: EmbeddedBroker, topics: dict[str, int]) -> None:
    admin = AdminClient({"bootstrap.servers": broker.bootstrap_servers})
    for future in admin.create_topics([NewTopic(t, n, 1) for t, n in topics.items()]).values():
        future.result(10)


def test_foundation_broker_restart_recreates_its_topics_with_their_partition_counts(broker):
    _create(broker, {"h14.five": 5, "h14.one": 1})
    broker.stop()
    assert json.loads(broker.topics_file.read_text()) == {"h14.five": 5, "h14.one": 1}
    broker.start()
    # Recreated by start() itself, before any client could auto-create them (with 4).
    assert broker.topics() == {"h14.five": 5, "h14.one": 1}


def test_foundation_settle_consumers_waits_for_every_group_and_names_the_missing_one(broker):
    _create(broker, {"h14.a": 3, "h14.b": 2})
    stop = threading.Event()

    def consume() -> None:  # what ConsumerRunner does with an event type it does not handle
        consumer = Consumer(
            {
                "bootstrap.servers": broker.bootstrap_servers,
                "group.id": "h14-present",
                "enable.auto.commit": False,
                "auto.offset.reset": "earliest",
                "session.timeout.ms": 6000,
            }
        )
        consumer.subscribe(["h14.a", "h14.b"])
        while not stop.is_set():
            msg = consumer.poll(0.2)
            if msg is not None and not msg.error():
                consumer.commit(message=msg, asynchronous=False)
        consumer.close()

    thread = threading.Thread(target=consume)
    thread.start()
    try:
        report = settle_consumers(
            broker.bootstrap_servers, {"h14-present": ["h14.a", "h14.b"]}, timeout=60
        )
        assert set(report.seconds) == {"h14-present"}
        assert report.partitions == {"h14.a": 3, "h14.b": 2}
        assert report.probes == 5
        with pytest.raises(NotSettled, match=r"h14-absent: h14\.a/0"):
            settle_consumers(broker.bootstrap_servers, {"h14-absent": ["h14.a"]}, timeout=3)
    finally:
        stop.set()
        thread.join()


def test_foundation_consumer_groups_come_from_the_consumers_start_lines(tmp_path):
    log = tmp_path / "x-consume.log"
    log.write_text(
        "%3|1|FAIL|rdkafka| not json\n"
        + json.dumps({"msg": "consumer started", "group": "crm-x", "topics": ["b", "a"]})
        + "\n"
        + json.dumps({"msg": "consumer started", "group": "crm-x", "topics": ["c"]})
        + "\n"
        + json.dumps({"msg": "consumer stopped", "group": "crm-y"})
        + "\n"
    )
    assert consumer_groups([log, tmp_path / "missing.log"]) == {"crm-x": ["c"]}
