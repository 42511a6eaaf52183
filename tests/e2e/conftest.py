"""End-to-end: the whole stack started by the same code as `make up`.

Real PostgreSQL, real broker, every service as its own processes, the gateway
over HTTP. Each test gets its own tenant (its own API key) so its numbers are
its own.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import Callable, Iterator

import httpx
import pytest

from crm_devstack.stack import SERVICES, Stack, StackConfig
from crm_devstack.testing import free_port_block

TENANTS = 48


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``disruptive`` (broker restarts, killed consumers) run after the others.

    The embedded broker keeps topics and group offsets in memory: after it restarts, topics
    are recreated (``crm_devstack.broker`` restores them) and every group rejoins. The
    broker-outage test waits until every group reads every topic again
    (``Stack.settle_consumers``) before it ends; running these tests last keeps the
    restarts' side effects (a relay's first publish taking ~10 s) out of the other tests.
    """
    items.sort(key=lambda item: item.get_closest_marker("disruptive") is not None)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    var_dir = tmp_path_factory.mktemp("var")
    tenant_keys = {
        f"e2e-key-{i:02d}-{uuid.uuid4().hex}": {
            "tenant_id": str(uuid.uuid4()),
            "user_id": str(uuid.uuid4()),
            "name": f"e2e {i}",
        }
        for i in range(TENANTS)
    }
    for attempt in range(3):
        # One block of consecutive ports: PostgreSQL, broker, gateway, then the services.
        base = free_port_block(3 + len(SERVICES))
        stack = Stack(
            StackConfig(
                var_dir=var_dir,
                pg_port=base,
                broker_port=base + 1,
                gateway_port=base + 2,
                grpc_base_port=base + 3,
                trace_export="file",
            )
        )
        stack.tenant_keys = tenant_keys
        try:
            stack.check_ports()
        except RuntimeError:
            if attempt == 2:
                raise
            continue  # another process took a port in between: pick another block
        break
    try:
        stack.start(api_keys_json=stack.api_keys_json(stack.tenant_keys))
        yield stack
    finally:
        stack.stop()


_keys = itertools.count()


@pytest.fixture
def api(stack: Stack) -> Iterator[httpx.Client]:
    """An HTTP client of the gateway authenticated as a tenant no other test uses."""
    key = list(stack.tenant_keys)[next(_keys)]
    with httpx.Client(
        base_url=stack.gateway_url, headers={"Authorization": f"Bearer {key}"}, timeout=15
    ) as client:
        client.tenant_id = stack.tenant_keys[key]["tenant_id"]
        yield client


def eventually(check: Callable[[], object], *, timeout: float = 45.0, every: float = 0.25):
    """Poll ``check`` until it returns a truthy value; fail with the last value seen."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(every)
    raise AssertionError(f"not reached within {timeout}s; last value: {last!r}")


def source_count(api: httpx.Client, source: str) -> int:
    resp = api.get("/v1/reports/leads-by-source")
    assert resp.status_code == 200, resp.text
    return next((r["leads"] for r in resp.json()["sources"] if r["source"] == source), 0)
