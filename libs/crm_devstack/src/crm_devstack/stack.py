"""The whole CRM on one machine: PostgreSQL, broker, every service, the gateway.

:class:`Stack` is what ``crm-dev up`` runs and what the end-to-end tests start,
so the tests exercise the same path as a developer's machine. Each service
runs as the same three processes it runs as on Kubernetes (``serve``,
``relay``, ``consume``); a small supervisor restarts a process that dies, as
a Deployment would.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import grpc
import httpx
from grpc_health.v1 import health_pb2, health_pb2_grpc

from crm_devstack.broker import EmbeddedBroker
from crm_devstack.chartenv import local_config_maps
from crm_devstack.postgres import EmbeddedPostgres

_log = logging.getLogger(__name__)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


SERVICES = ("leads", "contacts", "billing", "messaging", "reporting")
COMPONENTS = ("serve", "relay", "consume")
# Services one service calls over gRPC: messaging resolves contacts segments and billing's
# dialer lists; reporting e-mails scheduled reports (R7) through messaging.
UPSTREAMS: dict[str, tuple[str, ...]] = {
    "messaging": ("contacts", "billing"),
    "reporting": ("messaging",),
}
# Extra worker processes (the chart's `workers` map): name -> (module, command).
WORKERS = {
    "messaging-work": ("crm_messaging.main", "work"),
    "gateway-webhooks": ("crm_gateway.main", "webhooks"),
    # The gateway's outbox (tenant.created at sign-up) and the per-tenant schedulers.
    "gateway-relay": ("crm_gateway.main", "relay"),
    "contacts-schedule": ("crm_contacts.main", "schedule"),
    "billing-schedule": ("crm_billing.main", "schedule"),
    "reporting-schedule": ("crm_reporting.main", "schedule"),
}


@dataclass
class StackConfig:
    var_dir: Path = Path("var")
    pg_port: int = 55432
    broker_port: int = 59092
    grpc_base_port: int = 50051
    gateway_port: int = 8000
    host: str = "127.0.0.1"
    trace_export: str = "none"  # none | console | file
    log_format: str = "json"
    extra_env: dict[str, str] = field(default_factory=dict)

    def grpc_port(self, service: str) -> int:
        return self.grpc_base_port + SERVICES.index(service)


@dataclass
class ManagedProcess:
    name: str
    argv: list[str]
    env: dict[str, str]
    log_path: Path
    proc: subprocess.Popen | None = None
    restarts: int = 0
    wanted: bool = True

    def start(self, extra_env: dict[str, str] | None = None) -> None:
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            self.argv,
            env={**self.env, **(extra_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wanted = True
        self.event("started", pid=self.proc.pid, extra_env=sorted(extra_env or {}))

    def event(self, what: str, **fields: object) -> None:
        """One JSON line in ``var/log/supervisor.log``: what the supervisor did, and when."""
        line = {"ts": _now(), "process": self.name, "event": what, **fields}
        with (self.log_path.parent / "supervisor.log").open("a") as fh:
            fh.write(json.dumps(line) + "\n")

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig: int) -> None:
        if self.alive:
            assert self.proc is not None
            self.proc.send_signal(sig)

    def stop(self, timeout: float = 15.0) -> None:
        self.wanted = False
        if not self.alive:
            return
        assert self.proc is not None
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        killed = False
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            killed = True
            self.proc.kill()
            self.proc.wait()
        self.event(
            "stopped",
            pid=self.proc.pid,
            returncode=self.proc.returncode,
            seconds=round(time.monotonic() - t0, 1),
            killed=killed,
        )


class Stack:
    def __init__(self, config: StackConfig | None = None) -> None:
        self.config = config or StackConfig()
        self.var = self.config.var_dir.resolve()
        self.var.mkdir(parents=True, exist_ok=True)
        (self.var / "log").mkdir(exist_ok=True)
        (self.var / "traces").mkdir(exist_ok=True)
        self.postgres = EmbeddedPostgres(self.var / "postgres", port=self.config.pg_port)
        self.broker = EmbeddedBroker(self.var / "broker", port=self.config.broker_port)
        self.processes: dict[str, ManagedProcess] = {}
        self.database_urls: dict[str, str] = {}
        self._secrets = self._load_secrets()
        self._supervisor: threading.Thread | None = None
        self._stopping = threading.Event()
        self._lock = threading.RLock()

    # -- secrets ---------------------------------------------------------------

    def _load_secrets(self) -> dict:
        path = self.var / "secrets.json"
        data = json.loads(path.read_text()) if path.exists() else {}
        before = json.dumps(data, sort_keys=True)
        data.setdefault("db_passwords", {})
        for name in (*SERVICES, "gateway"):
            data["db_passwords"].setdefault(name, secrets.token_urlsafe(18))
        data.setdefault("api_key", "crm_dev_" + secrets.token_urlsafe(24))
        data.setdefault("tenant_id", str(uuid.uuid4()))
        data.setdefault("user_id", str(uuid.uuid4()))
        data.setdefault("jwt_key", secrets.token_urlsafe(48))
        if json.dumps(data, sort_keys=True) != before:
            path.write_text(json.dumps(data, indent=2))
            path.chmod(0o600)
        return data

    @property
    def api_key(self) -> str:
        return self._secrets["api_key"]

    @property
    def tenant_id(self) -> str:
        return self._secrets["tenant_id"]

    @property
    def gateway_url(self) -> str:
        return f"http://{self.config.host}:{self.config.gateway_port}"

    def api_keys_json(self, extra: dict[str, dict] | None = None) -> str:
        keys = {
            self.api_key: {
                "tenant_id": self.tenant_id,
                "user_id": self._secrets["user_id"],
                "name": "developer",
            }
        }
        keys.update(extra or {})
        return json.dumps(keys)

    # -- environment -------------------------------------------------------------

    def chart_env(self, service: str) -> dict[str, str]:
        """The service's ConfigMap as the Helm chart renders it for this machine."""
        return dict(local_config_maps(self.broker.bootstrap_servers)[service])

    def service_env(self, service: str, component: str) -> dict[str, str]:
        p = f"CRM_{service.upper()}_"
        cfg = self.config
        env = self.chart_env(service)
        env |= {
            # Secrets (a Secret on Kubernetes) and what differs on one machine:
            p + "DATABASE_URL": self.database_urls[service],
            p + "GRPC_HOST": cfg.host,
            p + "GRPC_PORT": str(cfg.grpc_port(service)),
            p + "LOG_FORMAT": cfg.log_format,
            p + "TRACE_EXPORT": cfg.trace_export,
            p + "TRACE_FILE": str(self.var / "traces" / f"{service}-{component}.jsonl"),
            p + "DATABASE_POOL_SIZE": "5",
        }
        if service == "contacts":
            # The chart's default is S3; the embedded stack keeps files under var/.
            env[p + "ATTACHMENTS_BACKEND"] = "local"
            env[p + "ATTACHMENTS_DIR"] = str(self.var / "attachments")
        # The chart names the release's Services; locally they listen on ports.
        for upstream in UPSTREAMS.get(service, ()):
            env[f"{p}{upstream.upper()}_ADDR"] = f"{cfg.host}:{cfg.grpc_port(upstream)}"
        return env

    def gateway_env(self, api_keys_json: str | None = None) -> dict[str, str]:
        cfg = self.config
        env = self.chart_env("gateway")
        env |= {
            "CRM_GATEWAY_API_KEYS": api_keys_json or self.api_keys_json(),
            "CRM_GATEWAY_HOST": cfg.host,
            "CRM_GATEWAY_KAFKA_BOOTSTRAP_SERVERS": self.broker.bootstrap_servers,
            "CRM_GATEWAY_PORT": str(cfg.gateway_port),
            "CRM_GATEWAY_LOG_FORMAT": cfg.log_format,
            "CRM_GATEWAY_TRACE_EXPORT": cfg.trace_export,
            "CRM_GATEWAY_TRACE_FILE": str(self.var / "traces" / "gateway.jsonl"),
            # Secrets (the gateway's Secret on Kubernetes):
            "CRM_GATEWAY_DATABASE_URL": self.database_urls["gateway"],
            "CRM_GATEWAY_DATABASE_POOL_SIZE": "5",
            "CRM_GATEWAY_JWT_KEYS": json.dumps({"dev1": self._secrets["jwt_key"]}),
            "CRM_GATEWAY_JWT_ACTIVE_KID": "dev1",
        }
        for s in SERVICES:
            env[f"CRM_GATEWAY_{s.upper()}_ADDR"] = f"{cfg.host}:{cfg.grpc_port(s)}"
        return env

    def _base_env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
        env.update(self.config.extra_env)
        env["PYTHONUNBUFFERED"] = "1"
        return env

    # -- lifecycle -----------------------------------------------------------------

    def start(self, *, api_keys_json: str | None = None) -> None:
        t0 = time.monotonic()
        self.start_infrastructure()
        self.migrate()
        for service in SERVICES:
            for component in COMPONENTS:
                self._add_process(
                    f"{service}-{component}",
                    [sys.executable, "-m", f"crm_{service}.main", component],
                    self.service_env(service, component),
                )
        self._add_process(
            "gateway",
            [sys.executable, "-m", "crm_gateway.main", "serve"],
            self.gateway_env(api_keys_json),
        )
        for name, (module, command) in WORKERS.items():
            owner = name.split("-", 1)[0]
            env = (
                self.gateway_env(api_keys_json)
                if owner == "gateway"
                else self.service_env(owner, command)
            )
            self._add_process(name, [sys.executable, "-m", module, command], env)
        for proc in self.processes.values():
            proc.start()
        self._supervisor = threading.Thread(target=self._supervise, daemon=True)
        self._supervisor.start()
        self.wait_ready()
        _log.info("stack ready in %.1fs", time.monotonic() - t0)

    def check_ports(self) -> None:
        """Fail with a clear message when a port the stack needs is taken."""
        cfg = self.config
        wanted = {
            "PostgreSQL (--pg-port)": cfg.pg_port,
            "broker (--broker-port)": cfg.broker_port,
            "gateway (--gateway-port)": cfg.gateway_port,
            **{f"{s} gRPC (--grpc-base-port)": cfg.grpc_port(s) for s in SERVICES},
        }
        taken = []
        for what, port in wanted.items():
            with socket.socket() as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    sock.bind((cfg.host, port))
                except OSError:
                    taken.append(f"{what}: {cfg.host}:{port}")
        if taken:
            raise RuntimeError(
                "ports already in use (is another stack running?): " + "; ".join(taken)
            )

    def start_infrastructure(self) -> None:
        self.check_ports()
        self.postgres.start()
        for service in SERVICES:
            self.database_urls[service] = self.postgres.ensure_database(
                f"crm_{service}", self._secrets["db_passwords"][service]
            )
        self.database_urls["gateway"] = self.postgres.ensure_database(
            "crm_gateway", self._secrets["db_passwords"]["gateway"]
        )
        self.broker.start()

    def migrate(self) -> None:
        def run(service: str) -> None:
            env = {
                **self._base_env(),
                **(
                    self.gateway_env()
                    if service == "gateway"
                    else self.service_env(service, "migrate")
                ),
            }
            out = subprocess.run(
                [sys.executable, "-m", f"crm_{service}.main", "migrate"],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode != 0:
                raise RuntimeError(f"migrations of {service} failed:\n{out.stderr[-4000:]}")

        with ThreadPoolExecutor(len(SERVICES) + 1) as pool:
            list(pool.map(run, (*SERVICES, "gateway")))

    def _add_process(self, name: str, argv: list[str], env: dict[str, str]) -> None:
        self.processes[name] = ManagedProcess(
            name=name,
            argv=argv,
            env={**self._base_env(), **env},
            log_path=self.var / "log" / f"{name}.log",
        )

    def _supervise(self) -> None:
        while not self._stopping.wait(0.5):
            with self._lock:
                for proc in self.processes.values():
                    if proc.wanted and proc.proc is not None and proc.proc.poll() is not None:
                        _log.warning(
                            "%s exited with %s; restarting", proc.name, proc.proc.returncode
                        )
                        proc.event("exited", pid=proc.proc.pid, returncode=proc.proc.returncode)
                        proc.restarts += 1
                        proc.start()

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        for service in SERVICES:
            self._wait_grpc(service, deadline)
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.gateway_url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"gateway not ready; see {self.var / 'log' / 'gateway.log'}")

    def _wait_grpc(self, service: str, deadline: float) -> None:
        address = f"{self.config.host}:{self.config.grpc_port(service)}"
        with grpc.insecure_channel(address) as channel:
            stub = health_pb2_grpc.HealthStub(channel)
            while time.monotonic() < deadline:
                try:
                    resp = stub.Check(health_pb2.HealthCheckRequest(), timeout=1)
                    if resp.status == health_pb2.HealthCheckResponse.SERVING:
                        return
                except grpc.RpcError:
                    pass
                time.sleep(0.2)
        raise TimeoutError(f"{service} not serving; see {self.var / 'log'}")

    def consumer_groups(self) -> dict[str, list[str]]:
        """``group -> topics`` of every consumer the stack ran (from the processes' logs)."""
        from crm_devstack.settle import consumer_groups

        return consumer_groups(sorted((self.var / "log").glob("*.log")))

    def settle_consumers(self, *, timeout: float = 60.0, create_missing: bool = False):
        """Prove every consumer group reads every topic it subscribes to (probe messages).

        What a test that restarted the broker calls before it ends, so later tests start
        from a known state; see :mod:`crm_devstack.settle`.
        """
        from crm_devstack.settle import settle_consumers

        return settle_consumers(
            self.broker.bootstrap_servers,
            self.consumer_groups(),
            create_missing=create_missing,
            timeout=timeout,
        )

    def restart(self, name: str, *, extra_env: dict[str, str] | None = None) -> None:
        """Stop a process and start it again (optionally with extra env for this run only)."""
        with self._lock:
            proc = self.processes[name]
            proc.stop()
            proc.start(extra_env)

    def stop(self) -> None:
        self._stopping.set()
        if self._supervisor is not None:
            self._supervisor.join(5)
        with self._lock:
            procs = list(self.processes.values())
            for proc in procs:
                proc.wanted = False
                proc.signal(signal.SIGTERM)
            for proc in procs:
                proc.stop()
        self.broker.stop()
        self.postgres.stop()

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
