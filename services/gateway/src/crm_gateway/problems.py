"""RFC 9457 problem details for every error the gateway returns."""

from __future__ import annotations

import logging

import grpc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from crm_common.grpc.errors import from_rpc_error

_log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"

_GRPC_TO_HTTP = {
    grpc.StatusCode.INVALID_ARGUMENT: 422,
    grpc.StatusCode.OUT_OF_RANGE: 422,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.FAILED_PRECONDITION: 409,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.UNIMPLEMENTED: 501,
}

_TITLES = {
    400: "Bad request",
    401: "Unauthenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    422: "Validation failed",
    423: "Locked",
    429: "Too many requests",
    500: "Internal error",
    501: "Not implemented",
    503: "Service unavailable",
    504: "Upstream timeout",
}


class ProblemException(StarletteHTTPException):
    """An HTTP error with a problem type and optional field errors."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        kind: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(status, detail, headers=headers)
        self.kind = kind
        self.errors = errors


def problem(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    instance: str | None = None,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    slug = (kind or _TITLES.get(status, "error")).lower().replace("_", "-").replace(" ", "-")
    body: dict[str, object] = {
        "type": f"urn:problem:crm:{slug}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": ".".join(str(p) for p in err["loc"] if p not in ("body", "query", "path")),
                "detail": err["msg"],
            }
            for err in exc.errors()
        ]
        return problem(
            422,
            "the request is not valid",
            kind="validation-error",
            instance=request.url.path,
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(
            exc.status_code,
            str(exc.detail),
            kind=getattr(exc, "kind", None),
            errors=getattr(exc, "errors", None),
            instance=request.url.path,
            headers=getattr(exc, "headers", None),
        )

    @app.exception_handler(grpc.aio.AioRpcError)
    async def _grpc(request: Request, exc: grpc.aio.AioRpcError) -> JSONResponse:
        remote = from_rpc_error(exc)
        status = _GRPC_TO_HTTP.get(remote.code, 500)
        if status >= 500:
            _log.warning(
                "upstream call failed", extra={"code": remote.code.name, "detail": remote.message}
            )
        detail = remote.message if status < 500 or status in (503, 504) else "internal error"
        errors = [{"field": v.field, "detail": v.description} for v in remote.violations]
        kind = (remote.reason or remote.code.name) if status < 500 else None
        return problem(status, detail, kind=kind, instance=request.url.path, errors=errors or None)

    @app.exception_handler(ValueError)
    async def _value(request: Request, exc: ValueError) -> JSONResponse:
        # A number the request model accepts but the service's field cannot hold
        # (protobuf int32/int64): the client's mistake, not ours.
        if str(exc).startswith("Value out of range"):
            return problem(
                422,
                f"a number in the request is out of range for its field ({exc})"[:300],
                kind="validation-error",
                instance=request.url.path,
            )
        return await _unhandled(request, exc)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        _log.exception("unhandled error on %s", request.url.path)
        return problem(500, "internal error", instance=request.url.path)
