"""The command line every gRPC service shares: ``crm-<service> serve|relay|consume|migrate``.

A service describes itself with a :class:`ServiceApp` (its settings class, how
to register its servicers, its event subscriptions, where its migrations are)
and its console script calls :meth:`ServiceApp.main`. Each command is its own
process, as each is its own Deployment on Kubernetes.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from crm_common.settings import ServiceSettings
from crm_common.telemetry import setup_telemetry, shutdown_telemetry

if TYPE_CHECKING:
    import grpc

    from crm_common.kafka.consumer import Subscription

# Each command imports only what it runs: a relay does not load Alembic, a
# migration does not load the gRPC server. Start-up time matters when one
# machine starts every process of every service.

_log = logging.getLogger(__name__)


@dataclass
class ServiceApp:
    name: str
    settings_factory: Callable[[], ServiceSettings]
    register: Callable[[grpc.aio.Server], None]
    grpc_service_names: list[str]
    migrations: Path
    subscriptions: Callable[[], list[Subscription]] = field(default=list)

    def migrate(self, url: str) -> None:
        """Apply this service's migrations to the database at ``url``."""
        from crm_common.db.migrations import upgrade

        upgrade(url=url, script_location=self.migrations)

    @property
    def consumer_group(self) -> str:
        return f"crm-{self.name}"

    def main(self, argv: list[str] | None = None) -> int:
        parser = argparse.ArgumentParser(prog=f"crm-{self.name}")
        parser.add_argument(
            "command",
            choices=["serve", "relay", "consume", "migrate"],
            help="serve: gRPC server; relay: outbox relay; consume: event consumers; "
            "migrate: apply database migrations",
        )
        args = parser.parse_args(argv)
        settings = self.settings_factory()
        component = {"serve": "", "relay": "-relay", "consume": "-consumer", "migrate": "-migrate"}
        setup_telemetry(f"crm-{self.name}{component[args.command]}", settings)
        try:
            if args.command == "migrate":
                self.migrate(settings.database_url.get_secret_value())
                _log.info("migrations applied", extra={"service": self.name})
                return 0
            asyncio.run(self._run(args.command, settings))
            return 0
        finally:
            shutdown_telemetry()

    async def _run(self, command: str, settings: ServiceSettings) -> None:
        from crm_common.db.session import create_engine, create_sessionmaker
        from crm_common.grpc.server import stop_on_signals

        engine = create_engine(
            settings.database_url.get_secret_value(), pool_size=settings.database_pool_size
        )
        sessionmaker = create_sessionmaker(engine)
        stop = stop_on_signals()
        try:
            if command == "serve":
                from crm_common.grpc.server import serve_grpc

                await serve_grpc(
                    settings=settings,
                    sessionmaker=sessionmaker,
                    register=self.register,
                    service_names=self.grpc_service_names,
                    stop=stop,
                )
            elif command == "relay":
                from crm_common.outbox.relay import OutboxRelay

                relay = OutboxRelay(
                    settings=settings, sessionmaker=sessionmaker, client_id=f"crm-{self.name}-relay"
                )
                await relay.run(stop)
            elif command == "consume":
                subscriptions = self.subscriptions()
                if not subscriptions:
                    _log.info("no subscriptions; consumer idle until stopped")
                    await stop.wait()
                    return
                from crm_common.kafka.consumer import ConsumerRunner

                runner = ConsumerRunner(
                    settings=settings,
                    sessionmaker=sessionmaker,
                    group_id=self.consumer_group,
                    subscriptions=subscriptions,
                )
                await runner.run(stop)
        finally:
            await engine.dispose()
