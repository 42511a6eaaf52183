"""One ASGI middleware for every ``/v1`` (and customer-portal ``/portal/v1``) request, in
this order:

1. request size limit (413 problem, from ``Content-Length`` or while reading);
2. authentication when credentials are present (the ``principal`` dependency
   reuses the result; routes without credentials answer 401 there);
3. rate limits per credential and per tenant (anonymous: per client IP), with
   ``RateLimit-*`` headers on every answer and 429 + ``Retry-After``;
4. ``Idempotency-Key`` on POST (stored, replayed; another body: 422);
5. the route; then field rules (hidden fields removed from JSON answers);
6. the audit record of every authenticated mutating request.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from opentelemetry import trace
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from crm_gateway import audit, idempotency
from crm_gateway.auth import Principal
from crm_gateway.problems import MEDIA_TYPE, ProblemException
from crm_gateway.ratelimit import tighter

_log = logging.getLogger(__name__)
MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_IDEMPOTENCY_KEY = 255


def _problem(
    status: int,
    detail: str,
    kind: str,
    headers: dict[str, str] | None = None,
    instance: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    from crm_gateway.problems import _TITLES

    body = {
        "type": f"urn:problem:crm:{kind}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    return status, {"content-type": MEDIA_TYPE, **(headers or {})}, json.dumps(body).encode()


async def _send_simple(send: Send, status: int, headers: dict[str, str], body: bytes) -> None:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def _strip(value: Any, hidden: frozenset[str]) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v, hidden) for k, v in value.items() if k not in hidden}
    if isinstance(value, list):
        return [_strip(v, hidden) for v in value]
    return value


def _client_ip(scope: Scope, headers: dict[str, str]) -> str | None:
    """The client address: the socket peer, or what ProxyHeadersMiddleware took from
    X-Forwarded-For when the peer is a trusted proxy (``trusted_proxies``)."""
    client = scope.get("client")
    return client[0] if client else None


def _trace_id() -> str | None:
    ctx = trace.get_current_span().get_span_context()
    return format(ctx.trace_id, "032x") if ctx.is_valid else None


async def _audit(
    scope: Scope,
    headers: dict[str, str],
    who: Principal | None,
    db,
    method: str,
    path: str,
    status: int,
    idem_key: str | None,
    body: bytes,
) -> None:
    if method not in MUTATING or who is None or db is None:
        return
    route = scope.get("route")
    try:
        await audit.record(
            db,
            audit.AuditEntry(
                tenant_id=who.tenant_id,
                actor_type=who.kind,
                actor_id=who.credential_id,
                actor_name=who.name,
                user_id=who.user_id,
                client_ip=_client_ip(scope, headers),
                user_agent=headers.get("user-agent"),
                method=method,
                route=getattr(route, "path", path),
                path=path,
                status=status,
                trace_id=_trace_id(),
                request_id=headers.get("x-request-id"),
                idempotency_key=idem_key,
                body_digest=hashlib.sha256(body).hexdigest() if body else None,
            ),
        )
    except Exception:
        # The change may already have happened downstream: answer it, and say
        # loudly that its audit record is missing.
        _log.exception("audit record not written", extra={"path": path})


def _has_nul(content_type: str, body: bytes, query: bytes) -> bool:
    if b"%00" in query or b"\x00" in query:
        return True
    if not body or "json" not in content_type:
        return False  # files (attachments) may hold any byte
    if b"\\u0000" not in body and b"\x00" not in body:
        return False
    try:
        data = json.loads(body)
    except ValueError:
        return False  # the route answers the malformed body

    def walk(v: Any) -> bool:
        if isinstance(v, str):
            return "\x00" in v
        if isinstance(v, dict):
            return any(walk(k) or walk(x) for k, x in v.items())
        if isinstance(v, list):
            return any(walk(x) for x in v)
        return False

    return walk(data)


class GatewayMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(("/v1/", "/portal/v1/")):
            await self.app(scope, receive, send)
            return
        gw = scope["app"].state
        settings = gw.settings
        method: str = scope["method"]
        path: str = scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        state = scope.setdefault("state", {})

        # 1. size
        limit = settings.max_body_bytes

        def too_large() -> tuple[int, dict[str, str], bytes]:
            # Built only when sent: json.dumps on every request cost more than the check.
            return _problem(
                413, f"request body over {limit} bytes", "content-too-large", instance=path
            )

        declared = headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            await _send_simple(send, *too_large())
            return
        body = b""
        if method in MUTATING:
            chunks, size, more = [], 0, True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    await _send_simple(send, *too_large())
                    return
                chunks.append(chunk)
                more = message.get("more_body", False)
            body = b"".join(chunks)
        state["body"] = body
        replayed = False

        async def replay_receive() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        # 2. authentication (errors are raised by the principal dependency)
        who: Principal | None = None
        credential = headers.get("authorization", "")
        presented = credential[7:].strip() if credential.lower().startswith("bearer ") else None
        presented = presented or headers.get("x-api-key")
        if presented:
            try:
                if path.startswith("/portal/"):
                    from crm_gateway.portal.auth import authenticate_portal

                    who = await authenticate_portal(gw.keyring, gw.db, presented)
                else:
                    who = await gw.authenticator.authenticate(presented)
                state["principal"] = who
            except ProblemException as exc:
                state["auth_error"] = exc

        # 3. rate limits
        limiter = gw.limiter
        if who is not None:
            decision = tighter(
                limiter.hit("c:" + who.credential_id, settings.rate_limit_per_key),
                limiter.hit(f"t:{who.tenant_id}", settings.rate_limit_per_tenant),
            )
        else:
            ip = _client_ip(scope, headers) or "?"
            decision = limiter.hit("ip:" + ip, settings.rate_limit_anonymous)
        if not decision.allowed:
            await _send_simple(
                send,
                *_problem(
                    429,
                    f"rate limit exceeded; retry in {decision.retry_after_s}s",
                    "rate-limited",
                    decision.headers(),
                    instance=path,
                ),
            )
            return

        # NUL characters: no text field of any service can store them (PostgreSQL
        # refuses them), so a JSON body or a query carrying one is refused here.
        if _has_nul(headers.get("content-type", ""), body, scope.get("query_string", b"")):
            await _send_simple(
                send,
                *_problem(
                    422,
                    "text may not contain NUL characters (\\u0000)",
                    "validation-error",
                    decision.headers(),
                    instance=path,
                ),
            )
            return

        # 4. idempotency
        db = gw.db
        idem_key = headers.get("idempotency-key") if method == "POST" else None
        idem_active = False
        if idem_key is not None and who is not None and db is not None:
            if not 1 <= len(idem_key) <= MAX_IDEMPOTENCY_KEY:
                await _send_simple(
                    send,
                    *_problem(
                        422,
                        f"Idempotency-Key must be 1-{MAX_IDEMPOTENCY_KEY} characters",
                        "invalid-idempotency-key",
                        decision.headers(),
                        instance=path,
                    ),
                )
                return
            digest = idempotency.request_digest(
                method, path + "?" + scope.get("query_string", b"").decode("latin-1"), body
            )
            outcome = await idempotency.begin(
                db, who.tenant_id, who.credential_id, idem_key, digest, settings.idempotency_ttl_s
            )
            if outcome.kind == "mismatch":
                await _send_simple(
                    send,
                    *_problem(
                        422,
                        "this Idempotency-Key was used with another request",
                        "idempotency-key-reused",
                        decision.headers(),
                        instance=path,
                    ),
                )
                return
            if outcome.kind == "in_progress":
                await _send_simple(
                    send,
                    *_problem(
                        409,
                        "a request with this Idempotency-Key is still in progress",
                        "idempotency-key-in-progress",
                        decision.headers(),
                        instance=path,
                    ),
                )
                return
            if outcome.kind == "replay":
                await _send_simple(
                    send,
                    outcome.status or 200,
                    {
                        **(outcome.headers or {}),
                        **decision.headers(),
                        "idempotent-replayed": "true",
                    },
                    outcome.body or b"",
                )
                return
            idem_active = True

        # 5. the route. The answer is buffered when something needs all of it (audit,
        # idempotency, field rules); anything else (event streams) passes through.
        start: dict[str, Any] = {}
        parts: list[bytes] = []
        buffering = False

        async def capture(message: Message) -> None:
            nonlocal buffering
            if message["type"] == "http.response.start":
                ctype = next(
                    (v for k, v in message.get("headers", []) if k.lower() == b"content-type"), b""
                ).decode("latin-1")
                buffering = (
                    method in MUTATING
                    or idem_active
                    or (bool(state.get("field_rules")) and "json" in ctype)
                )
                if buffering:
                    start.update(message)
                    return
                out = list(message.get("headers", [])) + [
                    (k.lower().encode(), v.encode()) for k, v in decision.headers().items()
                ]
                await send({**message, "headers": out})
            elif buffering and message["type"] == "http.response.body":
                parts.append(message.get("body", b""))
            else:
                await send(message)

        try:
            await self.app(scope, replay_receive, capture)
        except Exception:
            if idem_active:
                await idempotency.finish(
                    db, who.tenant_id, who.credential_id, idem_key, 500, {}, b""
                )
            # A crashed mutating request is audited too (status 500), then answered
            # by the error handler.
            await _audit(scope, headers, who, db, method, path, 500, idem_key, body)
            raise
        if not buffering:
            return
        status: int = start.get("status", 500)
        resp_headers = [
            (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
        ]
        payload = b"".join(parts)
        content_type = next(
            (v.decode("latin-1") for k, v in resp_headers if k.lower() == b"content-type"), ""
        )
        rules: dict[str, str] | None = state.get("field_rules")
        if rules and payload and "json" in content_type and status < 300:
            hidden = frozenset(f for f, r in rules.items() if r == "hidden")
            if hidden:
                try:
                    payload = json.dumps(
                        _strip(json.loads(payload), hidden), ensure_ascii=False
                    ).encode()
                except ValueError:
                    # Not JSON after all: never pass an unfiltered answer on.
                    status, payload = 500, b'{"status": 500, "detail": "internal error"}'
                    resp_headers = [(k, v) for k, v in resp_headers if k.lower() != b"content-type"]
                    resp_headers.append((b"content-type", MEDIA_TYPE.encode()))

        # 6. audit
        await _audit(scope, headers, who, db, method, path, status, idem_key, body)
        if idem_active:
            hdrs = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in resp_headers}
            await idempotency.finish(
                db, who.tenant_id, who.credential_id, idem_key, status, hdrs, payload
            )

        out = resp_headers + [
            (k.lower().encode(), v.encode()) for k, v in decision.headers().items()
        ]
        out.append((b"content-length", str(len(payload)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": payload})
