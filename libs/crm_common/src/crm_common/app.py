"""The command line every gRPC service shares.

``crm-<service> serve|relay|consume|schedule|migrate``.

A service describes itself with a :class:`ServiceApp` (its settings class, how
to register its servicers, its event subscriptions, where its migrations are)
and its console script calls :meth:`ServiceApp.main`. Each command is its own
process, as each is its own Deployment on Kubernetes.

Every service's consumer also handles ``tenant.created`` (the tenant directory
and the service's ``tenant_defaults``, :mod:`crm_common.tenants`), and a
service with ``jobs`` runs them per tenant with ``schedule``
(:mod:`crm_common.scheduler`).
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
    from crm_common.scheduler import Job
    from crm_common.tenants import TenantDefaults

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
    # Defaults for a new tenant (on tenant.created): flush only, idempotent.
    tenant_defaults: TenantDefaults | None = None
    # Per-tenant periodic jobs run by `schedule`.
    jobs: Callable[[], list[Job]] = field(default=list)

    def all_subscriptions(self) -> list[Subscription]:
        """The service's subscriptions plus the standard ``tenant.created`` one."""
        from crm_common.tenants import tenant_subscription

        return [*self.subscriptions(), tenant_subscription(self.tenant_defaults)]

    def consumer_subscriptions(self, sessionmaker) -> list[Subscription]:
        """What ``consume`` runs: every handler first makes sure its tenant is in the
        tenant directory (lazy fill, one insert per tenant and process)."""
        from dataclasses import replace

        from crm_common.tenants import DirectoryFiller

        filler = DirectoryFiller(sessionmaker)

        def wrap(handler):
            async def with_directory(session, event):
                await filler.ensure(event.tenant_id)
                await handler(session, event)

            return with_directory

        return [replace(s, handler=wrap(s.handler)) for s in self.all_subscriptions()]

    def migrate(self, url: str) -> None:
        """Apply this service's migrations to the database at ``url``."""
        from crm_common.db.migrations import upgrade

        upgrade(url=url, script_location=self.migrations)

    def register_with_audit(self, server: grpc.aio.Server) -> None:
        """The service's servicers and ``crm.audit.v1.AuditService`` (every service, A5)."""
        from crm_common.grpc.audit_service import register_audit_service

        self.register(server)
        register_audit_service(server)

    @property
    def all_grpc_service_names(self) -> list[str]:
        from crm_common.grpc.audit_service import SERVICE_NAME

        return [*self.grpc_service_names, SERVICE_NAME]

    @property
    def consumer_group(self) -> str:
        return f"crm-{self.name}"

    def main(self, argv: list[str] | None = None) -> int:
        parser = argparse.ArgumentParser(prog=f"crm-{self.name}")
        parser.add_argument(
            "command",
            choices=["serve", "relay", "consume", "schedule", "migrate"],
            help="serve: gRPC server; relay: outbox relay; consume: event consumers; "
            "schedule: per-tenant periodic jobs; migrate: apply database migrations",
        )
        args = parser.parse_args(argv)
        settings = self.settings_factory()
        component = {
            "serve": "",
            "relay": "-relay",
            "consume": "-consumer",
            "schedule": "-scheduler",
            "migrate": "-migrate",
        }
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
                from crm_common.tenants import DirectoryFiller

                await serve_grpc(
                    settings=settings,
                    sessionmaker=sessionmaker,
                    register=self.register_with_audit,
                    service_names=self.all_grpc_service_names,
                    stop=stop,
                    on_tenant=DirectoryFiller(sessionmaker).ensure,
                )
            elif command == "relay":
                from crm_common.outbox.relay import OutboxRelay

                relay = OutboxRelay(
                    settings=settings, sessionmaker=sessionmaker, client_id=f"crm-{self.name}-relay"
                )
                await relay.run(stop)
            elif command == "consume":
                from crm_common.kafka.consumer import ConsumerRunner

                runner = ConsumerRunner(
                    settings=settings,
                    sessionmaker=sessionmaker,
                    group_id=self.consumer_group,
                    subscriptions=self.consumer_subscriptions(sessionmaker),
                )
                await runner.run(stop)
            elif command == "schedule":
                jobs = self.jobs()
                if not jobs:
                    _log.info("no jobs; scheduler idle until stopped")
                    await stop.wait()
                    return
                from crm_common.scheduler import Scheduler

                await Scheduler(
                    sessionmaker=sessionmaker,
                    jobs=jobs,
                    tick_seconds=settings.scheduler_tick_seconds,
                ).run(stop)
        finally:
            await engine.dispose()
