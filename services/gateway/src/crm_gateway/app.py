"""The FastAPI application."""

from __future__ import annotations

import logging
import weakref
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import opentelemetry.instrumentation.fastapi as otel_fastapi
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from starlette.types import Scope
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from crm_gateway import openapi, problems
from crm_gateway.auth import Authenticator
from crm_gateway.backends import Backends
from crm_gateway.callpush import ScreenPops
from crm_gateway.db import Database
from crm_gateway.identity.secrets import Keyring, configure_hasher
from crm_gateway.middleware import GatewayMiddleware
from crm_gateway.ratelimit import RateLimiter
from crm_gateway.routers import all_routers
from crm_gateway.settings import GatewaySettings

_log = logging.getLogger(__name__)
_SPAN_DETAILS_MAX = 4096


def _cached_span_details(
    original: Callable[[Scope], tuple[str, dict[str, str]]],
) -> Callable[[Scope], tuple[str, dict[str, str]]]:
    """The FastAPI instrumentation names the server span by matching the path against
    every route itself, before (and apart from) the router's own match: with ~25 included
    routers that second scan was ~7% of the gateway's CPU per request. Its answer depends
    only on the app's routes and the scope's type, method and path, so it is kept per app
    (weakly: test apps come and go) and path; paths carrying ids miss and are matched as
    before (the table is cleared when full)."""
    per_app: weakref.WeakKeyDictionary[Any, dict[tuple, tuple[str, dict[str, str]]]] = (
        weakref.WeakKeyDictionary()
    )

    def details(scope: Scope) -> tuple[str, dict[str, str]]:
        table = per_app.get(scope["app"])
        if table is None:
            table = per_app[scope["app"]] = {}
        key = (scope["type"], scope.get("method"), scope.get("root_path", ""), scope["path"])
        hit = table.get(key)
        if hit is None:
            hit = original(scope)
            if len(table) >= _SPAN_DETAILS_MAX:
                table.clear()
            table[key] = hit
        return hit[0], dict(hit[1])

    details.__wrapped__ = original  # type: ignore[attr-defined]
    return details


def _install_span_details_cache() -> None:
    current = getattr(otel_fastapi, "_get_default_span_details", None)
    if current is None:  # a private name of the instrumentation; a new version may drop it
        _log.warning("OpenTelemetry FastAPI span names are not cached (instrumentation changed)")
    elif not hasattr(current, "__wrapped__"):
        otel_fastapi._get_default_span_details = _cached_span_details(current)


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.backends = Backends(settings)
        await app.state.screen_pops.start()
        try:
            yield
        finally:
            await app.state.screen_pops.stop()
            await app.state.backends.close()
            if app.state.db is not None:
                await app.state.db.close()

    app = FastAPI(
        title="CRM API",
        version="1.0.0",
        description="REST API of the CRM. Errors are RFC 9457 problem+json. "
        "Authenticate with `Authorization: Bearer <api key or access token>`; "
        "see docs/api.md.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    # Incoming-call cards: this replica's SSE sessions + NOTIFY fan-out to the others.
    app.state.screen_pops = ScreenPops(
        settings.database_url.get_secret_value() if settings.database_url else None
    )
    db_url = settings.database_url
    app.state.db = (
        Database(db_url.get_secret_value(), settings.database_pool_size) if db_url else None
    )
    if app.state.db is None:
        _log.warning(
            "CRM_GATEWAY_DATABASE_URL unset: users, stored API keys, idempotency and audit are off"
        )
    configure_hasher(
        settings.password_time_cost, settings.password_memory_kib, settings.password_parallelism
    )
    app.state.keyring = Keyring(
        settings.jwt_key_table(),
        settings.jwt_active_kid,
        settings.jwt_issuer,
        settings.access_token_ttl_s,
    )
    app.state.authenticator = Authenticator(settings, app.state.db, app.state.keyring)
    app.state.limiter = RateLimiter(settings.rate_limit_window_s)
    problems.install(app)
    for router in all_routers():
        app.include_router(router)
    app.add_middleware(GatewayMiddleware)
    origins = settings.cors_origin_list()
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
            expose_headers=[
                "RateLimit-Limit",
                "RateLimit-Remaining",
                "RateLimit-Reset",
                "RateLimit-Policy",
                "Retry-After",
                "Idempotent-Replayed",
                "Location",
            ],
            max_age=600,
        )
    proxies = settings.trusted_proxy_list()
    if proxies:
        # Outermost: from a trusted peer, the client is the right-most untrusted address of
        # X-Forwarded-For; everything downstream (audit, per-IP limits, x-client-ip,
        # request.client) reads scope["client"] only. Not trusted: the socket peer.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=proxies)
    openapi.install(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        backends = await app.state.backends.health()
        ready = all(v == "SERVING" for v in backends.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "backends": backends},
            status_code=200 if ready else 503,
        )

    # No internal "http send"/"http receive" spans: two extra spans per answer (start and
    # body) cost CPU on every request and carry nothing the server span does not
    # (docs/gateway.md, performance).
    _install_span_details_cache()
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls="healthz,readyz", exclude_spans=["receive", "send"]
    )
    return app
