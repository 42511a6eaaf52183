"""Pytest fixtures: a real PostgreSQL and a real Kafka-protocol broker per test session.

Loaded by the root ``conftest.py``. Each service's integration tests ask for a
fresh database with its migrations applied (:func:`migrated_database`), and
for the broker's bootstrap address.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from crm_devstack.broker import EmbeddedBroker
from crm_devstack.postgres import EmbeddedPostgres


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_port_block(n: int, *, start: int = 20000, stop: int = 32000) -> int:
    """The first of ``n`` consecutive loopback ports that are all free right now.

    Picked below the kernel's ephemeral range (32768+), so outgoing connections of
    other processes do not take them in the meantime.
    """
    import random

    for _ in range(200):
        base = random.randrange(start, stop - n)
        socks = []
        try:
            for port in range(base, base + n):
                sock = socket.socket()
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                socks.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError(f"no block of {n} free ports between {start} and {stop}")


@pytest.fixture(scope="session")
def embedded_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    pg = EmbeddedPostgres(tmp_path_factory.mktemp("postgres"), port=free_port())
    pg.start()
    yield pg
    pg.stop()


@pytest.fixture(scope="session")
def embedded_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    broker = EmbeddedBroker(tmp_path_factory.mktemp("broker"), port=free_port())
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture(scope="session")
def make_database(embedded_postgres: EmbeddedPostgres):
    """``make_database("leads_x")`` -> asyncpg URL of a new database owned by a new role."""
    made: set[str] = set()

    def make(name: str) -> str:
        if name in made:
            raise ValueError(f"database {name} already made in this session")
        made.add(name)
        return embedded_postgres.ensure_database(name, secrets.token_urlsafe(12))

    return make


def migrated_database(make_database, name: str, migrations: Path) -> str:
    """A new database with a service's Alembic migrations applied."""
    from crm_common.db.migrations import upgrade

    url = make_database(name)
    # Alembic's env runs its own event loop: keep it off the test's loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(upgrade, url=url, script_location=migrations).result()
    return url


@dataclass
class InProcessServer:
    """What :func:`serve_in_process` started: address, settings, a ready channel, the DB."""

    addr: str
    port: int
    url: str
    settings: Any
    channel: Any  # grpc.aio.Channel, connected and ready
    sessionmaker: Any  # async_sessionmaker the edge interceptor commits through
    engine: Any  # the AsyncEngine it made, or None when the caller gave the sessionmaker


@asynccontextmanager
async def serve_in_process(
    settings: Any,
    register: Callable[[Any], None],
    service_names: list[str],
    *,
    url: str | None = None,
    sessionmaker: Any = None,
    pool_size: int | None = None,
    on_tenant: Callable[[Any], Awaitable[None]] | None = None,
    ready_timeout: float = 10,
    **settings_overrides: Any,
) -> AsyncIterator[InProcessServer]:
    """A service's gRPC server (``crm_common.grpc.server.serve_grpc``) on a free port.

    ``settings`` is a settings class (built with ``database_url=url``, loopback host, a
    free port and ``settings_overrides``) or a ready instance (then ``url`` defaults to
    its ``database_url``). Without ``sessionmaker`` an engine is made on ``url`` (the
    given ``pool_size``, else ``create_engine``'s) and disposed at the end. Yields once
    the channel is ready; on the way out (also when the body raised) closes the channel,
    stops the server, awaits its task and disposes the engine it made.
    """
    import grpc

    from crm_common.db import create_engine, create_sessionmaker
    from crm_common.grpc.server import serve_grpc

    if isinstance(settings, type):
        settings = settings(
            database_url=url,
            grpc_host="127.0.0.1",
            grpc_port=free_port(),
            **settings_overrides,
        )
    elif settings_overrides:
        raise TypeError("settings overrides go with a settings class, not an instance")
    if url is None:
        url = settings.database_url
        url = url.get_secret_value() if hasattr(url, "get_secret_value") else url
    engine = None
    if sessionmaker is None:
        kw = {} if pool_size is None else {"pool_size": pool_size}
        engine = create_engine(url, instrument=False, **kw)
        sessionmaker = create_sessionmaker(engine)
    addr = f"127.0.0.1:{settings.grpc_port}"
    stop = asyncio.Event()
    task = asyncio.create_task(
        serve_grpc(
            settings=settings,
            sessionmaker=sessionmaker,
            register=register,
            service_names=service_names,
            stop=stop,
            on_tenant=on_tenant,
        )
    )
    channel = grpc.aio.insecure_channel(addr)
    try:
        ready = asyncio.ensure_future(channel.channel_ready())
        done, _ = await asyncio.wait(
            {ready, task}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            await asyncio.gather(ready, return_exceptions=True)
            if task in done:  # the server died while starting: its error, not a timeout
                task.result()
                raise RuntimeError(f"gRPC server on {addr} stopped before it was ready")
            raise TimeoutError(f"gRPC server on {addr} not ready in {ready_timeout} s")
        yield InProcessServer(
            addr, settings.grpc_port, url, settings, channel, sessionmaker, engine
        )
    finally:
        try:
            await channel.close()
            stop.set()
            await task
        finally:
            if engine is not None:
                await engine.dispose()
