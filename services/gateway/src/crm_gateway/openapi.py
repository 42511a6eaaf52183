"""OpenAPI additions: bearer security, problem+json errors, rate-limit and idempotency headers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "detail": {"type": "string"}},
            },
        },
    },
}
_RATE_HEADERS = {
    name: {"description": desc, "schema": {"type": "integer"}}
    for name, desc in {
        "RateLimit-Limit": "requests allowed in the window",
        "RateLimit-Remaining": "requests left in the window",
        "RateLimit-Reset": "seconds until the quota is whole again",
    }.items()
}
_ERRORS = {
    "401": "Missing or invalid credentials",
    "403": "The caller's role does not allow this",
    "404": "Not found (also: another tenant's record)",
    "409": "Conflict",
    "413": "Request body too large",
    "422": "Invalid request (field violations)",
    "429": "Rate limit exceeded (see Retry-After)",
    "500": "Internal error",
    "503": "A backend is unavailable",
}
# Public routes: 401 (bad signature, login), 403 (refused signature), 404 (unknown
# tenant, form or link), 423 (locked account).
_PUBLIC_ERRORS = ("401", "403", "404", "409", "413", "422", "423", "429", "500", "503")


def install(app: FastAPI) -> None:
    def custom() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        comps = schema.setdefault("components", {})
        comps.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        comps["securitySchemes"] = {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "an API key, or an access token from /v1/auth/login",
            },
            "portal": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "a customer-portal token from /portal/v1/auth/login or /accept",
            },
        }
        schema["security"] = [{"bearer": []}]
        _annotate_permissions(app, schema)
        problem_ref = {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
        for path, ops in schema.get("paths", {}).items():
            for method, op in ops.items():
                if not isinstance(op, dict) or "responses" not in op:
                    continue
                public = op.get("security") == []
                codes = _PUBLIC_ERRORS if public else tuple(_ERRORS)
                for code in codes:
                    resp = op["responses"].setdefault(
                        code,
                        {"description": "Locked" if code == "423" else _ERRORS[code]},
                    )
                    resp["content"] = problem_ref
                    if code == "429":
                        resp["headers"] = {
                            **_RATE_HEADERS,
                            "Retry-After": {
                                "description": "seconds",
                                "schema": {"type": "integer"},
                            },
                        }
                for code, resp in op["responses"].items():
                    if code.startswith("2"):
                        resp.setdefault("headers", {}).update(_RATE_HEADERS)
                if method == "post":
                    params = op.setdefault("parameters", [])
                    params.append(
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "description": "replaying a key returns the first result; "
                            "the same key with another body is a 422",
                            "schema": {"type": "string", "minLength": 1, "maxLength": 255},
                        }
                    )
                if path.startswith(("/v1/", "/portal/v1/")) and "422" in op["responses"]:
                    # FastAPI's own 422 schema is replaced by the problem document.
                    op["responses"]["422"]["content"] = problem_ref
        app.openapi_schema = schema
        return schema

    app.openapi = custom  # type: ignore[method-assign]


def _annotate_permissions(app: FastAPI, schema: dict[str, Any]) -> None:
    """Every ``/v1`` operation says what it needs: ``x-permission`` (``module:action``,
    declared on the route or derived from path and method), or no credentials at all
    (``security: []``) for the routes that authenticate otherwise (sign-up, login,
    signed provider webhooks, public forms). A derived permission no module claims shows
    as ``?:action`` (full access only): the access suite refuses such a route."""
    from crm_gateway.access.routes import PERMISSION_KEY, PUBLIC_PREFIXES, api_routes

    paths = schema.get("paths", {})
    for r in api_routes(app):
        op = paths.get(r.path, {}).get(r.method.lower())
        if not isinstance(op, dict):
            continue
        if r.authenticated or not r.path.startswith(PUBLIC_PREFIXES):
            # Routes that authenticate in the handler (event streams) still check
            # the derived permission there.
            op[PERMISSION_KEY] = r.declared
        else:
            op["security"] = []
