"""``crm-gateway serve|migrate|webhooks|relay``."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import uvicorn

from crm_common.telemetry import setup_telemetry, shutdown_telemetry
from crm_gateway.settings import GatewaySettings

MIGRATIONS = Path(__file__).parent / "migrations"
_log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crm-gateway")
    parser.add_argument(
        "command",
        choices=["serve", "migrate", "webhooks", "relay"],
        help="serve: the HTTP API; migrate: apply the gateway database's migrations; "
        "webhooks: consume domain events and deliver outbound webhooks; "
        "relay: publish the gateway's outbox (tenant.created) to Kafka",
    )
    args = parser.parse_args(argv)
    settings = GatewaySettings()
    component = {
        "migrate": "crm-gateway-migrate",
        "webhooks": "crm-gateway-webhooks",
        "relay": "crm-gateway-relay",
    }.get(args.command, "crm-gateway")
    setup_telemetry(component, settings)
    try:
        if args.command == "migrate":
            from crm_common.db.migrations import upgrade

            if settings.database_url is None:
                parser.error("CRM_GATEWAY_DATABASE_URL is required to migrate")
            upgrade(url=settings.database_url.get_secret_value(), script_location=MIGRATIONS)
            _log.info("migrations applied", extra={"service": "gateway"})
            return 0
        if args.command == "webhooks":
            import asyncio

            asyncio.run(_webhooks())
            return 0
        if args.command == "relay":
            import asyncio

            asyncio.run(_relay())
            return 0
        from crm_gateway.app import create_app

        options = {
            "host": settings.host,
            "port": settings.port,
            "log_config": None,
            "access_log": False,
            # X-Forwarded-For is handled by the app (settings.trusted_proxies), so
            # uvicorn's own default (trust 127.0.0.1 / FORWARDED_ALLOW_IPS) is off.
            "proxy_headers": False,
            "timeout_graceful_shutdown": 10,
        }
        if settings.workers > 1:
            # N processes on one port (docs/gateway.md, performance): each builds its own
            # app (and telemetry) through the factory; per-process state (rate-limit
            # buckets, caches) is per worker, as it is per replica.
            uvicorn.run(
                "crm_gateway.main:worker_app", factory=True, workers=settings.workers, **options
            )
        else:
            uvicorn.run(create_app(settings), **options)
    finally:
        shutdown_telemetry()
    return 0


def worker_app():
    """The app of one ``serve`` worker process when ``CRM_GATEWAY_WORKERS`` > 1."""
    from crm_gateway.app import create_app

    settings = GatewaySettings()
    setup_telemetry("crm-gateway", settings)
    return create_app(settings)


async def _webhooks() -> None:
    """The intake consumer and the dispatcher, one process (one replica is enough)."""
    import asyncio

    from crm_common.grpc.server import stop_on_signals
    from crm_common.kafka.consumer import ConsumerRunner
    from crm_common.settings import ServiceSettings, service_config
    from crm_gateway.db import Database
    from crm_gateway.webhooks_out.engine import Dispatcher
    from crm_gateway.webhooks_out.intake import subscriptions

    class WorkerSettings(ServiceSettings):
        model_config = service_config("GATEWAY")

    settings = WorkerSettings()
    db = Database(settings.database_url.get_secret_value(), settings.database_pool_size)
    dispatcher = Dispatcher(db)
    runner = ConsumerRunner(
        settings=settings,
        sessionmaker=db.sessionmaker,
        group_id="crm-gateway-webhooks",
        subscriptions=subscriptions(),
    )
    stop = stop_on_signals()
    try:
        await asyncio.gather(runner.run(stop), dispatcher.run(stop))
    finally:
        await dispatcher.close()
        await db.close()


async def _relay() -> None:
    """The outbox relay of the gateway's database (sign-up writes TenantCreated there)."""
    from crm_common.db import create_engine, create_sessionmaker
    from crm_common.grpc.server import stop_on_signals
    from crm_common.outbox.relay import OutboxRelay
    from crm_common.settings import ServiceSettings, service_config

    class RelaySettings(ServiceSettings):
        model_config = service_config("GATEWAY")

    settings = RelaySettings()
    engine = create_engine(
        settings.database_url.get_secret_value(), pool_size=settings.database_pool_size
    )
    relay = OutboxRelay(
        settings=settings, sessionmaker=create_sessionmaker(engine), client_id="crm-gateway-relay"
    )
    try:
        await relay.run(stop_on_signals())
    finally:
        await engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
