from __future__ import annotations

import time

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition


def drain(bootstrap: str, topic: str, *, expect: int, timeout: float = 20.0) -> list:
    """Read a topic from the start until ``expect`` messages arrived or time ran out."""
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"drain-{topic}-{time.monotonic_ns()}",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
        }
    )
    # Assign partitions directly: no consumer-group join to wait for.
    partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
    consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
    out: list = []
    deadline = time.monotonic() + timeout
    try:
        while len(out) < expect and time.monotonic() < deadline:
            for msg in consumer.consume(500, timeout=0.5):
                if not msg.error():
                    out.append(msg)
        # A short extra read shows there is nothing beyond what was expected.
        extra_deadline = time.monotonic() + 1.0
        while time.monotonic() < extra_deadline:
            out.extend(m for m in consumer.consume(500, timeout=0.2) if not m.error())
    finally:
        consumer.close()
    return out
