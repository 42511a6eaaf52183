"""Kafka header names every event carries."""

EVENT_TYPE = "event_type"
EVENT_ID = "event_id"
TENANT_ID = "tenant_id"
OCCURRED_AT = "occurred_at"
PAYLOAD_TYPE = "payload_type"
AGGREGATE_TYPE = "aggregate_type"
CONTENT_TYPE = "content-type"
TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
PROTOBUF = "application/x-protobuf"
# Added to a dead-lettered copy.
DLQ_ERROR = "dlq_error"
DLQ_SOURCE = "dlq_source"
DLQ_CONSUMER = "dlq_consumer"


def decode(headers: list[tuple[str, bytes | None]] | None) -> dict[str, str]:
    return {k: (v or b"").decode("utf-8", "replace") for k, v in (headers or [])}
