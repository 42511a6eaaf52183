"""The FastAPI application."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from crm_gateway import problems
from crm_gateway.auth import ApiKeyAuthenticator
from crm_gateway.backends import Backends
from crm_gateway.routers import all_routers
from crm_gateway.settings import GatewaySettings


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.backends = Backends(settings)
        try:
            yield
        finally:
            await app.state.backends.close()

    app = FastAPI(
        title="CRM API",
        version="1.0.0",
        description="REST API of the CRM. Errors are RFC 9457 problem+json. "
        "Authenticate with `Authorization: Bearer <api key>`.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.authenticator = ApiKeyAuthenticator(settings.api_key_table())
    problems.install(app)
    for router in all_routers():
        app.include_router(router)

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

    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz")
    return app
