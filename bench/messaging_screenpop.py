"""Screen-pop latency (M2): PBX webhook at the gateway -> card pushed to the agent's SSE stream.

    .venv/bin/python bench/messaging_screenpop.py [--calls 300] [--across-replicas]

Starts an embedded PostgreSQL on a free port, the messaging gRPC server and the
gateway (uvicorn, real HTTP) in this process, 100 known customers in messaging's
parties read model, and one agent session on ``GET /v1/messaging/screen-pops/stream``.
Then, one call at a time, a signed ``call.started`` webhook for a known number; the
latency is from just before the POST to the moment the card arrives on the stream
(the webhook is verified, stored once, the party looked up by normalised phone, the
card pushed). Prints p50/p90/p99/max in milliseconds as one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import hmac
import json
import os
import statistics
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from pathlib import Path

import httpx
import uvicorn

import crm_messaging
from crm_common.db import create_engine, create_sessionmaker, unit_of_work
from crm_common.db.migrations import upgrade
from crm_common.grpc.server import serve_grpc
from crm_devstack.postgres import EmbeddedPostgres
from crm_devstack.testing import free_port
from crm_gateway.app import create_app
from crm_gateway.backends import Backends
from crm_gateway.settings import GatewaySettings
from crm_messaging.api.servicer import SERVICE_NAMES, make_register
from crm_messaging.parties import service as parties
from crm_messaging.settings import MessagingSettings

SECRET = "bench-pbx-secret-0123456789"


def signed(event: dict) -> tuple[bytes, dict]:
    body = json.dumps(event).encode()
    ts = str(int(time.time()))
    sig = hmac.new(SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return body, {"X-PBX-Timestamp": ts, "X-PBX-Signature": f"v1={sig}"}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 2)


async def start_gateway(gw_settings: GatewaySettings, port: int):
    app = create_app(gw_settings)
    app.state.backends = Backends(gw_settings)
    await app.state.screen_pops.start()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.02)
    return app, server, task


async def bench(url: str, calls: int, gateway_url: str | None = None) -> dict:
    """With ``gateway_url`` two gateway replicas share that database: webhooks go to
    replica A, the agent's stream is on replica B (the NOTIFY fan-out, ADR messaging-0004)."""
    grpc_port, http_port = free_port(), free_port()
    agent_port = free_port() if gateway_url else http_port
    settings = MessagingSettings(database_url=url, grpc_host="127.0.0.1", grpc_port=grpc_port)
    engine = create_engine(url, instrument=False)
    sm = create_sessionmaker(engine)
    stop = asyncio.Event()
    grpc_task = asyncio.create_task(
        serve_grpc(
            settings=settings,
            sessionmaker=sm,
            register=make_register(settings),
            service_names=SERVICE_NAMES,
            stop=stop,
        )
    )
    tenant, key = uuid.uuid4(), "bench-key-" + uuid.uuid4().hex
    gw_settings = GatewaySettings(
        api_keys=json.dumps({key: {"tenant_id": str(tenant), "user_id": str(uuid.uuid4())}}),
        messaging_addr=f"127.0.0.1:{grpc_port}",
        database_url=gateway_url,
    )
    gateways = [await start_gateway(gw_settings, http_port)]
    if gateway_url:
        gateways.append(await start_gateway(gw_settings, agent_port))
    async with unit_of_work(sm, tenant_id=tenant) as s:
        for i in range(100):
            await parties.record_party(
                session=s,
                tenant_id=tenant,
                party_id=uuid.uuid4(),
                name=f"לקוח {i}",
                phone=f"+97252{3_000_000 + i:07d}",
                email=None,
                updated_at=dt.datetime.now(UTC),
            )
    auth = {"Authorization": f"Bearer {key}"}
    latencies = []
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http_port}", timeout=10) as client:
        r = await client.put(
            "/v1/messaging/channels/pbx", json={"webhook_secret": SECRET}, headers=auth
        )
        r.raise_for_status()
        async with (
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{agent_port}", timeout=30) as agent,
            agent.stream(
                "GET", "/v1/messaging/screen-pops/stream", params={"extension": "200"}, headers=auth
            ) as stream,
        ):
            lines = stream.aiter_lines()
            await anext(lines)  # ": connected"
            for i in range(calls + 20):
                body, headers = signed(
                    {
                        "event": "call.started",
                        "call_id": uuid.uuid4().hex,
                        "direction": "in",
                        "from": f"052-{3_000_000 + i % 100:07d}",
                        "to": "035551234",
                        "extension": "200",
                    }
                )
                t0 = time.perf_counter()
                post = asyncio.create_task(
                    client.post(f"/v1/webhooks/{tenant}/pbx", content=body, headers=headers)
                )
                async for line in lines:
                    if line.startswith("data: "):
                        break
                elapsed_ms = (time.perf_counter() - t0) * 1000
                assert json.loads(line[6:])["party"] is not None
                (await post).raise_for_status()
                if i >= 20:  # warm-up
                    latencies.append(elapsed_ms)
    for app, server, task in gateways:
        server.should_exit = True
        await task
        await app.state.screen_pops.stop()
        await app.state.backends.close()
        if app.state.db is not None:
            await app.state.db.close()
    stop.set()
    await grpc_task
    await engine.dispose()
    return {
        "across_replicas": bool(gateway_url),
        "calls": len(latencies),
        "p50_ms": pct(latencies, 0.50),
        "p90_ms": pct(latencies, 0.90),
        "p99_ms": pct(latencies, 0.99),
        "max_ms": round(max(latencies), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "cpu_count": os.cpu_count(),
        "load_avg_1m_at_end": os.getloadavg()[0],
    }


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=300)
    ap.add_argument(
        "--across-replicas",
        action="store_true",
        help="two gateway replicas: webhook on A, agent on B (NOTIFY fan-out)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg", port=free_port())
        pg.start()
        try:
            url = pg.ensure_database("messaging_screenpop", "bench-secret")
            with ThreadPoolExecutor(1) as pool:
                pool.submit(
                    upgrade,
                    url=url,
                    script_location=Path(crm_messaging.__file__).parent / "migrations",
                ).result()
            gateway_url = None
            if args.across_replicas:
                import crm_gateway

                gateway_url = pg.ensure_database("gateway_screenpop", "bench-secret")
                with ThreadPoolExecutor(1) as pool:
                    pool.submit(
                        upgrade,
                        url=gateway_url,
                        script_location=Path(crm_gateway.__file__).parent / "migrations",
                    ).result()
            print(json.dumps(await bench(url, args.calls, gateway_url)))
        finally:
            pg.stop()


if __name__ == "__main__":
    asyncio.run(main())
