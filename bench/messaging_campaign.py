"""Campaign send rate to the simulated SMS provider (M3), default 100 000 recipients.

    .venv/bin/python bench/messaging_campaign.py [--recipients 100000] [--workers 2]

Starts an embedded PostgreSQL on a free port, applies the messaging migrations,
runs the simulated provider (Twilio-style HTTP API) in its own process and
``--workers`` dispatcher processes (``crm-messaging work``, as in production).
Creates a marketing SMS campaign through the service layer (template, prior
consent of every recipient, Hebrew text of 2 UCS-2 segments), then times it from
the commit of the campaign to status ``completed``: every recipient turned into a
message (consent check, template rendering, idempotency key, outbox event), handed
to the provider over HTTP and marked sent (outbox event). Checks that the provider
received each recipient exactly once. Prints one JSON line.

In the same run, beside the pipeline's figures:

* a raw baseline: ``--baseline`` bare HTTP sends of the same form straight to the
  simulated provider (httpx, the adapter's connection pool size, 64 in flight), no
  database: what the provider path alone costs on this machine;
* resumability: when ``--kill-at`` of the recipients are sent, every dispatcher process
  is killed with SIGKILL (mid-batch: claimed rows left ``sending``), then restarted;
  the restarted dispatchers recover the stale claims (lease ``--lease-ms``) and finish.
  ``duplicates`` is what the provider accepted beyond one per recipient (must be 0).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from sqlalchemy import text

import crm_messaging
from crm_common.db import create_engine, create_sessionmaker, unit_of_work
from crm_common.db.migrations import upgrade
from crm_devstack.postgres import EmbeddedPostgres
from crm_devstack.testing import free_port
from crm_messaging.campaigns import service as campaigns
from crm_messaging.models import load_models
from crm_messaging.templates import service as templates

load_models()
TEXT = "פרסומת: {{first_name}}, רק השבוע 20% הנחה על כל הקולקציה בחנות. להסרה השיבו הסר"


def spawn(args: list[str], env: dict | None = None, pipe: bool = False) -> subprocess.Popen:
    profile = os.environ.get("BENCH_PROFILE_DIR")
    if profile and args[-1] == "work":  # cProfile each dispatcher (written on SIGTERM exit)
        out = Path(profile) / f"dispatcher-{time.monotonic_ns()}.prof"
        args = ["-m", "cProfile", "-o", str(out), *args]
    return subprocess.Popen(
        [sys.executable, *args],
        env=env,
        stdout=subprocess.PIPE if pipe else None,
        text=True,
    )


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (and its waited-for children) from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def phone(i: int) -> str:
    return f"+97254{2_000_000 + i:07d}"


async def raw_baseline(sim_url: str, n: int) -> dict:
    """n bare POSTs of the same form to the simulated provider, 64 in flight."""
    sid = "AC00000000000000000000000000000000"
    form = {"From": "CRM", "Body": TEXT.replace("{{first_name}}", "לקוח")}
    sem = asyncio.Semaphore(64)
    pid = os.getpid()
    cpu0 = cpu_seconds(pid)
    async with httpx.AsyncClient(
        base_url=sim_url,
        auth=(sid, "sim-auth-token"),
        limits=httpx.Limits(max_connections=32, max_keepalive_connections=32),
    ) as client:

        async def one(i: int) -> None:
            async with sem:
                r = await client.post(
                    f"/2010-04-01/Accounts/{sid}/Messages.json",
                    data={**form, "To": f"+97253{3_000_000 + i:07d}"},
                    headers={"Idempotency-Key": f"raw-{i}"},
                )
                r.raise_for_status()

        t0 = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        elapsed = time.perf_counter() - t0
    return {
        "raw_http_sends": n,
        "raw_send_s": round(elapsed, 1),
        "raw_sends_per_second": round(n / elapsed, 1),
        "raw_client_cpu_ms_per_message": round((cpu_seconds(pid) - cpu0) * 1000 / n, 2),
    }


async def bench(
    url: str,
    sim_url: str,
    n: int,
    workers: int,
    rate: int,
    kill_at: float = 0.5,
    lease_ms: int = 30_000,
    baseline_sends: int = 0,
) -> dict:
    engine = create_engine(url, instrument=False)
    sm = create_sessionmaker(engine)
    tenant = uuid.uuid4()
    async with unit_of_work(sm, tenant_id=tenant) as s:
        await templates.put_template(
            session=s,
            tenant_id=tenant,
            name="promo",
            channel="sms",
            language="he",
            subject="",
            text=TEXT,
            html="",
            provider_template=None,
        )
        await s.execute(
            text(
                "INSERT INTO consents (tenant_id, channel, address, purpose, granted, source, "
                "changed_at) SELECT :t, 'sms', '+97254' || (2000000 + i)::text, 'marketing', "
                "true, 'bench', now() FROM generate_series(0, :n - 1) AS i"
            ),
            {"t": tenant, "n": n},
        )
    t_create = time.perf_counter()
    async with unit_of_work(sm, tenant_id=tenant) as s:
        campaign = await campaigns.create_campaign(
            session=s,
            tenant_id=tenant,
            idempotency_key="bench",
            name="bench",
            channel="sms",
            purpose="marketing",
            template_name="promo",
            language="he",
            recipients=[
                campaigns.RecipientIn(address=phone(i), variables={"first_name": "לקוח"})
                for i in range(n)
            ],
            rate_per_second=rate,
            scheduled_at=None,
        )
    created_s = time.perf_counter() - t_create

    env = {
        **os.environ,
        "CRM_MESSAGING_DATABASE_URL": url,
        "CRM_MESSAGING_SMS_API_URL": sim_url,
        "CRM_MESSAGING_SMS_AUTH_TOKEN": "sim-auth-token",
        "CRM_MESSAGING_WORKER_BATCH_SIZE": "500",
        "CRM_MESSAGING_WORKER_CONCURRENCY": "64",
        "CRM_MESSAGING_WORKER_POLL_INTERVAL_MS": "50",
        "CRM_MESSAGING_WORKER_CLAIM_LEASE_MS": str(lease_ms),
        "CRM_MESSAGING_LOG_LEVEL": "WARNING",
    }
    procs = [spawn(["-m", "crm_messaging.main", "work"], env=env) for _ in range(workers)]
    t0 = time.perf_counter()
    samples = []
    killed: dict = {}
    dead_cpu = 0.0
    try:
        while True:
            # GetCampaign aggregates every recipient: poll gently (it loads the database).
            await asyncio.sleep(5)
            async with unit_of_work(sm, tenant_id=tenant) as s:
                c, p = await campaigns.get_campaign(
                    session=s, tenant_id=tenant, campaign_id=campaign.id
                )
            samples.append((round(time.perf_counter() - t0, 1), p.sent))
            if len(samples) % 6 == 0:  # a progress line on stderr (partial figures)
                print(
                    json.dumps({"t_s": samples[-1][0], "sent": p.sent, "pending": p.pending}),
                    file=sys.stderr,
                    flush=True,
                )
            if not killed and kill_at > 0 and p.sent >= n * kill_at:
                # SIGKILL every dispatcher mid-batch, then start fresh ones.
                dead_cpu = sum(cpu_seconds(proc.pid) for proc in procs)
                for proc in procs:
                    proc.send_signal(signal.SIGKILL)
                for proc in procs:
                    proc.wait(10)
                async with unit_of_work(sm, tenant_id=tenant) as s:
                    in_flight = (
                        await s.execute(
                            text("SELECT count(*) FROM messages WHERE status = 'sending'")
                        )
                    ).scalar_one()
                killed = {
                    "killed_at_s": round(time.perf_counter() - t0, 1),
                    "sent_when_killed": p.sent,
                    "claimed_sending_when_killed": in_flight,
                }
                procs = [
                    spawn(["-m", "crm_messaging.main", "work"], env=env) for _ in range(workers)
                ]
                continue
            if c.status == "completed":
                worker_cpu = dead_cpu + sum(cpu_seconds(proc.pid) for proc in procs)
                break
            if any(proc.poll() is not None for proc in procs):
                raise RuntimeError("a dispatcher process died")
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(10)
    elapsed = time.perf_counter() - t0
    async with httpx.AsyncClient() as client:
        stats = (await client.get(f"{sim_url}/stats")).json()
    # The raw baseline ran first, on numbers of its own, each once.
    stats["accepted"] -= baseline_sends
    stats["recipients"] -= baseline_sends
    async with unit_of_work(sm) as s:
        events = (await s.execute(text("SELECT type, count(*) FROM outbox GROUP BY type"))).all()
    async with unit_of_work(sm, tenant_id=tenant) as s:
        statuses = (
            await s.execute(text("SELECT status, count(*) FROM messages GROUP BY status"))
        ).all()
    await engine.dispose()
    return {
        "recipients": n,
        "dispatcher_processes": workers,
        "campaign_rate_limit_per_s": rate,
        "create_campaign_s": round(created_s, 1),
        "send_s": round(elapsed, 1),
        "sent": p.sent,
        "sends_per_second": round(p.sent / elapsed, 1),
        "dispatcher_cpu_s": round(worker_cpu, 1),
        "dispatcher_cpu_ms_per_message": round(worker_cpu * 1000 / max(1, p.sent), 2),
        "provider_accepted": stats["accepted"],
        "provider_distinct_recipients": stats["recipients"],
        "provider_max_per_recipient": stats["max_per_recipient"],
        "duplicates": stats["accepted"] - stats["recipients"],
        "message_statuses": dict(statuses),
        "resumed_after_kill": killed or None,
        "outbox_events": dict(events),
        "progress_samples": samples[:: max(1, len(samples) // 10)],
        "segments_per_message": 2,
    }


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--recipients", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rate", type=int, default=100_000, help="campaign throttle, msgs/s")
    ap.add_argument("--baseline", type=int, default=20_000, help="raw HTTP sends (0: none)")
    ap.add_argument("--kill-at", type=float, default=0.5, help="fraction sent (0: no kill)")
    ap.add_argument("--lease-ms", type=int, default=30_000, help="claim lease before recovery")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pg = EmbeddedPostgres(Path(tmp) / "pg", port=free_port())
        pg.start()
        sim = spawn(["-m", "crm_messaging.providers.simulator", str(free_port())], pipe=True)
        try:
            sim_url = sim.stdout.readline().strip()
            url = pg.ensure_database("messaging_bench", "bench-secret")
            with ThreadPoolExecutor(1) as pool:
                pool.submit(
                    upgrade,
                    url=url,
                    script_location=Path(crm_messaging.__file__).parent / "migrations",
                ).result()
            baseline = await raw_baseline(sim_url, args.baseline) if args.baseline else {}
            print(json.dumps(baseline), file=sys.stderr, flush=True)
            result = await bench(
                url,
                sim_url,
                args.recipients,
                args.workers,
                args.rate,
                kill_at=args.kill_at,
                lease_ms=args.lease_ms,
                baseline_sends=args.baseline,
            )
            if baseline:
                result |= baseline
                result["pipeline_vs_raw"] = round(
                    result["sends_per_second"] / result["raw_sends_per_second"], 3
                )
            result["cpu_count"] = os.cpu_count()
            result["load_avg_1m_at_end"] = os.getloadavg()[0]
            print(json.dumps(result, ensure_ascii=False))
            if result["duplicates"] or result["sent"] != args.recipients:
                raise SystemExit("exactly-once check failed")
        finally:
            sim.terminate()
            sim.wait(10)
            pg.stop()


if __name__ == "__main__":
    asyncio.run(main())
