"""``crm-gateway serve``."""

from __future__ import annotations

import argparse

import uvicorn

from crm_common.telemetry import setup_telemetry, shutdown_telemetry
from crm_gateway.app import create_app
from crm_gateway.settings import GatewaySettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crm-gateway")
    parser.add_argument("command", choices=["serve"])
    parser.parse_args(argv)
    settings = GatewaySettings()
    setup_telemetry("crm-gateway", settings)
    try:
        uvicorn.run(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=10,
        )
    finally:
        shutdown_telemetry()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
