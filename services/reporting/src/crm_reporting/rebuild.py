"""``crm-reporting rebuild``: empty the analytical tables and replay every topic from the start.

Steps:

1. create missing topics, list every partition of every subscribed topic and ask the broker
   for its end offsets (best effort: the embedded Tansu broker reports them wrong);
2. in one transaction truncate the fact tables (never the platform, outbox or
   audit tables) and delete this service's inbox rows;
3. read every partition from offset 0 with partitions *assigned*, not subscribed (no group to
   join, nothing committed, so the live consumer group's offsets are untouched), and hand each
   batch to the same :meth:`ConsumerRunner.process_batch` the live consumer uses (same inbox
   name: an event the live consumer also handles during the rebuild takes effect once);
4. stop when caught up (below) and return what was replayed.

"Caught up" must hold with a broker whose ListOffsets answers are wrong: we measured Tansu
answering ``(0, 1)`` for partitions of 300+ messages, while the high watermark in its *fetch*
responses is right. So a partition is caught up when the client reported end-of-partition
(``_PARTITION_EOF``, from the fetch response) at an offset at or beyond the end offset listed at
start, and the rebuild ends when every partition is caught up and no message came for
``idle_seconds``. If the end offsets listed at start are wrong the other way (too high), or an
end-of-partition never comes, the rebuild still ends after ``max_idle_seconds`` without any
message, and says so in its result.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field

from confluent_kafka import OFFSET_BEGINNING, KafkaError, KafkaException, TopicPartition
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crm_common.db import unit_of_work
from crm_common.kafka.client import consumer_config, ensure_topics
from crm_common.kafka.consumer import ConsumerRunner, Subscription
from crm_common.settings import ServiceSettings
from crm_reporting.facts.models import FACT_TABLES

_log = logging.getLogger(__name__)

# Tables a rebuild empties: every table made from events, nothing else.
REBUILT_TABLES = (*FACT_TABLES, "lead_source_counts")
# Entered through the API, not derived from events: kept.
KEPT_TABLES = ("campaign_cost",)


def rebuilt_tables() -> list[str]:
    return [t for t in REBUILT_TABLES if t not in KEPT_TABLES]


@dataclass
class RebuildResult:
    partitions: int = 0
    messages: int = 0
    handled: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    seconds: float = 0.0
    start_offsets: dict[str, int] = field(default_factory=dict)
    reached: dict[str, int] = field(default_factory=dict)
    ended_by: str = ""  # "caught-up" | "idle-timeout"


async def truncate(sessionmaker: async_sessionmaker[AsyncSession], consumer: str) -> None:
    async with unit_of_work(sessionmaker) as session:
        await session.execute(text(f"TRUNCATE {', '.join(rebuilt_tables())}"))
        await session.execute(text("DELETE FROM inbox WHERE consumer = :c"), {"c": consumer})


async def rebuild(
    *,
    settings: ServiceSettings,
    sessionmaker: async_sessionmaker[AsyncSession],
    subscriptions: list[Subscription],
    consumer_name: str,
    idle_seconds: float = 1.0,
    max_idle_seconds: float = 15.0,
) -> RebuildResult:
    from confluent_kafka import Consumer

    started = time.monotonic()
    result = RebuildResult()
    runner = ConsumerRunner(
        settings=settings,
        sessionmaker=sessionmaker,
        group_id=consumer_name,
        subscriptions=subscriptions,
    )
    await asyncio.to_thread(ensure_topics, settings, runner.topics)
    config = consumer_config(
        settings, group_id=f"{consumer_name}-rebuild-{uuid.uuid4().hex[:8]}", client_id="rebuild"
    )
    config["enable.partition.eof"] = True
    consumer = Consumer(config)
    try:
        meta = await asyncio.to_thread(consumer.list_topics, None, 10)
        tps = [
            TopicPartition(topic, p, OFFSET_BEGINNING)
            for topic in runner.topics
            for p in sorted(meta.topics[topic].partitions)
        ]
        result.partitions = len(tps)
        target: dict[tuple[str, int], int] = {}
        for tp in tps:
            try:
                _low, high = await asyncio.to_thread(consumer.get_watermark_offsets, tp, 5.0, False)
            except KafkaException:  # best effort, see the module docstring
                high = 0
            target[(tp.topic, tp.partition)] = max(high, 0)
        result.start_offsets = {f"{t}/{p}": o for (t, p), o in target.items()}

        await truncate(sessionmaker, consumer_name)
        consumer.assign(tps)

        eof: dict[tuple[str, int], int] = {}
        last_message = time.monotonic()
        while True:
            msgs = await asyncio.to_thread(consumer.consume, 500, 0.2)
            replay = []
            for msg in msgs:
                key = (msg.topic() or "", msg.partition() or 0)
                err = msg.error()
                if err is not None:
                    if err.code() == KafkaError._PARTITION_EOF:
                        eof[key] = msg.offset() or 0
                    elif err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART:
                        # a topic gone with a restarted broker: nothing there to replay
                        eof[key] = target.get(key, 0)
                    else:
                        _log.warning("rebuild consumer error", extra={"error": str(err)})
                    continue
                last_message = time.monotonic()
                eof.pop(key, None)
                result.messages += 1
                replay.append(msg)
            if replay:
                await runner.process_batch(replay)
            idle = time.monotonic() - last_message
            caught_up = all(eof.get(k, -1) >= target[k] for k in target)
            if caught_up and idle >= idle_seconds:
                result.ended_by = "caught-up"
                break
            if idle >= max_idle_seconds:
                result.ended_by = "idle-timeout"
                _log.warning(
                    "rebuild ended on idle timeout",
                    extra={"missing": [f"{t}/{p}" for (t, p) in target if (t, p) not in eof]},
                )
                break
        result.reached = {f"{t}/{p}": o for (t, p), o in eof.items()}
    finally:
        await asyncio.to_thread(consumer.close)
    result.handled = runner.handled
    result.duplicates = runner.duplicates
    result.dead_lettered = runner.dead_lettered
    result.seconds = time.monotonic() - started
    return result
