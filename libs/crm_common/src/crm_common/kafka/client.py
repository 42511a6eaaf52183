"""confluent-kafka clients configured the same way in every process."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from crm_common.settings import KafkaSettings

_log = logging.getLogger(__name__)


def producer_config(settings: KafkaSettings, *, client_id: str) -> dict[str, object]:
    return {
        "bootstrap.servers": settings.kafka_bootstrap_servers,
        "client.id": client_id,
        "enable.idempotence": True,
        "acks": "all",
        "linger.ms": 5,
        "compression.type": "none",
        "delivery.timeout.ms": settings.kafka_delivery_timeout_ms,
        "request.timeout.ms": min(5000, settings.kafka_delivery_timeout_ms),
        "socket.connection.setup.timeout.ms": 3000,
        "reconnect.backoff.max.ms": 2000,
        "topic.metadata.refresh.interval.ms": 10000,
    }


def consumer_config(settings: KafkaSettings, *, group_id: str, client_id: str) -> dict[str, object]:
    return {
        "bootstrap.servers": settings.kafka_bootstrap_servers,
        "group.id": group_id,
        "client.id": client_id,
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "earliest",
        "session.timeout.ms": settings.kafka_session_timeout_ms,
        "heartbeat.interval.ms": max(500, settings.kafka_session_timeout_ms // 3),
        "max.poll.interval.ms": settings.kafka_max_poll_interval_ms,
        # An idle fetch waits at most this long for new data (librdkafka's default is
        # 500 ms, which was most of the commit -> consumer lag at a few events a second).
        "fetch.wait.max.ms": settings.kafka_fetch_wait_max_ms,
        "reconnect.backoff.max.ms": 2000,
        "topic.metadata.refresh.interval.ms": 5000,
    }


def make_producer(settings: KafkaSettings, *, client_id: str) -> Producer:
    return Producer(producer_config(settings, client_id=client_id))


def make_consumer(settings: KafkaSettings, *, group_id: str, client_id: str) -> Consumer:
    return Consumer(consumer_config(settings, group_id=group_id, client_id=client_id))


def ensure_topics(
    settings: KafkaSettings, topics: Iterable[str], *, timeout: float = 10.0
) -> list[str]:
    """Create the topics that do not exist yet; return the ones created."""
    wanted = sorted(set(topics))
    if not wanted:
        return []
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap_servers})
    existing = set(admin.list_topics(timeout=timeout).topics)
    missing = [t for t in wanted if t not in existing]
    if not missing:
        return []
    futures = admin.create_topics(
        [
            NewTopic(t, num_partitions=settings.kafka_topic_partitions, replication_factor=1)
            for t in missing
        ],
        operation_timeout=timeout,
        request_timeout=timeout,
    )
    created = []
    for topic, future in futures.items():
        try:
            future.result(timeout=timeout)
            created.append(topic)
        except KafkaException as exc:
            err = exc.args[0] if exc.args else None
            if isinstance(err, KafkaError) and err.code() == KafkaError.TOPIC_ALREADY_EXISTS:
                continue
            raise
    if created:
        _log.info("created topics", extra={"topics": created})
    return created
