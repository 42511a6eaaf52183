"""Gateway overhead of authentication + authorisation per request (A1), in one run.

    uv run --frozen python bench/gateway_auth.py [--requests 2000]

Starts an embedded PostgreSQL with the gateway's database (migrated), runs the
gateway (``create_app`` plus two bench routes) under uvicorn in a subprocess,
as ``crm-gateway serve`` runs it, and times sequential requests (one at a time,
keep-alive) from this process, interleaving the cases round by round so that
machine noise hits them alike:

* ``auth off``: ``GET /bench/open``, outside ``/v1`` (no gateway middleware, no
  credentials): the FastAPI + uvicorn floor;
* ``middleware, anonymous``: ``GET /v1/bench/open``, no dependency on the
  principal (size limit, anonymous rate limit, header handling);
* ``configured API key``: ``GET /v1/bench/authed`` (``Call``: authentication,
  route permission, metadata) with a key from ``CRM_GATEWAY_API_KEYS``;
* ``JWT user``: same route with a sales rep's access token (signature check,
  roles from the per-process role cache);
* ``stored API key``: same route with a ``crmk_`` key (one indexed lookup in the
  gateway database per request).

The bench route does not call a service, so the difference to ``auth off`` is
the gateway's own cost. Prints p50/p99 per case and the overhead beside ``auth off``.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

CONFIG_KEY = "bench-config-key-" + secrets.token_hex(8)
TENANT = str(uuid.uuid4())
USER = str(uuid.uuid4())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(port: int) -> None:
    """The gateway with the bench routes (run in the subprocess). No ``from __future__
    import annotations`` in this file: FastAPI resolves these routes' annotations here."""
    import uvicorn
    from fastapi import APIRouter

    from crm_gateway.access.routes import requires
    from crm_gateway.app import create_app
    from crm_gateway.backends import Call

    app = create_app()
    bench = APIRouter()

    @bench.get("/v1/bench/authed", openapi_extra=requires("leads:read"))
    async def authed(call: Call) -> dict:
        return {"ok": True, "n": len(call.metadata)}

    @bench.get("/v1/bench/open")
    async def open_mw() -> dict:
        return {"ok": True, "n": 0}

    @bench.get("/bench/open")
    async def open_() -> dict:
        return {"ok": True, "n": 0}

    app.include_router(bench)
    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000, help="per case")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return 0

    from crm_common.db.migrations import upgrade
    from crm_devstack.postgres import EmbeddedPostgres
    from crm_gateway.main import MIGRATIONS

    var = Path(tempfile.mkdtemp(prefix="gateway-auth-bench-"))
    pg = EmbeddedPostgres(var / "postgres", port=_free_port())
    proc = None
    try:
        pg.start()
        url = pg.ensure_database("crm_gateway", secrets.token_urlsafe(12))
        upgrade(url=url, script_location=MIGRATIONS)
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
        big = "1000000000"
        env |= {
            "CRM_GATEWAY_DATABASE_URL": url,
            "CRM_GATEWAY_API_KEYS": json.dumps(
                {CONFIG_KEY: {"tenant_id": TENANT, "user_id": USER, "name": "bench"}}
            ),
            "CRM_GATEWAY_JWT_KEYS": json.dumps({"b1": secrets.token_urlsafe(48)}),
            "CRM_GATEWAY_RATE_LIMIT_PER_KEY": big,
            "CRM_GATEWAY_RATE_LIMIT_PER_TENANT": big,
            "CRM_GATEWAY_RATE_LIMIT_ANONYMOUS": big,
            "CRM_GATEWAY_LOG_LEVEL": "WARNING",
        }
        proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(var / "gateway.log").open("wb"),
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gateway did not start; see {var / 'gateway.log'}")
            time.sleep(0.2)

        slug = "bench-" + secrets.token_hex(4)
        pw = "bench passphrase " + secrets.token_hex(4)
        signup = httpx.post(
            f"{base}/v1/tenants",
            timeout=30,
            json={
                "slug": slug,
                "name": "bench",
                "admin_email": f"a@{slug}.co.il",
                "admin_name": "admin",
                "password": pw,
            },
        )
        signup.raise_for_status()
        admin = {"Authorization": "Bearer " + signup.json()["tokens"]["access_token"]}
        httpx.post(
            f"{base}/v1/users",
            headers=admin,
            timeout=30,
            json={
                "email": f"rep@{slug}.co.il",
                "name": "rep",
                "password": pw,
                "roles": ["sales_rep"],
            },
        ).raise_for_status()
        rep = httpx.post(
            f"{base}/v1/auth/login",
            timeout=30,
            json={"tenant": slug, "email": f"rep@{slug}.co.il", "password": pw},
        )
        rep.raise_for_status()
        key = httpx.post(
            f"{base}/v1/api-keys",
            headers=admin,
            timeout=30,
            json={"name": "bench", "scopes": ["leads:read"]},
        )
        key.raise_for_status()

        cases = {
            "auth off (no middleware)": ("/bench/open", {}),
            "middleware, anonymous": ("/v1/bench/open", {}),
            "configured API key": ("/v1/bench/authed", {"Authorization": f"Bearer {CONFIG_KEY}"}),
            "JWT user (sales rep)": (
                "/v1/bench/authed",
                {"Authorization": "Bearer " + rep.json()["access_token"]},
            ),
            "stored API key (DB)": (
                "/v1/bench/authed",
                {"Authorization": "Bearer " + key.json()["key"]},
            ),
        }
        times: dict[str, list[float]] = {name: [] for name in cases}
        with httpx.Client(base_url=base, timeout=30) as client:
            for _ in range(200):  # warm-up
                for path, headers in cases.values():
                    client.get(path, headers=headers).raise_for_status()
            for _ in range(args.requests):
                for name, (path, headers) in cases.items():
                    t0 = time.perf_counter()
                    resp = client.get(path, headers=headers)
                    times[name].append((time.perf_counter() - t0) * 1000)
                    if resp.status_code != 200:
                        raise RuntimeError(f"{name}: {resp.status_code} {resp.text}")
        floor = times["auth off (no middleware)"]
        f50, f99 = pct(floor, 50), pct(floor, 99)
        print(
            f"gateway auth overhead, {args.requests} sequential requests per case "
            f"(interleaved), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )
        print(
            f"{'case':28} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'+p50 ms':>8} {'+p99 ms':>8}"
        )
        for name, values in times.items():
            p50, p99 = pct(values, 50), pct(values, 99)
            print(
                f"{name:28} {p50:8.3f} {p99:8.3f} {statistics.fmean(values):8.3f} "
                f"{p50 - f50:8.3f} {p99 - f99:8.3f}"
            )
        return 0
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(15)
        pg.stop()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
