"""``crm-reporting serve|relay|consume|migrate|rebuild``."""

import argparse
import asyncio
import logging
import sys
from dataclasses import asdict
from pathlib import Path

from crm_common.app import ServiceApp
from crm_reporting.api.servicer import SERVICE_NAMES, register
from crm_reporting.facts.subscriptions import subscriptions
from crm_reporting.jobs import jobs
from crm_reporting.settings import ReportingSettings

app = ServiceApp(
    name="reporting",
    settings_factory=ReportingSettings,
    register=register,
    grpc_service_names=SERVICE_NAMES,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=subscriptions,
    jobs=jobs,  # `schedule`: report schedules (R7, e-mailed, checked every hour)
)


def rebuild_main(argv: list[str]) -> int:
    """``crm-reporting rebuild``: refill the analytical tables from the topics (docs/reporting.md).

    Exits 0 when the replay caught up, 2 when it ended on the idle timeout instead.
    """
    from crm_common.db.session import create_engine, create_sessionmaker
    from crm_common.telemetry import setup_telemetry, shutdown_telemetry
    from crm_reporting.rebuild import rebuild

    parser = argparse.ArgumentParser(prog="crm-reporting rebuild")
    parser.add_argument("--idle-seconds", type=float, default=1.0)
    parser.add_argument("--max-idle-seconds", type=float, default=15.0)
    args = parser.parse_args(argv)
    settings = ReportingSettings()
    setup_telemetry("crm-reporting-rebuild", settings)

    async def run() -> int:
        engine = create_engine(settings.database_url.get_secret_value(), pool_size=2)
        sessionmaker = create_sessionmaker(engine)
        try:
            result = await rebuild(
                settings=settings,
                sessionmaker=sessionmaker,
                # exactly what `consume` runs (tenant.created and the directory fill too)
                subscriptions=app.consumer_subscriptions(sessionmaker),
                consumer_name=app.consumer_group,
                idle_seconds=args.idle_seconds,
                max_idle_seconds=args.max_idle_seconds,
            )
        finally:
            await engine.dispose()
        logging.getLogger(__name__).info("rebuild finished", extra=asdict(result))
        return 0 if result.ended_by == "caught-up" else 2

    try:
        return asyncio.run(run())
    finally:
        shutdown_telemetry()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["rebuild"]:
        return rebuild_main(argv[1:])
    return app.main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
