"""Pytest fixtures: a real PostgreSQL and a real Kafka-protocol broker per test session.

Loaded by the root ``conftest.py``. Each service's integration tests ask for a
fresh database with its migrations applied (:func:`migrated_database`), and
for the broker's bootstrap address.
"""

from __future__ import annotations

import secrets
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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
