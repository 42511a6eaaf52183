"""Gateway CPU per request (issue 5, screen-pop through the gateway), closed loop.

    .venv/bin/python bench/gateway_cpu.py [--seconds 15] [--conns 16] [--workers 1]
        [--case NAME ...] [--rate N] [--rounds N] [--pyspy DIR] [--cprofile FILE]

Starts an embedded PostgreSQL with the gateway's database (migrated: users, roles, audit),
a canned gRPC backend process (contacts ``CardService.LookupByPhone`` and leads
``CreateLead`` answer fixed messages, so only the gateway's own work is measured), the
gateway as ``crm-gateway serve`` runs it (``crm_gateway.main``, telemetry set up, tracing on)
and a raw FastAPI "hello" app under uvicorn as the floor. Each case is sent closed loop by
``--conns`` keep-alive connections for ``--seconds`` from this process (a minimal asyncio
HTTP/1.1 client, cheap next to httpx) and reports requests/s, the server process's CPU ms
per request (user+system from /proc, robust on a shared machine) and p50/p99 latency, with
the load average. Cases:

* ``hello``: raw FastAPI ``GET /hello`` (no gateway code): the uvicorn + FastAPI floor;
* ``screen-pop``: ``GET /v1/cards/lookup?phone=...`` with a user's JWT (auth, role cache,
  rate limits, route permission, metadata, the gRPC call, the protobuf -> JSON answer);
* ``create-lead``: ``POST /v1/leads`` with the same JWT (body validation, the gRPC call and
  the audit row written to the gateway's database).

``--pyspy DIR`` records the gateway with py-spy during the gateway cases (``uvx py-spy``)
and prints the top functions by exclusive and inclusive samples (also
``bench/gateway_cpu.py --aggregate FILE``).
"""

import argparse
import asyncio
import collections
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

CONTACT_ID = str(uuid.uuid4())
PHONE = "+972541234567"


_PROFILED = """
import cProfile, signal, sys
from crm_gateway.main import main
# uvicorn re-raises SIGTERM after its shutdown: exit normally so the profile is written
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
prof = cProfile.Profile()
prof.enable()
try:
    main(["serve"])
finally:
    prof.disable()
    prof.dump_stats(sys.argv[1])
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def backend(port: int) -> None:
    """Canned contacts + leads gRPC answers (run in a subprocess)."""
    import grpc
    from google.protobuf.timestamp_pb2 import Timestamp

    from crm.contacts.v1 import card_service_pb2 as cpb
    from crm.contacts.v1 import card_service_pb2_grpc as cgrpc
    from crm.leads.v1 import leads_service_pb2 as lpb
    from crm.leads.v1 import leads_service_pb2_grpc as lgrpc

    now = Timestamp()
    now.GetCurrentTime()
    contact = cpb.Contact(
        id=CONTACT_ID,
        party_id=str(uuid.uuid4()),
        first_name="דנה",
        last_name="לוי",
        phones=[PHONE],
        emails=["dana@example.co.il"],
        addresses=[cpb.Address(kind="home", street="הרצל 1", city="חיפה", country="IL")],
        created_at=now,
        updated_at=now,
    )
    contact.custom.update({"tier": "gold"})
    lookup = cpb.LookupByPhoneResponse(contacts=[contact])
    lead = lpb.Lead(
        id=str(uuid.uuid4()),
        party_id=str(uuid.uuid4()),
        name="דנה לוי",
        phone=PHONE,
        source="web",
        status=lpb.LEAD_STATUS_NEW,
        created_at=now,
        updated_at=now,
        version=1,
    )
    created = lpb.CreateLeadResponse(lead=lead)

    class Cards(cgrpc.CardServiceServicer):
        async def LookupByPhone(self, request, context):
            return lookup

    class Leads(lgrpc.LeadsServiceServicer):
        async def CreateLead(self, request, context):
            return created

    async def run() -> None:
        server = grpc.aio.server()
        cgrpc.add_CardServiceServicer_to_server(Cards(), server)
        lgrpc.add_LeadsServiceServicer_to_server(Leads(), server)
        server.add_insecure_port(f"127.0.0.1:{port}")
        await server.start()
        await server.wait_for_termination()

    asyncio.run(run())


def hello(port: int) -> None:
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/hello")
    async def hello_() -> dict:
        return {"ok": True}

    @app.get("/healthz")
    async def healthz() -> dict:
        return {"status": "ok"}

    uvicorn.run(app, host="127.0.0.1", port=port, log_config=None, access_log=False)


def cpu_s(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def tree(pid: int) -> list[int]:
    """The process and its children (uvicorn ``--workers`` forks)."""
    out = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        out += tree(int(child))
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def _one(reader, writer, request: bytes) -> int:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def closed_loop(port: int, request: bytes, conns: int, seconds: float) -> list[float]:
    lat: list[float] = []
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.perf_counter() < stop:
                t0 = time.perf_counter()
                status = await _one(reader, writer, request)
                if status >= 300:
                    raise RuntimeError(f"answer {status} to {request[:60]!r}")
                lat.append(time.perf_counter() - t0)
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(conns)))
    return lat


async def open_loop(
    port: int, request: bytes, conns: int, seconds: float, rate: float
) -> list[float]:
    """``rate`` requests/s on schedule over a pool of ``conns`` keep-alive connections; the
    latency of each counts from when it was due (queueing included)."""
    pool: asyncio.Queue = asyncio.Queue()
    for _ in range(conns):
        pool.put_nowait(await asyncio.open_connection("127.0.0.1", port))
    lat: list[float] = []

    async def one(due: float) -> None:
        reader, writer = await pool.get()
        try:
            status = await _one(reader, writer, request)
            if status >= 300:
                raise RuntimeError(f"answer {status} to {request[:60]!r}")
            lat.append(time.perf_counter() - due)
        finally:
            pool.put_nowait((reader, writer))

    start = time.perf_counter()
    tasks = []
    for i in range(int(seconds * rate)):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due)))
    await asyncio.gather(*tasks)
    while not pool.empty():
        pool.get_nowait()[1].close()
    return lat


def http_request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def aggregate(path: Path, top: int = 25) -> str:
    """py-spy ``-f raw`` (collapsed stacks "a;b;c N") -> top functions, exclusive/inclusive."""
    excl: collections.Counter[str] = collections.Counter()
    incl: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack:
            continue
        count = int(n)
        frames = [
            f.split(" (")[0] + " " + f.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1]
            for f in stack.split(";")
        ]
        total += count
        excl[frames[-1]] += count
        for f in set(frames):
            incl[f] += count
    out = [f"{path.name}: {total} samples"]
    out.append("  exclusive:")
    out += [f"    {c / total:6.1%}  {f}" for f, c in excl.most_common(top)]
    out.append("  inclusive:")
    out += [f"    {c / total:6.1%}  {f}" for f, c in incl.most_common(top * 2)]
    return "\n".join(out)


def wait_up(port: int, var: Path) -> None:
    import httpx

    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"port {port} did not come up; see {var}")
        time.sleep(0.2)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15.0, help="per case")
    parser.add_argument("--conns", type=int, default=16, help="closed-loop connections")
    parser.add_argument("--workers", type=int, default=1, help="gateway uvicorn workers")
    parser.add_argument("--case", action="append", help="hello, screen-pop, create-lead")
    parser.add_argument(
        "--rate", type=float, help="open loop at this many requests/s instead of closed loop"
    )
    parser.add_argument("--rounds", type=int, default=1, help="repeat the cases")
    parser.add_argument("--pyspy", type=Path, help="record the gateway with py-spy here")
    parser.add_argument("--cprofile", type=Path, help="write a cProfile of the gateway here")
    parser.add_argument("--aggregate", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--backend", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--hello", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.aggregate:
        print(aggregate(args.aggregate))
        return 0
    if args.backend:
        backend(args.backend)
        return 0
    if args.hello:
        hello(args.hello)
        return 0

    import httpx

    from crm_common.db.migrations import upgrade
    from crm_devstack.postgres import EmbeddedPostgres
    from crm_gateway.main import MIGRATIONS

    cases = args.case or ["hello", "screen-pop", "create-lead"]
    var = Path(tempfile.mkdtemp(prefix="gateway-cpu-bench-"))
    pg = EmbeddedPostgres(var / "postgres", port=_free_port())
    procs: list[subprocess.Popen] = []
    try:
        pg.start()
        url = pg.ensure_database("crm_gateway", secrets.token_urlsafe(12))
        upgrade(url=url, script_location=MIGRATIONS)
        grpc_port, gw_port, hello_port = _free_port(), _free_port(), _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
        big = "1000000000"
        gw_env = env | {
            "CRM_GATEWAY_DATABASE_URL": url,
            "CRM_GATEWAY_HOST": "127.0.0.1",
            "CRM_GATEWAY_PORT": str(gw_port),
            "CRM_GATEWAY_WORKERS": str(args.workers),
            "CRM_GATEWAY_CONTACTS_ADDR": f"127.0.0.1:{grpc_port}",
            "CRM_GATEWAY_LEADS_ADDR": f"127.0.0.1:{grpc_port}",
            "CRM_GATEWAY_JWT_KEYS": json.dumps({"b1": secrets.token_urlsafe(48)}),
            "CRM_GATEWAY_RATE_LIMIT_PER_KEY": big,
            "CRM_GATEWAY_RATE_LIMIT_PER_TENANT": big,
            "CRM_GATEWAY_RATE_LIMIT_ANONYMOUS": big,
            "CRM_GATEWAY_LOG_LEVEL": "WARNING",
        }
        for argv, e, log in (
            ([__file__, "--backend", str(grpc_port)], env, "backend.log"),
            ([__file__, "--hello", str(hello_port)], env, "hello.log"),
            (
                ["-c", _PROFILED, str(args.cprofile)]
                if args.cprofile
                else ["-m", "crm_gateway.main", "serve"],
                gw_env,
                "gateway.log",
            ),
        ):
            procs.append(
                subprocess.Popen(
                    [sys.executable, *argv],
                    env=e,
                    stdout=subprocess.DEVNULL,
                    stderr=(var / log).open("wb"),
                )
            )
        wait_up(hello_port, var)
        wait_up(gw_port, var)
        gw_pid, hello_pid = procs[2].pid, procs[1].pid

        base = f"http://127.0.0.1:{gw_port}"
        slug = "bench-" + secrets.token_hex(4)
        signup = httpx.post(
            f"{base}/v1/tenants",
            timeout=60,
            json={
                "slug": slug,
                "name": "bench",
                "admin_email": f"a@{slug}.co.il",
                "admin_name": "admin",
                "password": "bench passphrase " + secrets.token_hex(4),
            },
        )
        signup.raise_for_status()
        auth = {"Authorization": "Bearer " + signup.json()["tokens"]["access_token"]}
        lead = json.dumps(
            {"name": "דנה לוי", "phone": "054-1234567", "source": "web"}, ensure_ascii=False
        ).encode()
        requests = {
            "hello": (hello_port, hello_pid, http_request("GET", "/hello", {})),
            "screen-pop": (
                gw_port,
                gw_pid,
                http_request("GET", "/v1/cards/lookup?phone=054-1234567", auth),
            ),
            "create-lead": (gw_port, gw_pid, http_request("POST", "/v1/leads", auth, lead)),
        }
        print(
            f"gateway CPU bench: {args.conns} connections, "
            f"{f'open loop at {args.rate:.0f}/s' if args.rate else 'closed loop'}, "
            f"{args.seconds:.0f} s per case, gateway workers {args.workers}, "
            f"{os.cpu_count()} CPUs",
            flush=True,
        )
        print(
            f"{'case':12} {'req/s':>8} {'CPU ms/req':>10} {'p50 ms':>8} {'p99 ms':>8} {'load1':>6}",
            flush=True,
        )
        for _ in range(args.rounds):
            for name in cases:
                port, pid, raw = requests[name]
                asyncio.run(closed_loop(port, raw, args.conns, 1.0))  # warm-up
                spy = None
                if args.pyspy and name != "hello":
                    args.pyspy.mkdir(parents=True, exist_ok=True)
                    spy = subprocess.Popen(
                        [
                            "uvx",
                            "py-spy",
                            "record",
                            "-p",
                            str(pid),
                            "-f",
                            "raw",
                            "-r",
                            "250",
                            "-d",
                            str(int(args.seconds)),
                            "-o",
                            str(args.pyspy / f"{name}.txt"),
                            "--subprocesses",
                            "--nonblocking",
                        ],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    time.sleep(1.0)
                pids = tree(pid)
                c0, t0 = cpu_s(pids), time.perf_counter()
                if args.rate:
                    lat = asyncio.run(open_loop(port, raw, args.conns, args.seconds, args.rate))
                else:
                    lat = asyncio.run(closed_loop(port, raw, args.conns, args.seconds))
                c1, t1 = cpu_s(pids), time.perf_counter()
                n = len(lat)
                print(
                    f"{name:12} {n / (t1 - t0):8.1f} {(c1 - c0) * 1000 / n:10.3f} "
                    f"{pct(lat, 50) * 1000:8.1f} {pct(lat, 99) * 1000:8.1f} "
                    f"{os.getloadavg()[0]:6.1f}",
                    flush=True,
                )
                if spy is not None:
                    spy.wait(60)
        if args.pyspy:
            for name in cases:
                f = args.pyspy / f"{name}.txt"
                if f.exists():
                    print(aggregate(f))
        return 0
    finally:
        for proc in reversed(procs):
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
        pg.stop()
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
