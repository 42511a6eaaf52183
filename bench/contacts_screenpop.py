"""Screen-pop lookup latency of the contacts service alone (C1/M2): LookupByPhone at a steady
rate against the real ``crm-contacts serve`` process, beside the same lookup in raw SQL.

    .venv/bin/python bench/contacts_screenpop.py [--rows 200000] [--rate 200] [--seconds 20]
        [--variant NAME ...]

Starts an embedded PostgreSQL on a free port, migrates a contacts database, loads ``--rows``
contacts (one tenant, one mobile each, contact_phones filled), then for each ``--variant``
starts the service as its own process (``python -c`` around ``crm_contacts.main``, so the
variant can change one thing before the service starts) and sends LookupByPhone open loop at
``--rate`` (latency counted from when each request was due). Variants:

- ``as-is``: the service as shipped;
- ``no-gc``: the cyclic garbage collector disabled in the service (is the tail GC?);
- ``no-pre-ping``: the pool's pre-ping (one extra round trip per checkout) off;
- ``no-otel``: SQLAlchemy's OpenTelemetry instrumentation off.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import grpc

import crm_contacts
from crm.contacts.v1 import card_service_pb2 as cpb
from crm.contacts.v1 import card_service_pb2_grpc as cgrpc
from crm_common.db.migrations import upgrade
from crm_devstack.postgres import EmbeddedPostgres
from crm_devstack.testing import free_port

VARIANTS = {
    "as-is": "",
    # cProfile of the service process, written at exit to $SCREENPOP_PROFILE (pstats format).
    "profile": (
        "import atexit, cProfile, os\n"
        "prof = cProfile.Profile()\n"
        "prof.enable()\n"
        "atexit.register(lambda: prof.dump_stats(os.environ['SCREENPOP_PROFILE']))"
    ),
    "no-gc": "import gc; gc.disable()",
    "no-pre-ping": (
        "import crm_common.db.session as s, sqlalchemy.ext.asyncio as a\n"
        "orig = a.create_async_engine\n"
        "s.create_async_engine = lambda url, **kw: orig(url, **{**kw, 'pool_pre_ping': False})"
    ),
    "no-otel": (
        "import crm_common.db.session as s\n"
        "orig = s.create_engine\n"
        "s.create_engine = lambda url, **kw: orig(url, **{**kw, 'instrument': False})\n"
        "import crm_common.app as app; app.create_engine = s.create_engine"
    ),
}


def say(msg: str) -> None:
    print(f"[screenpop] {msg}", file=sys.stderr, flush=True)


def e164(i: int) -> str:
    return f"+97254{2000000 + i:07d}"


def local(i: int) -> str:
    return f"054-{2000000 + i:07d}"


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p * len(s)))] * 1000


async def paced(call, rate: float, seconds: float) -> list[float]:
    n = int(rate * seconds)
    lat: list[float] = []
    failed: list[int] = []
    t0 = time.perf_counter() + 0.1

    async def one(i: int) -> None:
        due = t0 + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        try:
            await asyncio.wait_for(call(i), 5.0)
        except TimeoutError:
            failed.append(i)
        lat.append(time.perf_counter() - due)

    await asyncio.gather(*(one(i) for i in range(n)))
    if failed:
        say(f"{len(failed)} of {n} requests timed out (5 s)")
    return lat


async def load(url: str, tenant: uuid.UUID, rows: int) -> None:
    conn = await asyncpg.connect(url)
    async with conn.transaction():
        await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant))
        await conn.execute(
            "INSERT INTO contacts (id, tenant_id, party_id, first_name, last_name, phones, emails,"
            " addresses, custom) SELECT uuidv7(), $1, gen_random_uuid(), 'דנה' || i, 'לוי',"
            " ARRAY['+97254' || (2000000 + i)::text], ARRAY['d' || i || '@example.co.il'],"
            ' \'[{"city": "חיפה"}]\', \'{"tier": "gold"}\' FROM generate_series(0, $2 - 1) i',
            tenant,
            rows,
        )
        await conn.execute(
            "INSERT INTO contact_phones (tenant_id, phone, contact_id) "
            "SELECT tenant_id, phones[1], id FROM contacts WHERE tenant_id = $1",
            tenant,
        )
    await conn.execute("ANALYZE contacts")
    await conn.execute("ANALYZE contact_phones")
    await conn.close()


def run_variant(sa_url: str, tenant: uuid.UUID, name: str, args) -> dict:
    port = free_port()
    env = {
        **os.environ,
        "CRM_CONTACTS_DATABASE_URL": sa_url,
        "CRM_CONTACTS_GRPC_HOST": "127.0.0.1",
        "CRM_CONTACTS_GRPC_PORT": str(port),
        "CRM_CONTACTS_LOG_LEVEL": "WARNING",
        "CRM_CONTACTS_TRACE_EXPORT": "none",
    }
    code = VARIANTS[name] + "\nfrom crm_contacts.main import app\napp.main(['serve'])"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        return asyncio.run(measure(port, tenant, args, proc.pid))
    finally:
        proc.terminate()
        proc.wait(20)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(port: int, tenant: uuid.UUID, args, pid: int) -> dict:
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
    await asyncio.wait_for(channel.channel_ready(), 60)
    card = cgrpc.CardServiceStub(channel)
    md = (("x-tenant-id", str(tenant)),)
    rnd = random.Random(7)

    async def call(_i: int) -> None:
        r = await card.LookupByPhone(
            cpb.LookupByPhoneRequest(phone=local(rnd.randrange(args.rows))), metadata=md
        )
        assert len(r.contacts) == 1

    for i in range(300):  # warm-up: connections, prepared statements, caches
        await call(i)
    cpu0 = cpu_seconds(pid)
    lat = await paced(call, args.rate, args.seconds)
    cpu = (cpu_seconds(pid) - cpu0) / len(lat) * 1000
    await channel.close()
    return {
        "cpu_ms_per_request": cpu,
        "p50": pct(lat, 0.5),
        "p90": pct(lat, 0.9),
        "p99": pct(lat, 0.99),
        "max": max(lat) * 1000,
        "mean": statistics.mean(lat) * 1000,
    }


async def run_raw(url: str, tenant: uuid.UUID, args) -> dict:
    pool = await asyncpg.create_pool(url, min_size=5, max_size=5)
    rnd = random.Random(7)
    sql = (
        "SELECT c.* FROM contact_phones p JOIN contacts c ON c.id = p.contact_id "
        "WHERE p.tenant_id = $1 AND p.phone = $2 ORDER BY c.id LIMIT 20"
    )

    async def call(_i: int) -> None:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant))
            assert len(await conn.fetch(sql, tenant, e164(rnd.randrange(args.rows)))) == 1

    for i in range(300):
        await call(i)
    lat = await paced(call, args.rate, args.seconds)
    await pool.close()
    return {
        "p50": pct(lat, 0.5),
        "p90": pct(lat, 0.9),
        "p99": pct(lat, 0.99),
        "max": max(lat) * 1000,
        "mean": statistics.mean(lat) * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    args = parser.parse_args()
    variants = args.variant or ["as-is"]
    var = Path(tempfile.mkdtemp(prefix="crm-screenpop-"))
    pg = EmbeddedPostgres(var / "pg", port=free_port())
    pg.start()
    results = []
    try:
        sa_url = pg.ensure_database("screenpop_bench", uuid.uuid4().hex)
        upgrade(url=sa_url, script_location=Path(crm_contacts.__file__).parent / "migrations")
        url = sa_url.replace("postgresql+asyncpg://", "postgresql://")
        tenant = uuid.uuid4()
        t0 = time.perf_counter()
        asyncio.run(load(url, tenant, args.rows))
        say(f"loaded {args.rows:,} contacts in {time.perf_counter() - t0:.1f} s")
        results.append(("raw SQL (asyncpg, RLS on)", asyncio.run(run_raw(url, tenant, args))))
        say(f"{results[-1][0]}: {results[-1][1]}")
        for name in variants:
            results.append((f"LookupByPhone gRPC, {name}", run_variant(sa_url, tenant, name, args)))
            say(f"{results[-1][0]}: {results[-1][1]}")
    finally:
        pg.stop()
    say(f"load average: {os.getloadavg()}")
    for label, r in results:
        cpu = (
            f", service CPU {r['cpu_ms_per_request']:.2f} ms/request"
            if "cpu_ms_per_request" in r
            else ""
        )
        print(
            f"{label:<40} @ {args.rate:.0f}/s{cpu}: p50 {r['p50']:.1f} ms, p90 {r['p90']:.1f} ms, "
            f"p99 {r['p99']:.1f} ms, max {r['max']:.1f} ms, mean {r['mean']:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
