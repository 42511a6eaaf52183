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
_PUBLIC_ERRORS = ("409", "413", "422", "429", "500", "503", "401", "423")


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
            }
        }
        schema["security"] = [{"bearer": []}]
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
                        code, {"description": _ERRORS.get(code, "Locked")}
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
                if path.startswith("/v1/") and "422" in op["responses"]:
                    # FastAPI's own 422 schema is replaced by the problem document.
                    op["responses"]["422"]["content"] = problem_ref
        app.openapi_schema = schema
        return schema

    app.openapi = custom  # type: ignore[method-assign]
