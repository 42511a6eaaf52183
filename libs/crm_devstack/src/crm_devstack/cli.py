"""``crm-dev up``: run the whole CRM locally until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import shutil
import signal
import threading
from pathlib import Path

from crm_devstack.stack import SERVICES, Stack, StackConfig


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crm-dev", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start PostgreSQL, the broker, every service and the gateway")
    up.add_argument("--var", type=Path, default=Path("var"), help="data directory (default var/)")
    up.add_argument("--gateway-port", type=int, default=8000)
    up.add_argument("--pg-port", type=int, default=55432)
    up.add_argument("--broker-port", type=int, default=59092)
    up.add_argument("--grpc-base-port", type=int, default=50051)
    up.add_argument("--trace-export", choices=["none", "console", "file"], default="file")
    up.add_argument("--fresh", action="store_true", help="delete the data directory first")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s crm-dev %(message)s")
    if args.fresh and args.var.exists():
        shutil.rmtree(args.var)
    stack = Stack(
        StackConfig(
            var_dir=args.var,
            pg_port=args.pg_port,
            broker_port=args.broker_port,
            grpc_base_port=args.grpc_base_port,
            gateway_port=args.gateway_port,
            trace_export=args.trace_export,
        )
    )
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stack.start()
        grpc_ports = ", ".join(f"{s} {stack.config.grpc_port(s)}" for s in SERVICES)
        print(
            f"""
CRM is running.
  gateway     {stack.gateway_url}   (OpenAPI: {stack.gateway_url}/docs)
  api key     {stack.api_key}
  tenant      {stack.tenant_id}
  postgres    127.0.0.1:{args.pg_port}   broker 127.0.0.1:{args.broker_port}
  gRPC        {grpc_ports}
  logs        {stack.var / "log"}   traces {stack.var / "traces"}

Try:
  curl -s -X POST {stack.gateway_url}/v1/leads -H 'Authorization: Bearer {stack.api_key}' \\
       -H 'Content-Type: application/json' \\
       -d '{{"name": "דנה לוי", "phone": "050-7654321", "source": "web"}}'

Ctrl-C stops everything.""",
            flush=True,
        )
        stop.wait()
    finally:
        print("stopping...", flush=True)
        stack.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
