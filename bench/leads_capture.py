"""Leads captured per second through the gateway (L1 + L3 routing + L6 duplicate check),
with 100k existing leads, beside a raw FastAPI "hello" baseline measured in the same run.

    .venv/bin/python bench/leads_capture.py [--leads 5000] [--concurrency 32] [--existing 100000]

Starts the whole stack with crm_devstack.stack.Stack on free ports (never the `make up`
ports), seeds the existing leads straight into the leads database, sets up a round-robin
team behind a routing rule, posts leads through POST /v1/leads, then checks that nothing
was lost: lead rows, outbox rows (lead.captured + lead.assigned) and the messages on the
`crm.leads.lead` topic for the bench tenant. CPU seconds per process show what limits it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

HELLO_APP = """
from fastapi import FastAPI
app = FastAPI()

@app.post("/hello", status_code=201)
async def hello(body: dict) -> dict:
    return {"hello": "world"}
"""


# --- load generator (one asyncio process, shared by both measurements) ----------------------


async def _load(
    url: str, headers: dict, bodies: list[dict], concurrency: int
) -> tuple[float, dict]:
    codes: dict[int, int] = {}
    queue: asyncio.Queue = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as client:

        async def worker() -> None:
            while True:
                try:
                    body = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                try:
                    r = await client.post(url, json=body)
                    codes[r.status_code] = codes.get(r.status_code, 0) + 1
                except httpx.HTTPError:
                    codes[-1] = codes.get(-1, 0) + 1

        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - t0, codes


def _free_port() -> int:
    from crm_devstack.testing import free_port

    return free_port()


# --- CPU accounting per process tree ---------------------------------------------------------


def _cpu_s(pid: int, descendants: bool = True) -> float:
    """utime + stime of ``pid`` (and its descendants), in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rfind(")") + 2 :].split()
        ppid = int(fields[1])
        children.setdefault(ppid, []).append(int(entry))
        stats[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += stats.get(p, 0.0)
        if descendants:
            todo.extend(children.get(p, []))
    return total


def _cpu_snapshot(stack) -> dict[str, float]:
    out = {name: _cpu_s(p.proc.pid) for name, p in stack.processes.items() if p.proc}
    out["postgres"] = _cpu_s(stack.postgres.proc.pid)
    if getattr(stack.broker, "proc", None) is not None:
        out["broker"] = _cpu_s(stack.broker.proc.pid)
    # This process only: the stack's processes are its children.
    out["bench (load generator)"] = _cpu_s(os.getpid(), descendants=False)
    return out


# --- seeding and checks --------------------------------------------------------------------------


def _pg_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def _seed(stack, tenant: uuid.UUID, reps: list[uuid.UUID], n: int) -> None:
    import asyncpg

    from crm_common.db import uuid7

    conn = await asyncpg.connect(_pg_url(stack.database_urls["leads"]))
    try:
        await conn.execute("SELECT set_config('app.tenant_id', $1, false)", str(tenant))
        chunk = 20_000
        for start in range(0, n, chunk):
            rows = range(start, min(n, start + chunk))
            await conn.execute(
                """
                INSERT INTO leads (id, tenant_id, party_id, name, phone, email, source, status,
                                   owner_id, channel, version, created_at, updated_at)
                SELECT id, $2, party, name, phone, email, 'web', 'new', owner, 'import', 1,
                       now(), now()
                FROM unnest($1::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::uuid[])
                     AS t(id, party, name, phone, email, owner)
                """,
                [uuid7() for _ in rows],
                tenant,
                [uuid7() for _ in rows],
                [f"ליד קיים {i}" for i in rows],
                [f"+9725{2000000 + i:08d}"[:13] for i in rows],
                [f"old{i}@seed.co.il" for i in rows],
                [reps[i % len(reps)] for i in rows],
            )
        await conn.execute("ANALYZE leads")
    finally:
        await conn.close()


async def _db_counts(stack, tenant: uuid.UUID) -> dict[str, int]:
    import asyncpg

    conn = await asyncpg.connect(_pg_url(stack.database_urls["leads"]))
    try:
        await conn.execute("SELECT set_config('app.tenant_id', $1, false)", str(tenant))
        leads = await conn.fetchval("SELECT count(*) FROM leads")
        rows = await conn.fetch(
            "SELECT type, count(*) AS n, count(sent_at) AS sent FROM outbox "
            "WHERE tenant_id = $1 GROUP BY type",
            tenant,
        )
    finally:
        await conn.close()
    out = {"lead rows": leads}
    for r in rows:
        out[f"outbox {r['type']}"] = r["n"]
        out[f"outbox {r['type']} sent"] = r["sent"]
    return out


def _topic_count(stack, tenant: uuid.UUID, expect: int, timeout: float = 120) -> dict[str, int]:
    from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

    from crm_common.kafka import headers as h

    consumer = Consumer(
        {
            "bootstrap.servers": stack.broker.bootstrap_servers,
            "group.id": f"bench-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
        }
    )
    counts: dict[str, int] = {}
    try:
        topic = "crm.leads.lead"
        parts = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
        deadline = time.monotonic() + timeout
        idle_until = None
        while time.monotonic() < deadline:
            batch = consumer.consume(1000, timeout=0.5)
            for msg in batch:
                if msg.error():
                    continue
                hdrs = h.decode(msg.headers())
                if hdrs.get(h.TENANT_ID) == str(tenant):
                    counts[hdrs[h.EVENT_TYPE]] = counts.get(hdrs[h.EVENT_TYPE], 0) + 1
            if sum(counts.values()) >= expect:
                idle_until = idle_until or time.monotonic() + 2
                if time.monotonic() > idle_until:
                    break
    finally:
        consumer.close()
    return counts


# --- main ----------------------------------------------------------------------------------------


def _bodies(n: int, dup_every: int) -> list[dict]:
    out = []
    for i in range(n):
        # Every dup_every-th lead repeats an existing lead's phone (a duplicate match).
        phone = f"+9725{2000000 + i:08d}"[:13] if dup_every and i % dup_every == 0 else None
        out.append(
            {
                "name": f"ליד חדש {i}",
                "phone": phone or f"+9725{4000000 + i:08d}"[:13],
                "email": f"bench{i}@example.co.il",
                "source": "web" if i % 3 else "radio",
                "campaign": "bench",
                "city": "תל אביב",
                "utm": {"source": "google", "medium": "cpc"},
            }
        )
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=5000)
    ap.add_argument("--existing", type=int, default=100_000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--hello-requests", type=int, default=5000)
    ap.add_argument("--dup-every", type=int, default=10)
    ap.add_argument("--keep", action="store_true", help="keep the stack's var directory")
    args = ap.parse_args()

    from crm_devstack.stack import Stack, StackConfig

    var = Path(tempfile.mkdtemp(prefix="leads-bench-"))
    hello_port = _free_port()
    base = _free_port()
    config = StackConfig(
        var_dir=var,
        pg_port=_free_port(),
        broker_port=_free_port(),
        grpc_base_port=base if base + 5 < 65000 else 40000,
        gateway_port=_free_port(),
        trace_export="none",
        extra_env={
            # The gateway's per-key/tenant limits would cap the bench itself.
            "CRM_GATEWAY_RATE_LIMIT_PER_KEY": "100000000",
            "CRM_GATEWAY_RATE_LIMIT_PER_TENANT": "100000000",
            "CRM_GATEWAY_RATE_LIMIT_ANONYMOUS": "100000000",
        },
    )
    stack = Stack(config)
    tenant, user = uuid.uuid4(), uuid.uuid4()
    key = "bench-" + uuid.uuid4().hex
    hello = None
    try:
        t0 = time.monotonic()
        stack.start(
            api_keys_json=stack.api_keys_json(
                {key: {"tenant_id": str(tenant), "user_id": str(user), "name": "bench"}}
            )
        )
        print(f"stack up in {time.monotonic() - t0:.1f}s (var {var})")
        reps = [uuid.uuid4() for _ in range(5)]
        t0 = time.monotonic()
        asyncio.run(_seed(stack, tenant, reps, args.existing))
        print(f"seeded {args.existing} existing leads in {time.monotonic() - t0:.1f}s")

        auth = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=stack.gateway_url, headers=auth, timeout=30) as api:
            team = api.post(
                "/v1/sales-teams",
                json={
                    "name": "bench",
                    "strategy": "round_robin",
                    "member_ids": [str(r) for r in reps],
                },
            )
            team.raise_for_status()
            api.post(
                "/v1/routing-rules",
                json={"position": 1, "name": "radio", "source": "radio", "owner_id": str(reps[0])},
            ).raise_for_status()
            api.post(
                "/v1/routing-rules",
                json={"position": 2, "name": "all", "team_id": team.json()["id"]},
            ).raise_for_status()

        hello_src = var / "hello_app.py"
        hello_src.write_text(HELLO_APP)
        hello = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "hello_app:app",
                "--port",
                str(hello_port),
                "--host",
                "127.0.0.1",
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            cwd=var,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.post(f"http://127.0.0.1:{hello_port}/hello", json={}, timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)

        bodies = _bodies(args.leads, args.dup_every)
        # Warm-up (not counted): a few leads so every pool and cache is hot.
        warm = [
            dict(b, email=f"warm{i}@example.co.il", phone=None) for i, b in enumerate(bodies[:50])
        ]
        asyncio.run(_load(f"{stack.gateway_url}/v1/leads", auth, warm, 8))

        hello_s, hello_codes = asyncio.run(
            _load(
                f"http://127.0.0.1:{hello_port}/hello",
                {},
                bodies[: args.hello_requests],
                args.concurrency,
            )
        )
        cpu0 = _cpu_snapshot(stack)
        lead_s, lead_codes = asyncio.run(
            _load(f"{stack.gateway_url}/v1/leads", auth, bodies, args.concurrency)
        )
        cpu1 = _cpu_snapshot(stack)

        created = lead_codes.get(201, 0)
        t0 = time.monotonic()
        while True:
            counts = asyncio.run(_db_counts(stack, tenant))
            unsent = counts.get("outbox lead.captured", 0) - counts.get(
                "outbox lead.captured sent", 0
            )
            if unsent == 0 or time.monotonic() - t0 > 120:
                break
            time.sleep(0.5)
        relay_drain_s = time.monotonic() - t0
        topic = _topic_count(stack, tenant, expect=2 * (len(warm) + args.leads))

        print()
        print(
            f"raw FastAPI hello (uvicorn, 1 process): {args.hello_requests / hello_s:8.0f} req/s  "
            f"codes={hello_codes}"
        )
        print(
            f"leads captured via gateway:              {created / lead_s:8.0f} leads/s  "
            f"({created} in {lead_s:.1f}s, concurrency {args.concurrency}, codes={lead_codes})"
        )
        print(
            f"  with routing (rule + round-robin team of 5), duplicate check "
            f"(1 in {args.dup_every} matches), {args.existing} existing leads"
        )
        print()
        new_rows = counts["lead rows"] - args.existing - len(warm)
        captured = counts.get("outbox lead.captured", 0) - len(warm)
        published = topic.get("lead.captured", 0) - len(warm)
        failed = args.leads - created
        print("zero-loss check (every acknowledged lead stored, every stored lead published):")
        print(f"  201 responses                {created:>8}  of {args.leads} sent")
        print(f"  failed responses             {failed:>8}  {lead_codes}")
        print(
            f"  new lead rows                {new_rows:>8}  (>= 201s; a timed-out call may commit)"
        )
        for k in ("lead.captured", "lead.assigned"):
            print(
                f"  outbox {k:<22}{counts.get(f'outbox {k}', 0) - len(warm):>8}"
                f"  sent {counts.get(f'outbox {k} sent', 0) - len(warm)}"
                f"  on topic {topic.get(k, 0) - len(warm)}"
            )
        print(f"  relay drained {relay_drain_s:.1f}s after the load ended")
        lost = (
            new_rows < created
            or captured != new_rows
            or published != new_rows
            or counts.get("outbox lead.assigned", 0) != counts.get("outbox lead.captured", 0)
        )
        print(f"  lost: {'YES' if lost else 'none'}")
        print()
        print(
            f"CPU seconds during the {lead_s:.1f}s capture run"
            f" (2 cores = {2 * lead_s:.1f} cpu-s available):"
        )
        deltas = sorted(((cpu1[k] - cpu0.get(k, 0.0), k) for k in cpu1), reverse=True)
        for d, k in deltas:
            if d >= 0.05:
                print(f"  {k:<28}{d:7.1f}  ({1000 * d / max(created, 1):.2f} ms per lead)")
        print(
            json.dumps(
                {
                    "hello_rps": args.hello_requests / hello_s,
                    "leads_per_s": created / lead_s,
                    "lost": lost,
                }
            )
        )
        return 1 if lost else 0
    finally:
        if hello is not None:
            hello.terminate()
            hello.wait(10)
        stack.stop()
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
