"""Reporting store choice by measurement (issue 8): 10 million events across 100 tenants.

    .venv/bin/python bench/reporting_10m.py            # ~10M events; a few minutes on 2 cores
    .venv/bin/python bench/reporting_10m.py --small    # ~100k events, seconds (the test suite)

1. Bulk: fills reporting's fact tables straight in PostgreSQL with server-side
   ``generate_series`` (tenant by tenant, with ``app.tenant_id`` set, as row-level security
   requires), sized so the rows stand for ~N events (captured, assigned, first activity,
   qualified, disqualified, converted, deal created / stage changed / won / lost, quote,
   invoice, payment, message queued / sent / delivered). Tenant 0 is big (10% of everything),
   the other 99 share the rest.
2. Reports: the real R2 marketing report and R4 funnel functions of ``crm_reporting.reports``
   for one tenant over one year (2026, Asia/Jerusalem), timed through the indexes, and the
   same SQL with index scans disabled (plain full scans) in the same run; the lead counts of
   the marketing report from a daily rollup table beside the same counts from ``lead_fact``.
3. Ingest: a paced lead-capture load (lead.captured + lead.assigned per lead, as the leads
   service writes them) into an outbox, published by the real outbox relay to the embedded
   broker, consumed by a real ``crm-reporting consume`` process into the 10M-row tables.
   Lag per event = inbox.processed_at (reporting) - outbox.occurred_at (producer), both
   from the same PostgreSQL clock.

It starts its own PostgreSQL and broker on free ports unless given ``--reporting-url``,
``--source-url`` and ``--bootstrap`` (the test suite passes its fixtures').
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

EVENTS_PER_LEAD = 5.5  # measured ratio of this generator, printed again at the end
BIG_SHARE = 0.10


def tenant_uuid(ix: int) -> uuid.UUID:
    return uuid.UUID(f"00000000-0000-4000-8000-{ix:012x}")


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


# --------------------------------------------------------------------------- bulk generation

SOURCES = "ARRAY['facebook','google','instagram','website','referral','radio','tiktok','linkedin']"


def _id(prefix: str, expr: str) -> str:
    """A deterministic UUID from the tenant index and a row number (v7-shaped, time-free)."""
    return (
        f"(lpad(to_hex(@TIX@), 8, '0') || '-0000-7000-{prefix}-' || lpad(to_hex({expr}), 12, '0'))"
        "::uuid"
    )


LEADS_SQL = f"""
INSERT INTO lead_fact (tenant_id, lead_id, party_id, source, campaign, channel, owner_id, team_id,
    captured_at, first_assigned_at, first_response_at, qualified_at, disqualified_at,
    converted_at, deal_id, is_duplicate)
SELECT @T@, {_id("8000", "i")}, {_id("9000", "i")}, src, src || '-' || camp, 'form',
       {_id("b000", "(i % 20)")}, {_id("c000", "(i % 20) / 5")},
       cap, cap + r1 * interval '30 minutes', cap + r2 * interval '10 hours',
       CASE WHEN r3 < 0.40 THEN cap + r1 * interval '5 days' END,
       CASE WHEN r3 >= 0.80 THEN cap + r2 * interval '3 days' END,
       CASE WHEN r3 < 0.15 THEN cap + interval '5 days' + r2 * interval '20 days' END,
       CASE WHEN r3 < 0.15 THEN {_id("a000", "i")} END,
       r4 < 0.03
FROM (
    SELECT i, random() r1, random() r2, random() r3, random() r4,
           timestamptz '2025-01-01 00:00+02' + random() * interval '730 days' AS cap,
           ({SOURCES})[1 + floor(random() * 8)::int] AS src, floor(random() * 5)::int AS camp
    FROM generate_series(1, @N@) i
) s
"""

PARTIES_SQL = """
INSERT INTO party_dim (tenant_id, party_id, lead_id, name, source, campaign, owner_id, team_id,
    is_customer, captured_at, converted_at, attributes)
SELECT tenant_id, party_id, lead_id, 'ליד ' || right(lead_id::text, 6), source, campaign,
       owner_id, team_id, converted_at IS NOT NULL, captured_at, converted_at,
       jsonb_build_object('tier',
                          (ARRAY['gold','silver','bronze'])[1 + (hashtext(lead_id::text) & 3) % 3])
FROM lead_fact WHERE tenant_id = @T@
"""

DEALS_SQL = f"""
INSERT INTO deal_fact (tenant_id, deal_id, lead_id, party_id, pipeline_id, stage_id, stage_name,
    owner_id, amount_agorot, status, created_at, won_at, lost_at, lost_reason)
SELECT tenant_id, deal_id, lead_id, party_id, {_id("d000", "0")}, {_id("e000", "3")}, 'סגירה',
       owner_id, amount, status, converted_at,
       CASE WHEN status = 'won' THEN converted_at + r * interval '60 days' END,
       CASE WHEN status = 'lost' THEN converted_at + r * interval '60 days' END,
       CASE WHEN status = 'lost' THEN 'מחיר' END
FROM (
    SELECT *, CASE WHEN h < 50 THEN 'won' WHEN h < 80 THEN 'lost' ELSE 'open' END AS status,
           (100000 + (abs(hashtext(lead_id::text)) % 4900000))::bigint AS amount, random() r
    FROM (SELECT *, abs(hashtext(deal_id::text)) % 100 AS h
          FROM lead_fact WHERE tenant_id = @T@ AND deal_id IS NOT NULL) l
) d
"""

STAGES_SQL = f"""
INSERT INTO deal_stage_fact (tenant_id, deal_id, entered_at, to_stage_id, from_stage_id,
    to_stage_name, probability, left_at)
SELECT d.tenant_id, d.deal_id, d.created_at + (k - 1) * interval '7 days',
       {_id("e000", "k")}, CASE WHEN k > 1 THEN {_id("e000", "(k - 1)")} END,
       (ARRAY['פנייה','הצעה','סגירה'])[k], 20 * k,
       CASE WHEN k < s.visits THEN d.created_at + k * interval '7 days' END
FROM deal_fact d
CROSS JOIN LATERAL (SELECT 1 + abs(hashtext(d.deal_id::text || 's')) % 3 AS visits) s
CROSS JOIN LATERAL generate_series(1, s.visits) k
WHERE d.tenant_id = @T@
"""

DOCS_SQL = f"""
INSERT INTO document_fact (tenant_id, document_id, document_type, number, party_id,
    base_document_id, issue_date, subtotal_agorot, vat_agorot, total_agorot, issued_at)
SELECT tenant_id, {_id("f000", "2 * n")}, 'quote', 2 * n, party_id, NULL::uuid,
       (created_at AT TIME ZONE 'Asia/Jerusalem')::date, amount_agorot,
       amount_agorot * 18 / 100, amount_agorot * 118 / 100, created_at
FROM (SELECT *, row_number() OVER () AS n FROM deal_fact WHERE tenant_id = @T@) q
UNION ALL
SELECT tenant_id, {_id("f000", "2 * n + 1")}, 'invoice', 2 * n + 1, party_id, NULL,
       (won_at AT TIME ZONE 'Asia/Jerusalem')::date, amount_agorot,
       amount_agorot * 18 / 100, amount_agorot * 118 / 100, won_at
FROM (SELECT *, row_number() OVER () AS n FROM deal_fact WHERE tenant_id = @T@) w
WHERE status = 'won'
"""

PAYMENTS_SQL = f"""
INSERT INTO payment_fact (tenant_id, payment_id, party_id, method, amount_agorot, status,
    occurred_at, reason)
SELECT tenant_id, {_id("f100", "n")}, party_id, 'credit_card', total_agorot,
       CASE WHEN n % 9 = 0 THEN 'failed' ELSE 'received' END,
       issued_at + interval '3 days', CASE WHEN n % 9 = 0 THEN 'declined' END
FROM (SELECT *, row_number() OVER () AS n FROM document_fact
      WHERE tenant_id = @T@ AND document_type = 'invoice') i
WHERE n % 10 <> 0
"""

MESSAGES_SQL = f"""
INSERT INTO message_fact (tenant_id, message_id, party_id, channel, purpose, direction,
    queued_at, sent_at, delivered_at, status, segments, cost_agorot)
SELECT tenant_id, {_id("f200", "n")}, party_id, 'sms', 'marketing', 'out',
       captured_at + interval '1 hour', captured_at + interval '61 minutes',
       captured_at + interval '62 minutes', 'delivered', 1, 7
FROM (SELECT *, row_number() OVER () AS n FROM lead_fact WHERE tenant_id = @T@) l
WHERE n % 10 < 3
"""

EVENTS_SQL = """
SELECT
  (SELECT 3 * count(*) + count(qualified_at) + count(disqualified_at) + count(converted_at)
     FROM lead_fact)
  + (SELECT count(*) + count(won_at) + count(lost_at) FROM deal_fact)
  + (SELECT count(*) FROM deal_stage_fact WHERE from_stage_id IS NOT NULL)
  + (SELECT count(*) FROM document_fact) + (SELECT count(*) FROM payment_fact)
  + (SELECT 3 * count(*) FROM message_fact)
"""


async def generate(url: str, *, events: int, tenants: int) -> dict:
    import asyncpg

    leads_total = int(events / EVENTS_PER_LEAD)
    conn = await asyncpg.connect(_plain(url))
    started = time.perf_counter()
    try:
        await conn.execute("SET synchronous_commit = off")
        await conn.execute("SELECT setseed(0.42)")
        for ix in range(tenants):
            share = BIG_SHARE if ix == 0 else (1 - BIG_SHARE) / (tenants - 1)
            n = max(10, int(leads_total * share))
            async with conn.transaction():
                await conn.execute(
                    "SELECT set_config('app.tenant_id', $1, true)", str(tenant_uuid(ix))
                )
                for sql in (
                    LEADS_SQL,
                    PARTIES_SQL,
                    DEALS_SQL,
                    STAGES_SQL,
                    DOCS_SQL,
                    PAYMENTS_SQL,
                    MESSAGES_SQL,
                ):
                    q = sql.replace("@TIX@", str(ix)).replace("@T@", f"'{tenant_uuid(ix)}'::uuid")
                    await conn.execute(q.replace("@N@", str(n)))
            if ix % 20 == 0:
                print(
                    f"  tenant {ix}: {n} leads, {time.perf_counter() - started:.0f} s", flush=True
                )
        await conn.execute("ANALYZE")
        gen_s = time.perf_counter() - started
        # counting crosses tenants: the table owner reads with RLS, so count tenant by tenant
        total = 0
        rows = {}
        for ix in range(tenants):
            async with conn.transaction():
                await conn.execute(
                    "SELECT set_config('app.tenant_id', $1, true)", str(tenant_uuid(ix))
                )
                total += await conn.fetchval(EVENTS_SQL)
                for t in (
                    "lead_fact",
                    "party_dim",
                    "deal_fact",
                    "deal_stage_fact",
                    "document_fact",
                    "payment_fact",
                    "message_fact",
                ):
                    rows[t] = rows.get(t, 0) + await conn.fetchval(f"SELECT count(*) FROM {t}")
        size = await conn.fetchval("SELECT pg_size_pretty(pg_database_size(current_database()))")
    finally:
        await conn.close()
    return {"events": total, "rows": rows, "seconds": gen_s, "size": size}


# --------------------------------------------------------------------------- report timings

# The same SQL as a plain full scan: no index of any kind, and hash joins (with index scans
# off, the planner's nested loops over full scans would measure a misestimate, not a scan).
NO_INDEXES = (
    "SET LOCAL enable_indexscan = off",
    "SET LOCAL enable_bitmapscan = off",
    "SET LOCAL enable_indexonlyscan = off",
    "SET LOCAL enable_nestloop = off",
)

ROLLUP_DDL = """
CREATE TABLE bench_lead_daily_rollup (
    tenant_id uuid, day date, source text, campaign text, owner_id uuid,
    leads bigint, qualified bigint, converted bigint)
"""

# filled tenant by tenant (row-level security), as a rollup kept per tenant would be
ROLLUP_FILL = """
INSERT INTO bench_lead_daily_rollup
SELECT tenant_id, (captured_at AT TIME ZONE 'Asia/Jerusalem')::date AS day,
       COALESCE(source, '') AS source, COALESCE(campaign, '') AS campaign, owner_id,
       count(*) FILTER (WHERE NOT is_duplicate) AS leads,
       count(*) FILTER (WHERE NOT is_duplicate AND qualified_at IS NOT NULL) AS qualified,
       count(*) FILTER (WHERE NOT is_duplicate AND converted_at IS NOT NULL) AS converted
FROM lead_fact GROUP BY 1, 2, 3, 4, 5
"""

COUNTS_FROM_FACTS = """
SELECT COALESCE(source, '') AS source, COALESCE(campaign, '') AS campaign,
       count(*) FILTER (WHERE NOT is_duplicate) AS leads,
       count(*) FILTER (WHERE NOT is_duplicate AND qualified_at IS NOT NULL) AS qualified,
       count(*) FILTER (WHERE NOT is_duplicate AND converted_at IS NOT NULL) AS converted
FROM lead_fact WHERE tenant_id = :tenant AND captured_at >= :lo AND captured_at < :hi
GROUP BY 1, 2 ORDER BY 1, 2
"""

COUNTS_FROM_ROLLUP = """
SELECT source, campaign, sum(leads)::bigint AS leads, sum(qualified)::bigint AS qualified,
       sum(converted)::bigint AS converted
FROM bench_lead_daily_rollup WHERE tenant_id = :tenant AND day >= :start AND day <= :end
GROUP BY 1, 2 ORDER BY 1, 2
"""


def _row(label: str, name: str, fast: float, slow: float, rows: int) -> None:
    slow_s = "" if slow != slow else f"{slow * 1000:10.1f} ms"
    print(f"{label:<18} {name:<28} {fast * 1000:12.1f} ms {slow_s:>12} {rows:>6}", flush=True)


async def time_reports(
    url: str, *, runs: int, full_runs: int, tenants: int
) -> list[tuple[str, str, float, float, int]]:
    from sqlalchemy import text

    from crm_common.db import create_engine, create_sessionmaker, unit_of_work
    from crm_reporting.reports.marketing import marketing_report
    from crm_reporting.reports.performance import funnel_report
    from crm_reporting.reports.period import Period

    engine = create_engine(url, pool_size=2, instrument=False)
    sm = create_sessionmaker(engine)
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "Asia/Jerusalem")
    out = []

    async def timed(tenant, fn, *, full: bool, n: int) -> tuple[float, int]:
        times, size = [], 0
        for _ in range(n + 1):  # the first run warms the cache and is left out
            async with unit_of_work(sm, tenant_id=tenant) as s:
                if full:
                    for stmt in NO_INDEXES:
                        await s.execute(text(stmt))
                t0 = time.perf_counter()
                size = await fn(s, tenant)
                times.append(time.perf_counter() - t0)
        return statistics.median(times[1:]), size

    async def marketing(s, tenant):
        return len((await marketing_report(s, tenant, period)).rows)

    async def funnel(s, tenant):
        result = await funnel_report(s, tenant, period, None)
        return len(getattr(result, "stages", []) or [])

    def counts(sql):
        async def run(s, tenant):
            params = {
                "tenant": tenant,
                "lo": period.lo,
                "hi": period.hi,
                "start": period.start,
                "end": period.end,
            }
            return len((await s.execute(text(sql), params)).all())

        return run

    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP TABLE IF EXISTS bench_lead_daily_rollup"))
            await conn.execute(text(ROLLUP_DDL))
        rollup_started = time.perf_counter()
        for ix in range(tenants):
            async with unit_of_work(sm, tenant_id=tenant_uuid(ix)) as s:
                await s.execute(text(ROLLUP_FILL))
        async with engine.begin() as conn:
            await conn.execute(
                text("CREATE INDEX ON bench_lead_daily_rollup (tenant_id, day, source, campaign)")
            )
            await conn.execute(text("ANALYZE bench_lead_daily_rollup"))
        print(f"daily rollup of every tenant built in {time.perf_counter() - rollup_started:.1f} s")
        for label, tenant in (
            ("big tenant (10%)", tenant_uuid(0)),
            ("typical tenant", tenant_uuid(1)),
        ):
            for name, fn in (
                ("marketing R2", marketing),
                ("funnel R4", funnel),
                ("lead counts, facts", counts(COUNTS_FROM_FACTS)),
            ):
                fast, rows = await timed(tenant, fn, full=False, n=runs)
                slow, _ = await timed(tenant, fn, full=True, n=full_runs)
                out.append((label, name, fast, slow, rows))
                _row(*out[-1])
            fast, rows = await timed(tenant, counts(COUNTS_FROM_ROLLUP), full=False, n=runs)
            out.append((label, "lead counts, daily rollup", fast, float("nan"), rows))
            _row(*out[-1])
        async with engine.begin() as conn:
            await conn.execute(text("DROP TABLE bench_lead_daily_rollup"))
    finally:
        await engine.dispose()
    return out


# --------------------------------------------------------------------------- ingest lag


async def ingest(
    reporting_url: str,
    source_url: str,
    bootstrap: str,
    *,
    rate: float,
    seconds: float,
    tenants: int,
    workdir: Path,
) -> dict:
    from sqlalchemy import text

    from crm.events.leads.v1 import lead_events_pb2 as ev
    from crm_common.db import create_engine, create_sessionmaker, unit_of_work, uuid7
    from crm_common.outbox import add_event
    from crm_common.outbox.relay import OutboxRelay
    from crm_common.plumbing import PLUMBING_METADATA
    from crm_common.protoutil import timestamp
    from crm_reporting.settings import ReportingSettings

    src_engine = create_engine(source_url, pool_size=8, instrument=False)
    async with src_engine.begin() as conn:
        await conn.run_sync(PLUMBING_METADATA.create_all)
    src = create_sessionmaker(src_engine)
    rep_engine = create_engine(reporting_url, pool_size=2, instrument=False)
    rep = create_sessionmaker(rep_engine)

    env = {
        **os.environ,
        "CRM_REPORTING_DATABASE_URL": reporting_url,
        "CRM_REPORTING_KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "CRM_REPORTING_LOG_LEVEL": "WARNING",
    }
    log = (workdir / "consumer.log").open("ab")
    consumer = subprocess.Popen(  # noqa: ASYNC220 - started once, before any timing
        [sys.executable, "-m", "crm_reporting.main", "consume"], env=env, stdout=log, stderr=log
    )
    settings = ReportingSettings(database_url=source_url, kafka_bootstrap_servers=bootstrap)
    relay = OutboxRelay(settings=settings, sessionmaker=src, client_id="bench-relay")
    stop = asyncio.Event()
    relay_task = asyncio.create_task(relay.run(stop))

    async def capture(tenant: uuid.UUID) -> None:
        now = dt.datetime.now(dt.UTC)
        lead, party = uuid7(), uuid7()
        async with unit_of_work(src, tenant_id=tenant) as s:
            await add_event(
                s,
                topic="crm.leads.lead",
                aggregate_type="lead",
                aggregate_id=lead,
                tenant_id=tenant,
                occurred_at=now,
                event=ev.LeadCaptured(
                    lead_id=str(lead),
                    party_id=str(party),
                    name="ליד",
                    source="facebook",
                    campaign="facebook-1",
                    captured_at=timestamp(now),
                ),
            )
            await add_event(
                s,
                topic="crm.leads.lead",
                aggregate_type="lead",
                aggregate_id=lead,
                tenant_id=tenant,
                occurred_at=now,
                event=ev.LeadAssigned(
                    lead_id=str(lead),
                    party_id=str(party),
                    owner_id=str(uuid7()),
                    assigned_at=timestamp(now),
                ),
            )

    async def inbox_count() -> int:
        async with unit_of_work(rep) as s:
            return await s.scalar(text("SELECT count(*) FROM inbox"))

    async def wait_inbox(n: int, limit: float) -> None:
        deadline = time.monotonic() + limit
        while await inbox_count() < n:
            if time.monotonic() > deadline or consumer.poll() is not None:
                tail = (workdir / "consumer.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(
                    f"consumer did not catch up ({await inbox_count()} of {n} inbox rows"
                    f" after {limit:.0f} s); its log ends with:\n{tail}"
                )
            await asyncio.sleep(0.2)

    try:
        base = await inbox_count()
        await capture(tenant_uuid(0))  # warm-up: the consumer has joined its group
        await wait_inbox(base + 2, 90)
        base += 2
        cpu_before = _cpu_seconds(consumer.pid)
        since = dt.datetime.now(dt.UTC)  # events of earlier runs and the warm-up are older
        n = int(rate * seconds)
        t0 = time.monotonic()
        pending = []
        for i in range(n):
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            pending.append(asyncio.create_task(capture(tenant_uuid(i % tenants))))
        await asyncio.gather(*pending)
        sent_s = time.monotonic() - t0
        load = os.getloadavg()[0]
        await wait_inbox(base + 2 * n, 900)
        async with unit_of_work(src) as s:
            outbox = (
                await s.execute(
                    text("SELECT id, occurred_at, sent_at FROM outbox WHERE occurred_at >= :since"),
                    {"since": since},
                )
            ).all()
        async with unit_of_work(rep) as s:
            # The event is visible in reporting when the consumer's transaction commits. The
            # inbox row's processed_at is the transaction's *start*, which a batch of events
            # in one transaction would flatter, so use the commit timestamp when the server
            # tracks it (the embedded server of this bench does).
            tracked = await s.scalar(text("SHOW track_commit_timestamp")) == "on"
            visible = "pg_xact_commit_timestamp(xmin)" if tracked else "processed_at"
            processed = dict(
                (await s.execute(text(f"SELECT event_id, {visible} FROM inbox"))).all()
            )
        # whole path (source commit -> reporting commit), and its two legs: the outbox relay
        # (this bench's process, which also generates the load) and the consumer
        lags, relay_lag, consumer_lag = [], [], []
        for event_id, occurred_at, sent_at in outbox:
            if event_id in processed:
                lags.append((processed[event_id] - occurred_at).total_seconds())
                relay_lag.append((sent_at - occurred_at).total_seconds())
                consumer_lag.append((processed[event_id] - sent_at).total_seconds())
        lags.sort()
        consumer_cpu = _cpu_seconds(consumer.pid) - cpu_before
    finally:
        stop.set()
        await relay_task
        consumer.terminate()
        consumer.wait(20)
        await src_engine.dispose()
        await rep_engine.dispose()

    def pct(xs, p):
        return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))] * 1000

    relay_lag.sort()
    consumer_lag.sort()
    return {
        "leads": n,
        "events": len(lags),
        "rate": n / sent_s,
        "p50": pct(lags, 50),
        "p95": pct(lags, 95),
        "p99": pct(lags, 99),
        "max": lags[-1] * 1000,
        "relay_p99": pct(relay_lag, 99),
        "consumer_p50": pct(consumer_lag, 50),
        "consumer_p99": pct(consumer_lag, 99),
        "load": load,
        "consumer_cpu_ms_per_event": 1000 * consumer_cpu / max(1, len(lags)),
        "measured_to": "commit" if tracked else "transaction start (track_commit_timestamp off)",
    }


def _cpu_seconds(pid: int) -> float:
    """utime + stime of a process (whole life), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", action="store_true", help="~100k events, a short ingest run")
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--rate", type=float, default=100.0, help="leads per second (ingest)")
    parser.add_argument("--ingest-seconds", type=float, default=30.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reporting-url")
    parser.add_argument("--source-url")
    parser.add_argument("--bootstrap")
    parser.add_argument(
        "--skip-generate",
        action="store_true",
        help="the reporting database already holds the generated events (an earlier run"
        " with --reporting-url): time the reports and the ingest only",
    )
    args = parser.parse_args()
    if args.small:
        args.events, args.tenants, args.ingest_seconds, args.runs = 100_000, 10, 3.0, 2
        args.rate = min(args.rate, 50.0)

    from crm_reporting.main import app

    workdir = Path(tempfile.mkdtemp(prefix="reporting-bench-"))
    pg = broker = None
    try:
        if not (args.reporting_url and args.source_url and args.bootstrap):
            import secrets

            from crm_devstack.broker import EmbeddedBroker
            from crm_devstack.postgres import EmbeddedPostgres
            from crm_devstack.testing import free_port

            pg = EmbeddedPostgres(workdir / "pg", port=free_port())
            pg.start()
            # commit timestamps give the ingest lag to the moment the event is visible
            pg.psql("ALTER SYSTEM SET track_commit_timestamp = on")
            pg.stop()
            pg.start()
            broker = EmbeddedBroker(workdir / "broker", port=free_port())
            broker.start()
            args.reporting_url = pg.ensure_database("bench_reporting", secrets.token_hex(8))
            args.source_url = pg.ensure_database("bench_source", secrets.token_hex(8))
            args.bootstrap = broker.bootstrap_servers
        app.migrate(args.reporting_url)

        if not args.skip_generate:
            print(
                f"generating ~{args.events:,} events across {args.tenants} tenants ...",
                flush=True,
            )
            gen = asyncio.run(
                generate(args.reporting_url, events=args.events, tenants=args.tenants)
            )
            print(
                f"generated {gen['events']:,} events in {gen['seconds']:.0f} s "
                f"(database {gen['size']}): "
                + ", ".join(f"{t} {n:,}" for t, n in gen["rows"].items())
            )

        print("\none tenant, one year (2026, Asia/Jerusalem); median of runs after a warm-up")
        print(f"{'tenant':<18} {'query':<28} {'indexes/rollup':>15} {'full scan':>12} {'rows':>6}")
        asyncio.run(
            time_reports(
                args.reporting_url,
                runs=args.runs,
                full_runs=min(3, args.runs),
                tenants=args.tenants,
            )
        )

        print(
            f"\ningest: {args.rate:g} leads/s for {args.ingest_seconds:g} s "
            "(lead.captured + lead.assigned each) into the filled tables ...",
            flush=True,
        )
        lag = asyncio.run(
            ingest(
                args.reporting_url,
                args.source_url,
                args.bootstrap,
                rate=args.rate,
                seconds=args.ingest_seconds,
                tenants=args.tenants,
                workdir=workdir,
            )
        )
        print(
            f"ingest lag commit -> reporting consumer over {lag['events']} events "
            f"({lag['rate']:.0f} leads/s sent): p50 {lag['p50']:.0f} ms, p95 {lag['p95']:.0f} ms, "
            f"p99 {lag['p99']:.0f} ms, max {lag['max']:.0f} ms, to the reporting "
            f"{lag['measured_to']} "
            f"(commit -> relay published p99 {lag['relay_p99']:.0f} ms; published -> reporting"
            f" commit p50 {lag['consumer_p50']:.0f} ms, p99 {lag['consumer_p99']:.0f} ms)"
        )
        print(
            f"consumer CPU {lag['consumer_cpu_ms_per_event']:.1f} ms per event;"
            f" machine load average during the run {lag['load']:.1f} on {os.cpu_count()} cores"
        )
        return 0
    finally:
        if broker is not None:
            broker.stop()
        if pg is not None:
            pg.stop()
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
