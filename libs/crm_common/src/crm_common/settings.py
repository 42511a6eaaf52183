"""Settings: one pydantic-settings class per service, each with its own env prefix.

A service declares ``class LeadsSettings(ServiceSettings)`` with
``model_config = service_config("LEADS")`` and reads ``CRM_LEADS_*``. Required
secrets (the database URL) have no default, so a process without them fails at
start with a message naming the variable instead of failing later.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def service_config(name: str) -> SettingsConfigDict:
    """The settings config of one service: env prefix ``CRM_<NAME>_``."""
    return SettingsConfigDict(
        env_prefix=f"CRM_{name.upper()}_",
        env_file=None,
        extra="ignore",
        case_sensitive=False,
    )


class TelemetrySettings(BaseSettings):
    """Telemetry knobs every process shares (gateway included)."""

    service_name: str = "crm"
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"
    # OTLP/gRPC collector endpoint, e.g. http://otel-collector:4317. Unset: no OTLP export.
    otlp_endpoint: str | None = None
    # Trace export besides OTLP: "none", "console" or "file" (JSON lines at trace_file).
    trace_export: Literal["none", "console", "file"] = "none"
    trace_file: str | None = None


class KafkaSettings(BaseSettings):
    """Kafka client settings shared by the relay and the consumers."""

    kafka_bootstrap_servers: str = "localhost:9092"
    # Short timeouts so a consumer group rebalances quickly (see docs/embedded.md).
    kafka_session_timeout_ms: int = Field(default=6000, ge=1000)
    kafka_max_poll_interval_ms: int = Field(default=10000, ge=1000)
    # how long a fetch with nothing new waits at the broker before answering (lag vs idle requests)
    kafka_fetch_wait_max_ms: int = Field(default=100, ge=1, le=5000)
    kafka_delivery_timeout_ms: int = Field(default=10000, ge=1000)
    kafka_topic_partitions: int = Field(default=3, ge=1)


class ServiceSettings(TelemetrySettings, KafkaSettings):
    """Settings of a gRPC service with a database, an outbox relay and consumers."""

    database_url: SecretStr  # required: fail fast when missing
    database_pool_size: int = Field(default=10, ge=1)
    grpc_host: str = "0.0.0.0"
    grpc_port: int = Field(default=50051, ge=1, le=65535)
    grpc_max_workers: int = Field(default=16, ge=1)
    grpc_grace_seconds: float = Field(default=10.0, ge=0)
    outbox_batch_size: int = Field(default=200, ge=1, le=5000)
    outbox_poll_interval_ms: int = Field(default=100, ge=5)
    outbox_retention_hours: float = Field(default=168.0, ge=0)
    consumer_max_retries: int = Field(default=5, ge=0)
    consumer_retry_backoff_ms: int = Field(default=200, ge=0)
    # `consume`: at most this many already-fetched messages handled per poll (one
    # transaction per tenant among them; crm_common.kafka.consumer).
    consumer_batch_size: int = Field(default=200, ge=1, le=5000)
    # `schedule`: seconds between passes over the jobs and tenants (crm_common.scheduler).
    scheduler_tick_seconds: float = Field(default=30.0, gt=0)

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: SecretStr) -> SecretStr:
        url = value.get_secret_value()
        if not url.startswith(("postgresql+asyncpg://", "postgresql://", "postgres://")):
            raise ValueError("must be a PostgreSQL URL (postgresql+asyncpg://user:pw@host/db)")
        if not url.startswith("postgresql+asyncpg://"):
            url = "postgresql+asyncpg://" + url.split("://", 1)[1]
        return SecretStr(url)
