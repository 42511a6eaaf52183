"""Contacts benchmarks: (1) import 1,000,000 contacts from CSV beside a raw COPY of the same
file; (2) screen-pop (phone -> card) through the gateway at 200 requests/s with the contacts
loaded, beside a raw indexed SQL lookup at the same rate.

    uv run --frozen python bench/contacts_bench.py [--rows 1000000] [--rate 200] [--seconds 15]

It starts its own stack on free ports (the same ``crm_devstack.stack.Stack`` as ``make up``)
in a temporary directory and removes it at the end.

The import runs the contacts service's own use case (``crm_contacts.importer.import_csv``:
Python validation of every row, COPY into a staging table, set-based merge, the pending-events
rows; then, after the commit, the ``contacts.changed`` batches chunk by chunk) in this process
against the stack's contacts database, as the ``ImportContacts`` RPC runs it; a 1M-row file
(~70 MB) is over gRPC's default 4 MB message limit, so big files do not go through the RPC.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import grpc
import httpx
from sqlalchemy import text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable

from crm.contacts.v1 import card_service_pb2 as cpb
from crm.contacts.v1 import card_service_pb2_grpc as cgrpc
from crm_common.db import create_engine, create_sessionmaker, unit_of_work
from crm_contacts.importer.service import get_job, import_csv, write_pending_events
from crm_devstack.stack import Stack, StackConfig
from crm_devstack.testing import free_port

FIRST = ["דנה", "יוסי", "רון", "מיכל", "נועה", "אבי", "שירה", "משה", "רותם", "עומר"]
LAST = ["לוי", "כהן", "מזרחי", "פרץ", "ביטון", "אברהם", "פרידמן", "דהן", "אזולאי", "כץ"]
CITIES = ["תל אביב", "חיפה", "ירושלים", "באר שבע", "אילת", "נתניה"]
MAPPING = {
    "first": "first_name",
    "last": "last_name",
    "phone": "phone",
    "email": "email",
    "city": "city",
}


def say(msg: str) -> None:
    print(f"[contacts-bench] {msg}", file=sys.stderr, flush=True)


# 054-2000000 .. 054-9999999 are valid mobile numbers (054-0/054-1 are not allocated).
def phone_of(i: int) -> str:
    return f"054-{2_000_000 + i:07d}"


def e164_of(i: int) -> str:
    return f"+97254{2_000_000 + i:07d}"


TIERS = ("gold", "silver", "bronze", "none", "vip")


def write_csv(path: Path, rows: int, custom: bool = False) -> None:
    """``custom``: a ``tier`` column mapped to the dynamic field ``tier`` (a select)."""
    with path.open("w", encoding="utf-8") as f:
        f.write("first,last,phone,email,city" + (",tier\n" if custom else "\n"))
        for i in range(rows):
            f.write(
                f"{FIRST[i % 10]},{LAST[(i // 10) % 10]},{phone_of(i)},"
                f"c{i}@example.co.il,{CITIES[i % 6]}" + (f",{TIERS[i % 5]}\n" if custom else "\n")
            )


def plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


async def bench_import(
    url: str, tenant: uuid.UUID, csv_path: Path, custom: bool = False
) -> tuple[float, dict[str, object]]:
    engine = create_engine(url, instrument=False)
    sm = create_sessionmaker(engine)
    mapping = dict(MAPPING)
    if custom:
        from crm_contacts.card.service import FieldInput, define_field

        async with unit_of_work(sm, tenant_id=tenant) as s:
            await define_field(
                s,
                tenant,
                FieldInput(
                    entity="contact", key="tier", label_he="דרגה", type="select", options=TIERS
                ),
            )
        mapping["tier"] = "custom.tier"
    t0 = time.perf_counter()
    with csv_path.open(encoding="utf-8") as lines:
        async with unit_of_work(sm, tenant_id=tenant) as s:
            timings: dict[str, float] = {}
            job_id = await import_csv(
                s, tenant, lines=lines, mapping=mapping, policy="create", timings=timings
            )
    took = time.perf_counter() - t0
    # after the commit: the contacts.changed batches, chunk by chunk, as the background writer
    # the ImportContacts RPC starts (ADR contacts-0005)
    t1 = time.perf_counter()
    events = await write_pending_events(engine, tenant, job_id)
    events_took = time.perf_counter() - t1
    async with unit_of_work(sm, tenant_id=tenant) as s:
        job = await get_job(s, tenant, job_id)
        count = (await s.execute(text("SELECT count(*) FROM contacts"))).scalar_one()
        await s.execute(text("ANALYZE contacts"))
        await s.execute(text("ANALYZE contact_phones"))
    await engine.dispose()
    return took, {
        "created": job.created_count,
        "errors": len(job.errors),
        "rows": count,
        **{k: round(v, 1) for k, v in timings.items()},
        "status": job.status,
        "events_after_commit": events,
        "events_s": round(events_took, 1),
        "events_parts": job.event_parts,
    }


async def reporting_lag(url: str, tenant: uuid.UUID, rows: int, give_up: float) -> str:
    """Seconds from the import's commit until reporting's ``party_dim`` holds the dynamic
    field of every imported party (the ``contacts.changed`` batches relayed and consumed)."""
    conn = await asyncpg.connect(plain(url))
    t0 = time.perf_counter()
    seen, last, progress = 0, -1, []
    try:
        while time.perf_counter() - t0 < give_up:
            async with conn.transaction():
                await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant))
                seen = await conn.fetchval(
                    "SELECT count(*) FROM party_dim WHERE tenant_id = $1 AND attributes ? 'tier'",
                    tenant,
                )
            if seen != last:
                progress.append(f"{time.perf_counter() - t0:.0f}s:{seen}")
                last = seen
            if seen >= rows:
                break
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
    took = time.perf_counter() - t0
    say("reporting progress " + " ".join(progress[-12:]))
    if seen < rows:
        return f"only {seen:,} of {rows:,} parties after {took:.0f} s"
    return f"{took:.1f} s ({rows / took:,.0f} parties/s)"


async def bench_raw_copy(url: str, csv_path: Path) -> float:
    conn = await asyncpg.connect(plain(url))
    try:
        await conn.execute(
            "CREATE TABLE bench_raw_copy (first text, last text, phone text, email text, city text)"
        )
        t0 = time.perf_counter()
        with csv_path.open("rb") as f:
            await conn.copy_to_table("bench_raw_copy", source=f, format="csv", header=True)
        took = time.perf_counter() - t0
        await conn.execute("DROP TABLE bench_raw_copy")
        return took
    finally:
        await conn.close()


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


async def paced(call, rate: float, seconds: float, in_flight: int = 64) -> tuple[list[float], int]:
    """Open loop: request i is due at t0 + i/rate whatever happened to the earlier ones; its
    latency is measured from when it was due (so queueing behind slow requests counts), at
    most ``in_flight`` at once, 5 s timeout (a timeout counts as wrong, with its latency)."""
    n = int(rate * seconds)
    lat: list[float] = []
    bad = 0
    gate = asyncio.Semaphore(in_flight)
    t0 = time.perf_counter() + 0.1

    async def one(i: int) -> None:
        nonlocal bad
        due = t0 + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        async with gate:
            try:
                ok = await asyncio.wait_for(call(i), 5.0)
            except Exception as exc:
                ok = False
                if bad < 3:
                    say(f"request {i} failed: {exc!r}")
        lat.append(time.perf_counter() - due)
        bad += 0 if ok else 1

    await asyncio.gather(*(one(i) for i in range(n)))
    return lat, bad


async def bench_screen_pop(stack: Stack, rows: int, rate: float, seconds: float) -> list[tuple]:
    out = []
    rnd = random.Random(7)
    headers = {"Authorization": f"Bearer {stack.api_key}"}
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    timeout = httpx.Timeout(5.0)
    async with httpx.AsyncClient(
        base_url=stack.gateway_url, headers=headers, timeout=timeout, limits=limits
    ) as http:
        statuses: dict[int, int] = {}

        async def via_gateway(_i: int) -> bool:
            i = rnd.randrange(rows)
            r = await http.get("/v1/cards/lookup", params={"phone": phone_of(i)})
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            return r.status_code == 200 and len(r.json()["items"]) == 1

        for i in range(50):  # warm-up
            await via_gateway(i)
        lat, bad = await paced(via_gateway, rate, seconds)
        out.append(("screen-pop via gateway", lat, bad))
        # What the gateway sustains: closed loop, 16 workers, 1000 requests.
        n, lat_c, bad_c = 1000, [], 0
        it = iter(range(n))
        t0 = time.perf_counter()

        async def worker() -> None:
            nonlocal bad_c
            for i in it:
                start = time.perf_counter()
                bad_c += 0 if await via_gateway(i) else 1
                lat_c.append(time.perf_counter() - start)

        await asyncio.gather(*(worker() for _ in range(16)))
        took = time.perf_counter() - t0
        say(f"gateway closed loop x16: {n / took:.0f} req/s, p50 {pct(lat_c, 0.5):.1f} ms")
        out.append((f"gateway closed loop x16 ({n / took:.0f} req/s)", lat_c, bad_c))
        say(f"gateway HTTP statuses: {statuses}")

    addr = f"{stack.config.host}:{stack.config.grpc_port('contacts')}"
    channel = grpc.aio.insecure_channel(addr)
    card = cgrpc.CardServiceStub(channel)
    md = (("x-tenant-id", stack.tenant_id),)

    async def via_grpc(_i: int) -> bool:
        r = await card.LookupByPhone(
            cpb.LookupByPhoneRequest(phone=phone_of(rnd.randrange(rows))), metadata=md
        )
        return len(r.contacts) == 1

    for i in range(50):
        await via_grpc(i)
    lat, bad = await paced(via_grpc, rate, seconds)
    await channel.close()
    out.append(("screen-pop via contacts gRPC (no gateway)", lat, bad))

    pool = await asyncpg.create_pool(plain(stack.database_urls["contacts"]), min_size=5, max_size=5)
    sql = (
        "SELECT c.* FROM contact_phones p JOIN contacts c "
        "ON c.tenant_id = p.tenant_id AND c.id = p.contact_id "
        "WHERE p.tenant_id = $1 AND p.phone = $2 LIMIT 20"
    )
    tenant = uuid.UUID(stack.tenant_id)

    async def raw(_i: int) -> bool:
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("SELECT set_config('app.tenant_id', $1, true)", str(tenant))
            got = await conn.fetch(sql, tenant, e164_of(rnd.randrange(rows)))
            return len(got) == 1

    for i in range(50):
        await raw(i)
    lat, bad = await paced(raw, rate, seconds)
    await pool.close()
    out.append(("raw indexed SQL (asyncpg, RLS on)", lat, bad))
    return out


class _ExplainAnalyze(Executable, ClauseElement):
    inherit_cache = False

    def __init__(self, stmt) -> None:
        self.stmt = stmt


@compiles(_ExplainAnalyze)
def _explain_analyze(element, compiler, **kw) -> str:
    return "EXPLAIN (ANALYZE, COSTS OFF) " + compiler.process(element.stmt, **kw)


async def bench_search(
    url: str, rows: int, tenants: int, repeat: int, explain: bool = False
) -> list[tuple[str, str]]:
    """C7 under FORCE RLS: dynamic-field filters as JSONB containment alone (the GIN the planner
    may not use) against the service's filter (contact_field_values btree + @> recheck)."""
    from sqlalchemy import func, select

    from crm_contacts.card.models import Contact
    from crm_contacts.card.search import where_clauses
    from crm_contacts.card.service import FieldInput, define_field

    engine = create_engine(url, instrument=False, pool_size=2)
    sm = create_sessionmaker(engine)
    ids = [uuid.uuid4() for _ in range(tenants)]
    big = ids[0]  # half the rows; the other tenants share the rest
    per_small = (rows - rows // 2) // max(tenants - 1, 1)
    t0 = time.perf_counter()
    for n, t in enumerate(ids):
        count = rows // 2 if t == big else per_small
        async with unit_of_work(sm, tenant_id=t) as s:
            for key, type_, options in (
                ("member_no", "text", ()),
                ("tier", "select", ("gold", "silver", "bronze", "none", "vip")),
                ("langs", "multi_select", ("he", "en", "ar", "ru")),
            ):
                await define_field(
                    s,
                    t,
                    FieldInput(
                        entity="contact", key=key, label_he=key, type=type_, options=options
                    ),
                )
            await s.execute(
                text(
                    "INSERT INTO contacts (id, tenant_id, party_id, first_name, phones, custom) "
                    "SELECT uuidv7(), :t, gen_random_uuid(), 'n' || i, '{}', jsonb_build_object("
                    " 'member_no', (:n * 1000000 + i)::text,"
                    " 'tier', (ARRAY['gold','silver','bronze','none','vip'])[1 + i % 5],"
                    " 'langs', CASE WHEN i % 4 = 0 THEN '[\"he\",\"ru\"]'::jsonb"
                    "               ELSE '[\"he\"]'::jsonb END)"
                    " FROM generate_series(1, :count) i"
                ),
                {"t": t, "n": n, "count": count},
            )
    async with engine.begin() as conn:
        await conn.execute(text("ANALYZE contacts"))
        await conn.execute(text("ANALYZE contact_field_values"))
    load = time.perf_counter() - t0
    out = [
        (f"search: loaded {rows:,} contacts in {tenants} tenants (+ side table)", f"{load:.1f} s")
    ]
    cases = [
        ("member_no = one value (1 row), big tenant", big, {"member_no": "1234"}),
        ("member_no = one value (1 row), small tenant", ids[1], {"member_no": "1000234"}),
        ("tier = gold (20%), big tenant", big, {"tier": "gold"}),
        ("langs contains ru (25%), big tenant", big, {"langs": ["ru"]}),
    ]
    for label, t, f in cases:
        for mode in ("GIN @> alone (before)", "side table + @> (after)"):
            lat, total = [], 0
            async with unit_of_work(sm, tenant_id=t) as s:
                where = await where_clauses(s, t, {"custom": f})
                if mode.startswith("GIN"):
                    where = [Contact.tenant_id == t, Contact.custom.contains(f)]
                count = select(func.count()).select_from(Contact).where(*where)
                page = select(Contact.id).where(*where).order_by(Contact.id.desc()).limit(50)
                server_ms = 0.0
                for stmt in (count, page):
                    plan = [r[0] for r in await s.execute(_ExplainAnalyze(stmt))]
                    server_ms += float(plan[-1].split(":")[1].split()[0])
                    if explain:
                        say(f"{label} / {mode}:\n" + "\n".join(plan))
                for _ in range(repeat):
                    start = time.perf_counter()
                    total = (await s.execute(count)).scalar_one()
                    await s.execute(page)
                    lat.append(time.perf_counter() - start)
            out.append(
                (
                    f"search {label}: {mode}",
                    f"count {total:,} + first page: in PostgreSQL {server_ms:.2f} ms; "
                    f"round trip p50 {pct(lat, 0.5):.1f} ms, p99 {pct(lat, 0.99):.1f} ms",
                )
            )
    await engine.dispose()
    return out


def main_search(args) -> int:
    import crm_contacts
    from crm_common.db.migrations import upgrade
    from crm_devstack.postgres import EmbeddedPostgres

    var = Path(tempfile.mkdtemp(prefix="crm-contacts-search-bench-"))
    pg = EmbeddedPostgres(var / "pg", port=free_port())
    pg.start()
    try:
        url = pg.ensure_database("contacts_search_bench", uuid.uuid4().hex)
        upgrade(url=url, script_location=Path(crm_contacts.__file__).parent / "migrations")
        results = asyncio.run(
            bench_search(url, args.search_rows, args.tenants, args.repeat, args.explain)
        )
    finally:
        pg.stop()
        shutil.rmtree(var, ignore_errors=True)
    width = max(len(k) for k, _ in results)
    for k, v in results:
        print(f"{k:<{width}}  {v}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)  # at most 8,000,000
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=15.0)
    # C7: only the search benchmark (PostgreSQL alone, no stack).
    parser.add_argument("--search", action="store_true")
    parser.add_argument("--search-rows", type=int, default=200_000)
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    # R1: import with a dynamic field (`tier`), and how long reporting takes to show it.
    parser.add_argument("--custom", action="store_true", help="import a dynamic field too")
    parser.add_argument(
        "--reporting-lag",
        action="store_true",
        help="(implies --custom) time until reporting has every imported party's attributes",
    )
    parser.add_argument("--import-only", action="store_true", help="skip the screen-pop load")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.search:
        return main_search(args)
    var = Path(tempfile.mkdtemp(prefix="crm-contacts-bench-"))
    base = free_port()
    stack = Stack(
        StackConfig(
            var_dir=var,
            pg_port=free_port(),
            broker_port=free_port(),
            grpc_base_port=base if base + 5 < 65000 else 40000,
            gateway_port=free_port(),
            trace_export="none",
        )
    )
    # The gateway's per-key rate limit (600/min by default) would answer most of the load
    # with 429: lift it for the benchmark's key.
    gateway_env = stack.gateway_env

    def unlimited_gateway_env(api_keys_json: str | None = None) -> dict[str, str]:
        return {
            **gateway_env(api_keys_json),
            "CRM_GATEWAY_RATE_LIMIT_PER_KEY": "100000000",
            "CRM_GATEWAY_RATE_LIMIT_PER_TENANT": "100000000",
        }

    stack.gateway_env = unlimited_gateway_env
    results: list[tuple[str, str]] = []

    def result(name: str, value: str) -> None:
        results.append((name, value))
        say(f"{name}: {value}")

    ok = False
    try:
        say(f"starting the stack in {var} (cores: {os.cpu_count()})")
        stack.start()
        csv_path = var / "contacts.csv"
        t0 = time.perf_counter()
        write_csv(csv_path, args.rows, custom=args.custom or args.reporting_lag)
        size = csv_path.stat().st_size / 1e6
        say(f"wrote {args.rows:,} rows ({size:.0f} MB) in {time.perf_counter() - t0:.1f}s")
        url = stack.database_urls["contacts"]
        tenant = uuid.UUID(stack.tenant_id)
        custom = args.custom or args.reporting_lag
        took, job = asyncio.run(bench_import(url, tenant, csv_path, custom))
        result(
            f"import {args.rows:,} contacts (validate + COPY + merge)"
            + (" with a dynamic field" if custom else ""),
            f"{took:.1f} s (load average {os.getloadavg()[0]:.1f})",
        )
        result("  rows/s", f"{args.rows / took:,.0f}")
        result(
            "  commit -> every contacts.changed written (after the import, own transactions)",
            f"{job['events_s']} s ({job['events_after_commit']} events, "
            f"load average {os.getloadavg()[0]:.1f})",
        )
        result("  job", str(job))
        if args.reporting_lag:
            lag = asyncio.run(
                reporting_lag(stack.database_urls["reporting"], tenant, args.rows, 1800.0)
            )
            # the import function returns once every event is written, so this clock starts
            # there, not at the import's commit: add the events time above for the whole wait
            result("  last event written -> every party's attributes in reporting", lag)
        if not args.import_only:
            raw = asyncio.run(bench_raw_copy(url, csv_path))
            result("raw COPY of the same file into a bare table", f"{raw:.1f} s")
            for name, lat, bad in asyncio.run(
                bench_screen_pop(stack, args.rows, args.rate, args.seconds)
            ):
                label = name if "closed loop" in name else f"{name} @ {args.rate:.0f}/s open loop"
                result(
                    label,
                    f"p50 {pct(lat, 0.5):.1f} ms, p99 {pct(lat, 0.99):.1f} ms, "
                    f"max {max(lat) * 1000:.1f} ms, mean {statistics.mean(lat) * 1000:.1f} ms, "
                    f"wrong {bad}",
                )
        ok = True
    finally:
        say(f"load average at the end: {os.getloadavg()}")
        stack.stop()
        if ok:
            shutil.rmtree(var, ignore_errors=True)
        else:
            say(f"logs kept in {var}")
    width = max(len(k) for k, _ in results)
    for k, v in results:
        print(f"{k:<{width}}  {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
