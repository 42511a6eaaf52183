"""Per-field audit overhead (A5) on the leads service's writes, audit on vs off, in one run.

    uv run --frozen python bench/audit_overhead.py [--calls 1000]

Starts an embedded PostgreSQL with a migrated leads database and two leads gRPC
servers in this process on the same database, as ``crm-leads serve`` runs them
(edge interceptor, unit of work, record scope listener): one with the audit
listener on (the default), one with ``create_sessionmaker(engine, audit=False)``.
Sequential calls, interleaved round by round so machine noise hits both alike:

* ``CreateLead``: one lead (audit: one ``leads`` row with every set field, plus
  the routing/activity rows the call writes);
* ``AssignLead``: an update of an existing lead's owner (audit: one ``leads``
  row with before/after of the changed fields and one ``lead_activities`` row).

Prints p50/p99 per case and the audit's added latency, and the mean CPU time of this process
per call (client and servers; not PostgreSQL's), which other load on the machine disturbs less.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import shutil
import socket
import statistics
import tempfile
import time
import uuid
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def run(url: str, calls: int) -> dict[str, list[float]]:
    import grpc

    from crm.leads.v1 import leads_service_pb2 as pb
    from crm.leads.v1 import leads_service_pb2_grpc as pb_grpc
    from crm_common.db import create_engine, create_sessionmaker
    from crm_common.grpc.server import serve_grpc
    from crm_leads.main import app
    from crm_leads.settings import LeadsSettings

    stop = asyncio.Event()
    engine = create_engine(url, pool_size=10, instrument=False)
    stubs, servers, channels = {}, [], []
    for name, audit in (("on", True), ("off", False)):
        port = _free_port()
        settings = LeadsSettings(database_url=url, grpc_host="127.0.0.1", grpc_port=port)
        servers.append(
            asyncio.create_task(
                serve_grpc(
                    settings=settings,
                    sessionmaker=create_sessionmaker(engine, audit=audit),
                    register=app.register_with_audit,
                    service_names=app.all_grpc_service_names,
                    stop=stop,
                )
            )
        )
        channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
        await asyncio.wait_for(channel.channel_ready(), 20)
        channels.append(channel)
        stubs[name] = pb_grpc.LeadsServiceStub(channel)

    tenant, user = uuid.uuid4(), uuid.uuid4()
    md = (
        ("x-tenant-id", str(tenant)),
        ("x-user-id", str(user)),
        ("x-actor-kind", "user"),
        ("x-client-ip", "203.0.113.1"),
        ("x-record-scope", "all"),
    )
    seq = iter(range(10**9))

    def create_req() -> pb.CreateLeadRequest:
        n = next(seq)
        return pb.CreateLeadRequest(
            name=f"ליד {n}",
            source="web",
            email=f"bench{n}@example.co.il",
            owner_id=str(user),
        )

    targets = {}
    for name, stub in stubs.items():
        lead = (await stub.CreateLead(create_req(), metadata=md, timeout=10)).lead
        targets[name] = lead.id
    owners = [str(uuid.uuid4()) for _ in range(2)]
    times: dict[str, list[float]] = {
        f"{rpc} audit {mode}": [] for rpc in ("CreateLead", "AssignLead") for mode in stubs
    }
    # CPU of this process (client + both servers; PostgreSQL's backends are not in it): less
    # sensitive to other work on the machine than wall time.
    cpu: dict[str, list[float]] = {k: [] for k in times}

    async def round_(i: int, record: bool) -> None:
        for mode, stub in stubs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            await stub.CreateLead(create_req(), metadata=md, timeout=10)
            t1, c1 = time.perf_counter(), time.process_time()
            await stub.AssignLead(
                pb.AssignLeadRequest(lead_id=targets[mode], owner_id=owners[i % 2]),
                metadata=md,
                timeout=10,
            )
            t2, c2 = time.perf_counter(), time.process_time()
            if record:
                times[f"CreateLead audit {mode}"].append((t1 - t0) * 1000)
                times[f"AssignLead audit {mode}"].append((t2 - t1) * 1000)
                cpu[f"CreateLead audit {mode}"].append((c1 - c0) * 1000)
                cpu[f"AssignLead audit {mode}"].append((c2 - c1) * 1000)

    for i in range(100):  # warm-up
        await round_(i, False)
    for i in range(calls):
        await round_(i, True)
    # The two servers really differ: audit rows for the "on" lead's updates, none for "off".
    from sqlalchemy import func, select

    from crm_common.db import unit_of_work
    from crm_common.plumbing import audit_log_table as a

    async with unit_of_work(create_sessionmaker(engine), tenant_id=tenant) as s:
        for mode, lead_id in targets.items():
            n = (
                await s.execute(select(func.count()).where(a.c.entity_id == str(lead_id)))
            ).scalar_one()
            expected_some = mode == "on"
            if (n > 0) != expected_some:
                raise RuntimeError(f"audit {mode}: {n} audit rows for its lead")
            print(f"audit {mode}: {n} audit rows for the lead it created and reassigned")
    for channel in channels:
        await channel.close()
    stop.set()
    await asyncio.gather(*servers)
    await engine.dispose()
    return times, cpu


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000, help="per case")
    args = parser.parse_args()

    import crm_leads
    from crm_common.db.migrations import upgrade
    from crm_devstack.postgres import EmbeddedPostgres

    var = Path(tempfile.mkdtemp(prefix="audit-bench-"))
    pg = EmbeddedPostgres(var / "postgres", port=_free_port())
    try:
        pg.start()
        url = pg.ensure_database("crm_leads", secrets.token_urlsafe(12))
        upgrade(url=url, script_location=Path(crm_leads.__file__).parent / "migrations")
        times, cpu = asyncio.run(run(url, args.calls))
        print(
            f"leads audit overhead, {args.calls} sequential calls per case (interleaved), "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"
        )
        print(
            f"{'case':22} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'+p50 ms':>8} "
            f"{'+p99 ms':>8} {'CPU ms':>8} {'+CPU ms':>8}"
        )
        for rpc in ("CreateLead", "AssignLead"):
            off = times[f"{rpc} audit off"]
            off_cpu = statistics.fmean(cpu[f"{rpc} audit off"])
            for mode in ("off", "on"):
                values = times[f"{rpc} audit {mode}"]
                mean_cpu = statistics.fmean(cpu[f"{rpc} audit {mode}"])
                print(
                    f"{rpc + ' audit ' + mode:22} {pct(values, 50):8.3f} {pct(values, 99):8.3f} "
                    f"{statistics.fmean(values):8.3f} {pct(values, 50) - pct(off, 50):8.3f} "
                    f"{pct(values, 99) - pct(off, 99):8.3f} {mean_cpu:8.3f} "
                    f"{mean_cpu - off_cpu:8.3f}"
                )
        return 0
    finally:
        pg.stop()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
