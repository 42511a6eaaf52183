"""The gateway app on its own migrated database per test module, with a probe router.

The probe routes stand in for service routes: they use ``Call`` like every
service-facing route and echo what a service would receive, so access control,
idempotency, limits and audit are tested without the services.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request

import crm_gateway
from crm_devstack.testing import migrated_database
from crm_gateway.access.routes import requires
from crm_gateway.app import create_app
from crm_gateway.backends import Backends, Call
from crm_gateway.settings import GatewaySettings

MIGRATIONS = Path(crm_gateway.__file__).parent / "migrations"
CONFIG_KEY = "cfg-integration-key-0123456789"
CONFIG_TENANT = uuid.UUID("0190f000-0000-7000-8000-000000000001")
CONFIG_USER = uuid.UUID("0190f000-0000-7000-8000-000000000002")
SCOPED_KEY = "cfg-scoped-key-0123456789abcdef"
JWT_KEYS = {"k1": "a" * 40, "k2": "b" * 40}
PASSWORD = "correct horse battery staple"

probe = APIRouter(prefix="/v1/probe", tags=["probe"])
created: list[dict] = []


@probe.get("/metadata", openapi_extra=requires("leads:read"))
async def probe_metadata(call: Call) -> dict:
    return {"metadata": dict(call.metadata), "timeout": call.timeout}


@probe.post("/leads", status_code=201, openapi_extra=requires("leads:create"))
async def probe_create(request: Request, call: Call) -> dict:
    body = await request.json()
    created.append(body)
    return {"n": len(created), "body": body}


@probe.get("/orders", openapi_extra=requires("billing:read"))
async def probe_orders(call: Call) -> dict:
    return {
        "items": [{"id": "o1", "total": 200, "cost_price": 120, "ledger": {"balance": 5}}],
        "cost_price": 120,
    }


@probe.post("/orders", status_code=201, openapi_extra=requires("billing:create"))
async def probe_create_order(request: Request, call: Call) -> dict:
    return await request.json()


@probe.post("/crash", openapi_extra=requires("leads:create"))
async def probe_crash(call: Call) -> dict:
    raise RuntimeError("boom")


# Derived permission (no x-permission): billing, change_order_status.
derived = APIRouter(prefix="/v1/orders", tags=["probe"])


@derived.post("/{order_id}/probe-status")
async def probe_order_status(order_id: str, call: Call) -> dict:
    return {"order_id": order_id}


unclaimed = APIRouter(prefix="/v1/unclaimed-module", tags=["probe"])


@unclaimed.get("")
async def probe_unclaimed(call: Call) -> dict:
    return {"ok": True}


def settings_for(url: str, **overrides) -> GatewaySettings:
    values = {
        "database_url": url,
        "api_keys": json.dumps(
            {
                CONFIG_KEY: {
                    "tenant_id": str(CONFIG_TENANT),
                    "user_id": str(CONFIG_USER),
                    "name": "integration",
                },
                SCOPED_KEY: {
                    "tenant_id": str(CONFIG_TENANT),
                    "user_id": str(CONFIG_USER),
                    "name": "scoped",
                    "scopes": ["leads:read"],
                },
            }
        ),
        "jwt_keys": json.dumps(JWT_KEYS),
        "jwt_active_kid": "k2",
        "login_max_failures": 3,
        "webhooks_allow_private_targets": False,
        # Cheaper argon2id for tests (production: t=3, m=64 MiB).
        "password_time_cost": 1,
        "password_memory_kib": 8 * 1024,
        "password_parallelism": 1,
        **overrides,
    }
    return GatewaySettings(**values)


def build_app(url: str, **overrides) -> FastAPI:
    settings = settings_for(url, **overrides)
    app = create_app(settings)
    for r in (probe, derived, unclaimed):
        app.include_router(r)
    app.state.backends = Backends(settings)
    return app


@pytest.fixture(scope="module")
def gateway_url(make_database, request) -> str:
    name = "gw_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    return migrated_database(make_database, name[:50], MIGRATIONS)


@pytest.fixture(scope="module")
async def make_client(gateway_url) -> AsyncIterator[Callable[..., httpx.AsyncClient]]:
    apps: list[FastAPI] = []
    default: dict[str, FastAPI] = {}

    def make(**overrides) -> httpx.AsyncClient:
        if overrides or "app" not in default:
            app = build_app(gateway_url, **overrides)
            apps.append(app)
            if not overrides:
                default["app"] = app
        else:
            app = default["app"]
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(
                app=app, client=("203.0.113.7", 4711), raise_app_exceptions=False
            ),
            base_url="http://gateway",
        )

    yield make
    for app in apps:
        await app.state.db.close()
        await app.state.backends.close()


@pytest.fixture
async def client(make_client) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client() as c:
        yield c


_slugs = itertools.count()


async def sign_up(client: httpx.AsyncClient, prefix: str = "t") -> dict:
    slug = f"{prefix}-{uuid.uuid4().hex[:10]}-{next(_slugs)}"
    resp = await client.post(
        "/v1/tenants",
        json={
            "slug": slug,
            "name": "חברת בדיקה",
            "admin_email": f"admin@{slug}.co.il",
            "admin_name": "מנהלת",
            "password": PASSWORD,
        },
    )
    assert resp.status_code == 201, resp.text
    data = resp.json()
    data["slug"] = slug
    data["admin"] = bearer(data["tokens"]["access_token"])
    return data


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def add_user(
    client: httpx.AsyncClient, tenant: dict, roles: list[str], team_id: str | None = None
) -> dict:
    email = f"u{uuid.uuid4().hex[:8]}@{tenant['slug']}.co.il"
    resp = await client.post(
        "/v1/users",
        headers=tenant["admin"],
        json={
            "email": email,
            "name": "משתמש",
            "password": PASSWORD,
            "roles": roles,
            "team_id": team_id,
        },
    )
    assert resp.status_code == 201, resp.text
    user = resp.json()
    login = await client.post(
        "/v1/auth/login", json={"tenant": tenant["slug"], "email": email, "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    user["tokens"] = login.json()
    user["auth"] = bearer(login.json()["access_token"])
    return user
