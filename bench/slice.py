"""Benchmark of the vertical slice beside raw baselines, all measured in one run.

    uv run --frozen python bench/slice.py        # what `make bench` runs

Starts the whole stack the way `make up` does (``crm_devstack.stack.Stack``,
every service as its own processes) in a temporary directory on free ports,
then measures:

* leads captured per second through the gateway (``POST /v1/leads``, closed
  loop, fixed concurrency), with request latency p50/p99;
* event lag of ``lead.captured`` from the leads transaction to the reporting
  consumer, p50/p99/max, under that burst and under a paced moderate load;
* baselines on the same broker, PostgreSQL and machine: raw idempotent
  confluent-kafka produce (``acks=all``), raw asyncpg INSERT transactions of
  the same shape as ``CreateLead`` (a lead row and an outbox row), and a
  FastAPI hello endpoint on uvicorn hit by the same load generator;

and checks that nothing was lost: leads created == rows in the leads database
== outbox rows sent == events in the reporting inbox == the reporting total.
See bench/README.md for the method and the limits of the numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import itertools
import logging
import math
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import httpx
from confluent_kafka import Producer

from crm_common.db.base import uuid7
from crm_common.kafka.client import ensure_topics, producer_config
from crm_common.settings import KafkaSettings
from crm_devstack.stack import SERVICES, Stack, StackConfig
from crm_devstack.testing import free_port

CONCURRENCY = 32
WARMUP = 200
LEADS = 3000
PACED_RATE = 100.0  # leads/s, lowered to half the measured capacity if that is less
PACED_SECONDS = 10.0
KAFKA_MESSAGES = 30_000
PG_TRANSACTIONS = 3000
PG_POOL = 5  # the leads service's pool size in the stack (CRM_LEADS_DATABASE_POOL_SIZE)
HELLO_REQUESTS = 3000
DRAIN_TIMEOUT_S = 120.0
CPU_GROUPS = ("gateway", "leads-serve", "leads-relay", "reporting-consume")
SOURCES = ("web", "radio", "ads", "referral", "tv", "exhibition", "press", "email")


# -- statistics -----------------------------------------------------------------------


def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = min(len(ordered), max(1, math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


@dataclass
class LoadResult:
    requests: int
    elapsed: float
    latencies: list[float]
    bad: list[str] = field(default_factory=list)  # a response with the wrong status
    # No response (transport error) or a 5xx: the outcome of the request is unknown.
    no_response: list[str] = field(default_factory=list)
    bodies: list[dict] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    machine_cores: float = 0.0

    @property
    def rate(self) -> float:
        """Requests answered with the expected status per second."""
        return (self.requests - len(self.bad) - len(self.no_response)) / self.elapsed

    def summary(self) -> str:
        return (
            f"{self.rate:8.1f}/s   p50 {ms(pct(self.latencies, 50))}   "
            f"p99 {ms(pct(self.latencies, 99))}"
        )


# -- load generator (the same for the gateway and the hello baseline) ------------------

Request = Callable[[httpx.AsyncClient, int], Awaitable[httpx.Response]]


def client(base_url: str, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        headers=headers or {},
        timeout=30,
        limits=httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY),
    )


async def send(
    http: httpx.AsyncClient, request: Request, i: int, result: LoadResult, expect: int, keep: bool
) -> None:
    t = time.perf_counter()
    try:
        resp = await request(http, i)
    except httpx.TransportError as exc:
        result.no_response.append(f"{type(exc).__name__}: {exc}")
        return
    result.latencies.append(time.perf_counter() - t)
    if resp.status_code >= 500:
        # An upstream timeout (504) or error: the lead may or may not have been committed.
        result.no_response.append(f"{resp.status_code} {resp.text[:200]}")
    elif resp.status_code != expect:
        result.bad.append(f"{resp.status_code} {resp.text[:200]}")
    elif keep:
        result.bodies.append(resp.json())


async def closed_loop(
    http: httpx.AsyncClient, request: Request, n: int, *, expect: int, keep: bool = False
) -> LoadResult:
    """``n`` requests by ``CONCURRENCY`` workers, each sending the next as soon as one returns."""
    counter = itertools.count()
    result = LoadResult(requests=n, elapsed=0.0, latencies=[])

    async def worker() -> None:
        while (i := next(counter)) < n:
            await send(http, request, i, result, expect, keep)

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    result.elapsed = time.perf_counter() - t0
    return result


async def paced(
    http: httpx.AsyncClient, request: Request, rate: float, seconds: float, *, expect: int
) -> LoadResult:
    """Open loop: request i is sent at t0 + i/rate whatever the earlier ones are doing."""
    n = int(rate * seconds)
    result = LoadResult(requests=n, elapsed=0.0, latencies=[])
    limit = asyncio.Semaphore(4 * CONCURRENCY)

    async def one(i: int) -> None:
        async with limit:
            await send(http, request, i, result, expect, True)

    t0 = time.perf_counter()
    tasks = []
    for i in range(n):
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    result.elapsed = time.perf_counter() - t0
    return result


_lead_numbers = itertools.count(1)


async def post_lead(http: httpx.AsyncClient, _i: int) -> httpx.Response:
    n = next(_lead_numbers)
    return await http.post(
        "/v1/leads",
        json={
            "name": f"ליד בדיקה {n}",
            "phone": f"050-{n:07d}",
            "email": f"lead{n}@bench.example.co.il",
            "source": SOURCES[n % len(SOURCES)],
            "campaign": "bench",
        },
    )


async def get_hello(http: httpx.AsyncClient, _i: int) -> httpx.Response:
    return await http.get("/hello")


# -- the slice ----------------------------------------------------------------------------


def plain_dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


@dataclass
class EventTimes:
    occurred_at: datetime
    sent_at: datetime | None
    processed_at: datetime | None


async def event_times(stack: Stack, lead_ids: set[str]) -> dict[str, EventTimes]:
    """Per lead: outbox occurred_at/sent_at (leads DB) and inbox processed_at (reporting DB)."""
    leads_db = await asyncpg.connect(plain_dsn(stack.database_urls["leads"]))
    reporting_db = await asyncpg.connect(plain_dsn(stack.database_urls["reporting"]))
    try:
        outbox = await leads_db.fetch(
            "SELECT id, aggregate_id, occurred_at, sent_at FROM outbox "
            "WHERE tenant_id = $1 AND type = 'lead.captured'",
            uuid.UUID(stack.tenant_id),
        )
        inbox = await reporting_db.fetch(
            "SELECT event_id, processed_at FROM inbox "
            "WHERE tenant_id = $1 AND event_type = 'lead.captured'",
            uuid.UUID(stack.tenant_id),
        )
    finally:
        await leads_db.close()
        await reporting_db.close()
    processed = {r["event_id"]: r["processed_at"] for r in inbox}
    return {
        r["aggregate_id"]: EventTimes(r["occurred_at"], r["sent_at"], processed.get(r["id"]))
        for r in outbox
        if r["aggregate_id"] in lead_ids
    }


def lag_lines(label: str, times: list[EventTimes]) -> list[tuple[str, str]]:
    relay = [(t.sent_at - t.occurred_at).total_seconds() for t in times if t.sent_at]
    e2e = [(t.processed_at - t.occurred_at).total_seconds() for t in times if t.processed_at]
    rows = [
        (
            f"{label}: commit -> relay picks it up",
            f"p50 {ms(pct(relay, 50))}   p99 {ms(pct(relay, 99))}   max {ms(max(relay))}",
        ),
        (
            f"{label}: commit -> reporting consumer",
            f"p50 {ms(pct(e2e, 50))}   p99 {ms(pct(e2e, 99))}   max {ms(max(e2e))}",
        ),
    ]
    done = [t.processed_at for t in times if t.processed_at]
    if len(done) > 1:
        span = (max(done) - min(done)).total_seconds()
        rows.append(
            (f"{label}: reporting consumer drain rate", f"{len(done) / span:8.1f} events/s")
        )
    return rows


async def reporting_total(http: httpx.AsyncClient) -> int:
    resp = await http.get("/v1/reports/leads-by-source")
    resp.raise_for_status()
    return int(resp.json()["total"])


async def wait_drained(gateway: Callable[[], httpx.AsyncClient], stack: Stack) -> float:
    """Wait until the reporting total (via the gateway) equals the tenant's rows in the leads
    database; returns the seconds waited."""
    t0 = time.perf_counter()
    conn = await asyncpg.connect(plain_dsn(stack.database_urls["leads"]))
    try:
        async with gateway() as http:
            while True:
                async with conn.transaction():
                    # Row-level security: the rows are visible only with the tenant set.
                    await conn.execute(
                        "SELECT set_config('app.tenant_id', $1, true)", stack.tenant_id
                    )
                    rows = await conn.fetchval("SELECT count(*) FROM leads")
                total = await reporting_total(http)
                if total == rows:
                    return time.perf_counter() - t0
                if total > rows:
                    raise RuntimeError(f"reporting counted {total} leads, the leads DB has {rows}")
                if time.perf_counter() - t0 > DRAIN_TIMEOUT_S:
                    raise TimeoutError(f"reporting total {total} < {rows} after {DRAIN_TIMEOUT_S}s")
                await asyncio.sleep(0.25)
    finally:
        await conn.close()


async def counts(stack: Stack) -> dict[str, int]:
    tenant = uuid.UUID(stack.tenant_id)
    leads_db = await asyncpg.connect(plain_dsn(stack.database_urls["leads"]))
    reporting_db = await asyncpg.connect(plain_dsn(stack.database_urls["reporting"]))
    try:
        async with leads_db.transaction():
            # Row-level security: the rows are visible only with the tenant set.
            await leads_db.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant))
            rows = await leads_db.fetchval("SELECT count(*) FROM leads")
        sent = await leads_db.fetchval(
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND type = 'lead.captured' "
            "AND sent_at IS NOT NULL",
            tenant,
        )
        unsent = await leads_db.fetchval(
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND sent_at IS NULL", tenant
        )
        inbox = await reporting_db.fetchval(
            "SELECT count(*) FROM inbox WHERE tenant_id = $1 AND event_type = 'lead.captured'",
            tenant,
        )
    finally:
        await leads_db.close()
        await reporting_db.close()
    return {"leads_rows": rows, "outbox_sent": sent, "outbox_unsent": unsent, "inbox": inbox}


# -- baselines ------------------------------------------------------------------------------


def kafka_produce(bootstrap: str, n: int) -> tuple[float, int]:
    """Idempotent produce (acks=all, the relay's producer config) of ``n`` small messages."""
    settings = KafkaSettings(kafka_bootstrap_servers=bootstrap)
    topic = "bench.raw-produce"
    ensure_topics(settings, [topic])
    producer = Producer(producer_config(settings, client_id="bench-raw"))
    errors: list[str] = []

    def on_delivery(err, _msg) -> None:
        if err is not None:
            errors.append(str(err))

    value = secrets.token_bytes(160)  # about a LeadCaptured payload
    now = datetime.now(UTC).isoformat()
    tenant = str(uuid.uuid4())
    producer.produce(topic, key=b"warm-up", value=value, on_delivery=on_delivery)
    producer.flush(10)
    t0 = time.perf_counter()
    for _ in range(n):
        key = str(uuid7())
        headers = [
            ("event_type", "lead.captured"),
            ("event_id", key),
            ("tenant_id", tenant),
            ("occurred_at", now),
            ("payload_type", "crm.events.leads.v1.LeadCaptured"),
            ("aggregate_type", "lead"),
            ("content-type", "application/x-protobuf"),
        ]
        while True:
            try:
                producer.produce(
                    topic, key=key.encode(), value=value, headers=headers, on_delivery=on_delivery
                )
                break
            except BufferError:
                producer.poll(0.01)
        producer.poll(0)
    left = producer.flush(30)
    elapsed = time.perf_counter() - t0
    if left or errors:
        raise RuntimeError(f"raw produce: {left} unacknowledged, errors: {errors[:3]}")
    return elapsed, n


_BENCH_DDL = """
CREATE TABLE IF NOT EXISTS bench_leads (
    id uuid PRIMARY KEY, tenant_id uuid NOT NULL, party_id uuid NOT NULL UNIQUE,
    name varchar(200) NOT NULL, phone varchar(20), email varchar(320),
    company_name varchar(200), source varchar(50) NOT NULL, campaign varchar(200),
    status varchar(20) NOT NULL, converted_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS bench_leads_t ON bench_leads (tenant_id);
CREATE INDEX IF NOT EXISTS bench_leads_t_id ON bench_leads (tenant_id, id);
CREATE INDEX IF NOT EXISTS bench_leads_t_s_id ON bench_leads (tenant_id, status, id);
CREATE INDEX IF NOT EXISTS bench_leads_t_phone ON bench_leads (tenant_id, phone);
CREATE INDEX IF NOT EXISTS bench_leads_t_email ON bench_leads (tenant_id, email);
CREATE TABLE IF NOT EXISTS bench_outbox (
    id uuid PRIMARY KEY, tenant_id uuid NOT NULL, aggregate_type varchar(100) NOT NULL,
    aggregate_id varchar(100) NOT NULL, type varchar(200) NOT NULL, topic varchar(200) NOT NULL,
    payload bytea NOT NULL, payload_type varchar(200) NOT NULL, traceparent varchar(100),
    occurred_at timestamptz NOT NULL, sent_at timestamptz, attempts int NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS bench_outbox_unsent ON bench_outbox (id) WHERE sent_at IS NULL;
"""


async def pg_inserts(dsn: str, n: int) -> LoadResult:
    """``n`` transactions of one lead row + one outbox row, CONCURRENCY tasks over PG_POOL."""
    pool = await asyncpg.create_pool(dsn, min_size=PG_POOL, max_size=PG_POOL)
    try:
        async with pool.acquire() as conn:
            await conn.execute(_BENCH_DDL)
        tenant = uuid.uuid4()
        payload = secrets.token_bytes(160)
        counter = itertools.count()
        latencies: list[float] = []

        async def worker() -> None:
            while (i := next(counter)) < n:
                t = time.perf_counter()
                lead_id = uuid7()
                async with pool.acquire() as conn, conn.transaction():
                    await conn.execute(
                        "INSERT INTO bench_leads (id, tenant_id, party_id, name, phone, email, "
                        "source, campaign, status) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'new')",
                        lead_id,
                        tenant,
                        uuid7(),
                        f"ליד בדיקה {i}",
                        f"+97250{i:07d}",
                        f"lead{i}@bench.example.co.il",
                        SOURCES[i % len(SOURCES)],
                        "bench",
                    )
                    await conn.execute(
                        "INSERT INTO bench_outbox (id, tenant_id, aggregate_type, aggregate_id, "
                        "type, topic, payload, payload_type, occurred_at) "
                        "VALUES ($1,$2,'lead',$3,'lead.captured','crm.leads.lead',$4,"
                        "'crm.events.leads.v1.LeadCaptured', now())",
                        uuid7(),
                        tenant,
                        str(lead_id),
                        payload,
                    )
                latencies.append(time.perf_counter() - t)

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
        return LoadResult(requests=n, elapsed=time.perf_counter() - t0, latencies=latencies)
    finally:
        await pool.close()


def hello_server(port: int) -> None:
    """The FastAPI hello baseline, served like the gateway (uvicorn.run, no access log)."""
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False)


def start_hello(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "hello-server", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop_process(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def hello_baseline() -> LoadResult:
    port = free_port()
    proc = await asyncio.to_thread(start_hello, port)
    try:
        async with client(f"http://127.0.0.1:{port}") as http:
            deadline = time.perf_counter() + 30
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get("/hello")).status_code == 200:
                        break
                if time.perf_counter() > deadline or proc.poll() is not None:
                    raise RuntimeError("hello server did not start")
                await asyncio.sleep(0.1)
            await closed_loop(http, get_hello, WARMUP, expect=200)
            before, busy_before = _proc_table(), machine_busy()
            result = await closed_loop(http, get_hello, HELLO_REQUESTS, expect=200)
            after, busy_after = _proc_table(), machine_busy()
            result.machine_cores = (busy_after - busy_before) / result.elapsed
            result.cpu = {
                part: after[pid][1] - before[pid][1]
                for part, pid in (("load generator", os.getpid()), ("uvicorn", proc.pid))
            }
            return result
    finally:
        await asyncio.to_thread(stop_process, proc)


# -- main -------------------------------------------------------------------------------------


def port_block(size: int) -> int:
    """A base port with ``size`` consecutive free ports (the services' gRPC ports)."""
    for _ in range(100):
        base = free_port()
        if base + size >= 65000:
            continue
        try:
            for p in range(base, base + size):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
        except OSError:
            continue
        return base
    raise RuntimeError("no block of free ports")


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')} load {os.getloadavg()[0]:.2f}] {msg}", flush=True)


_TICK = os.sysconf("SC_CLK_TCK")


def _proc_table() -> dict[int, tuple[int, float]]:
    """pid -> (parent pid, CPU seconds used) for every process we can read."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        table[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK)
    return table


def cpu_by_component(stack: Stack) -> dict[str, float]:
    """CPU seconds used so far by each part of the stack (with its child processes)."""
    table = _proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)

    def tree(pid: int) -> float:
        return table.get(pid, (0, 0.0))[1] + sum(tree(c) for c in children.get(pid, []))

    roots: dict[str, list[int]] = {
        "load generator (this process)": [os.getpid()],
        "PostgreSQL": [stack.postgres.proc.pid] if stack.postgres.proc else [],
        "broker": [stack.broker.proc.pid] if stack.broker.proc else [],
    }
    for name, proc in stack.processes.items():
        if proc.proc is None:
            continue
        group = name if name in CPU_GROUPS else "the other 12 service processes"
        roots.setdefault(group, []).append(proc.proc.pid)
    # This process's own children (the hello server) are not part of the figures.
    return {
        group: (tree(pids[0]) if group != "load generator (this process)" else table[pids[0]][1])
        + sum(tree(p) for p in pids[1:])
        for group, pids in roots.items()
        if pids
    }


def machine_busy() -> float:
    """CPU seconds the whole machine spent busy since boot (all cores, /proc/stat)."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(
            int, f.readline().split()[1:9]
        )
    return (user + nice + system + irq + softirq + steal) / _TICK


@dataclass
class CpuMark:
    wall: float
    machine: float
    parts: dict[str, float]


def cpu_mark(stack: Stack) -> CpuMark:
    return CpuMark(time.perf_counter(), machine_busy(), cpu_by_component(stack))


def cpu_rows(label: str, before: CpuMark, after: CpuMark, n: int) -> list[tuple[str, str]]:
    used = {k: v - before.parts.get(k, 0.0) for k, v in after.parts.items()}
    total = sum(used.values())
    wall = after.wall - before.wall
    machine = after.machine - before.machine
    rows = [
        (
            f"{label}: cores busy (whole machine / the bench's processes)",
            f"{machine / wall:.2f} / {total / wall:.2f} of {os.cpu_count()}",
        ),
        (f"{label}: CPU per lead, all of the bench's processes", f"{total / n * 1000:6.1f} ms"),
    ]
    for k, v in sorted(used.items(), key=lambda kv: -kv[1]):
        rows.append((f"{label}: CPU per lead, {k}", f"{v / n * 1000:6.1f} ms"))
    return rows


def check(phase: str, result: LoadResult) -> None:
    if result.bad:
        raise RuntimeError(f"{phase}: {len(result.bad)} wrong responses; first: {result.bad[:3]}")
    if result.no_response:
        say(
            f"{phase}: {len(result.no_response)} requests without a response or with a 5xx: "
            f"{result.no_response[:2]}"
        )


async def run(stack: Stack) -> tuple[list[tuple[str, str]], bool]:
    """The measurements; returns the table and whether the logs are worth keeping."""
    rows: list[tuple[str, str]] = []
    headers = {"Authorization": f"Bearer {stack.api_key}"}
    gateway = functools.partial(client, stack.gateway_url, headers)
    # Each phase gets fresh connections: a keep-alive connection left idle while the
    # pipeline drains may be closed by the server just as it is reused.
    say(f"warm-up: {WARMUP} leads")
    async with gateway() as http:
        warm = await closed_loop(http, post_lead, WARMUP, expect=201, keep=True)
    check("warm-up", warm)
    await wait_drained(gateway, stack)

    say(f"burst: {LEADS} leads, concurrency {CONCURRENCY}")
    cpu_before = cpu_mark(stack)
    async with gateway() as http:
        burst = await closed_loop(http, post_lead, LEADS, expect=201, keep=True)
    check("burst", burst)
    drain = await wait_drained(gateway, stack)
    cpu_after = cpu_mark(stack)
    say(f"burst: {burst.summary()}; reporting caught up {drain:.1f}s after the last 201")

    rate = min(PACED_RATE, round(burst.rate / 2))
    say(f"paced: {rate:.0f} leads/s for {PACED_SECONDS:.0f}s")
    async with gateway() as http:
        steady = await paced(http, post_lead, rate, PACED_SECONDS, expect=201)
    check("paced", steady)
    await wait_drained(gateway, stack)
    created = len(warm.bodies) + len(burst.bodies) + len(steady.bodies)
    no_response = len(warm.no_response) + len(burst.no_response) + len(steady.no_response)

    rows.append(
        (f"gateway POST /v1/leads (closed loop, c={CONCURRENCY}, n={LEADS})", burst.summary())
    )
    rows.append((f"gateway POST /v1/leads paced at {rate:.0f}/s", steady.summary()))
    burst_ids = {b["id"] for b in burst.bodies}
    steady_ids = {b["id"] for b in steady.bodies}
    times = await event_times(stack, burst_ids | steady_ids)
    rows += lag_lines(f"lag at {rate:.0f}/s", [times[i] for i in steady_ids if i in times])
    rows += lag_lines("lag in the burst", [times[i] for i in burst_ids if i in times])
    rows += cpu_rows("burst", cpu_before, cpu_after, LEADS)

    say(f"baseline: raw idempotent produce of {KAFKA_MESSAGES} messages")
    elapsed, n = await asyncio.to_thread(
        kafka_produce, stack.broker.bootstrap_servers, KAFKA_MESSAGES
    )
    rows.append(
        (f"raw confluent-kafka produce, idempotent acks=all (n={n})", f"{n / elapsed:8.0f}/s")
    )

    say(f"baseline: {PG_TRANSACTIONS} raw INSERT transactions")
    bench_dsn = await asyncio.to_thread(
        stack.postgres.ensure_database, "crm_bench", secrets.token_urlsafe(12)
    )
    pg = await pg_inserts(plain_dsn(bench_dsn), PG_TRANSACTIONS)
    rows.append(
        (
            f"raw asyncpg lead+outbox INSERT txn (c={CONCURRENCY}, pool {PG_POOL})",
            pg.summary(),
        )
    )

    say(f"baseline: FastAPI hello, {HELLO_REQUESTS} requests")
    hello = await hello_baseline()
    check("hello", hello)
    rows.append(
        (f"FastAPI hello on uvicorn (c={CONCURRENCY}, n={HELLO_REQUESTS})", hello.summary())
    )
    rows.append(
        (
            "FastAPI hello: cores busy (whole machine / client + server)",
            f"{hello.machine_cores:.2f} / {sum(hello.cpu.values()) / hello.elapsed:.2f}"
            f" of {os.cpu_count()}",
        )
    )
    for part, seconds in hello.cpu.items():
        rows.append(
            (
                f"FastAPI hello: CPU per request, {part}",
                f"{seconds / hello.requests * 1000:6.1f} ms",
            )
        )

    say("zero-loss check")
    c = await counts(stack)
    async with gateway() as http:
        total = await reporting_total(http)
    figures = {
        "rows in leads DB": c["leads_rows"],
        "outbox rows sent": c["outbox_sent"],
        "reporting inbox events": c["inbox"],
        "reporting total (GET /v1/reports)": total,
    }
    # A request without a response may or may not have created its lead.
    lost = (
        len(set(figures.values())) != 1
        or c["outbox_unsent"] != 0
        or not created <= c["leads_rows"] <= created + no_response
    )
    rows.append(("zero loss: leads created (201)", str(created)))
    rows.append(("zero loss: requests without a response or with a 5xx", str(no_response)))
    for name, value in figures.items():
        rows.append((f"zero loss: {name}", str(value)))
    rows.append(("zero loss: outbox rows still unsent", str(c["outbox_unsent"])))
    rows.append(("zero loss", "MISMATCH" if lost else "ok: every count equal, nothing unsent"))
    if lost:
        print_table(rows)
        raise SystemExit(f"events lost or duplicated: {figures}, created {created}")
    return rows, no_response > 0


def print_table(rows: list[tuple[str, str]]) -> None:
    width = max(len(k) for k, _ in rows)
    print()
    print(f"{'measure'.ljust(width)}   figure")
    print(f"{'-' * width}   {'-' * 50}")
    for k, v in rows:
        print(f"{k.ljust(width)}   {v}")
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", nargs="?", default="bench", choices=["bench", "hello-server"])
    parser.add_argument("port", nargs="?", type=int)
    args = parser.parse_args()
    if args.command == "hello-server":
        hello_server(args.port)
        return 0

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    var = Path(tempfile.mkdtemp(prefix="crm-bench-"))
    config = StackConfig(
        var_dir=var,
        pg_port=free_port(),
        broker_port=free_port(),
        grpc_base_port=port_block(len(SERVICES)),
        gateway_port=free_port(),
        trace_export="none",
        # The load generator is one API key: lift the gateway's per-key and per-tenant
        # rate limits so the bench measures throughput, not the limiter.
        extra_env={
            "CRM_GATEWAY_RATE_LIMIT_PER_KEY": "100000000",
            "CRM_GATEWAY_RATE_LIMIT_PER_TENANT": "100000000",
        },
    )
    t0 = time.perf_counter()
    stack = Stack(config)
    ok = False
    try:
        say(f"starting the stack in {var} (cores: {os.cpu_count()}, load {load_average()})")
        stack.start()
        say(f"stack ready in {time.perf_counter() - t0:.1f}s at {stack.gateway_url}")
        rows, keep_logs = asyncio.run(run(stack))
        ok = not keep_logs
    finally:
        say("stopping the stack")
        stack.stop()
        if ok:
            shutil.rmtree(var, ignore_errors=True)
        else:
            say(f"the processes' logs are kept in {var / 'log'}")
    rows.append(("load average 1/5/15 min at the end", load_average()))
    restarts = {p.name: p.restarts for p in stack.processes.values() if p.restarts}
    rows.append(("process restarts during the run", str(restarts or "none")))
    print_table(rows)
    say(f"total {time.perf_counter() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
