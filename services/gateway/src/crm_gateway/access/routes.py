"""Which permission a route needs: declared on the route, or derived from path and method.

A route declares it with ``openapi_extra={"x-permission": "billing:issue_invoice"}``
(also shown in the OpenAPI). Otherwise the module comes from the first path
segment after ``/v1`` and the action from the method; status changes of orders
and payments, invoice issuing and exports map to their special actions. A path
no module claims needs full access (fail closed): a new route cannot slip
through without a permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.routing import BaseRoute

PERMISSION_KEY = "x-permission"
# The permission of routes about the caller themselves (``/v1/auth/me``): any credential.
SELF = "self"
# Routes reachable without a staff credential: sign-up, login, signed provider webhooks,
# public forms, unsubscribe links. Everything else under /v1 needs a permission.
PUBLIC_PREFIXES = (
    "/v1/auth/",
    "/v1/tenants",
    "/v1/webhooks/",
    "/v1/hooks/",
    "/v1/public/",
    "/v1/unsubscribe/",
    "/v1/portal/",
)

_MODULE_OF_SEGMENT = {
    **dict.fromkeys(["leads", "pipelines", "deals", "targets", "lead-sources"], "leads"),
    **dict.fromkeys(
        [
            "contacts",
            "parties",
            "accounts",
            "companies",
            "tasks",
            "fields",
            "custom-fields",
            "timeline",
            "cards",
            "imports",
            "tickets",
            "portal-users",
        ],
        "contacts",
    ),
    **dict.fromkeys(
        [
            "billing",
            "orders",
            "invoices",
            "payments",
            "products",
            "catalog",
            "price-lists",
            "quotes",
            "receipts",
            "documents",
            "credit-notes",
        ],
        "billing",
    ),
    **dict.fromkeys(
        [
            "messaging",
            "messages",
            "conversations",
            "templates",
            "campaigns",
            "consents",
            "calls",
            "channels",
        ],
        "messaging",
    ),
    **dict.fromkeys(["reports", "reporting", "dashboards"], "reporting"),
    **dict.fromkeys(
        ["users", "teams", "roles", "audit", "api-keys", "webhook-subscriptions", "settings"],
        "settings",
    ),
}
_ACTION_OF_METHOD = {
    "GET": "read",
    "HEAD": "read",
    "POST": "create",
    "PUT": "update",
    "PATCH": "update",
    "DELETE": "delete",
}


@dataclass(frozen=True, slots=True)
class Permission:
    module: str | None
    action: str

    def __str__(self) -> str:
        return f"{self.module or '?'}:{self.action}"


def parse(raw: str) -> Permission:
    module, _, action = raw.partition(":")
    return Permission(module, action)


_READ_VERBS = frozenset({"search", "preview", "lookup", "query"})
_UPDATE_VERBS = frozenset({"bulk-update"})
_LEDGER = frozenset({"ledger", "aging", "balance", "balances"})


def derive(path: str, method: str) -> Permission:
    segments = [s for s in path.split("/") if s]
    if segments and segments[0] == "v1":
        segments = segments[1:]
    module = _MODULE_OF_SEGMENT.get(segments[0]) if segments else None
    action = _ACTION_OF_METHOD.get(method.upper(), "update")
    # Custom methods ("{id}:convert") and plain segments, without parameters.
    words: list[str] = []
    for seg in segments:
        head, _, verb = seg.partition(":")
        if not head.startswith("{"):
            words.append(head)
        if verb:
            words.append(verb)
    last = segments[-1] if segments else ""
    if "export" in words:
        action = "export"
    elif action == "create" and words and words[-1] in _READ_VERBS:
        action = "read"
    elif action == "create" and (words and words[-1] in _UPDATE_VERBS):
        action = "update"
    elif action == "create" and "}:" in last:
        action = "update"  # a custom method on an existing record: POST /leads/{id}:convert
    if module == "billing":
        joined = "/".join(words)
        if action == "read" and _LEDGER & set(words):
            action = "read_ledger"  # a customer's ledger and open balances (seed 000)
        elif action in ("create", "update") and (
            "status" in joined or any(s in words for s in ("pay", "refund", "cancel"))
        ):
            action = "change_payment_status" if "payment" in joined else "change_order_status"
        elif action == "create" and ("invoices" in words or "issue" in words):
            action = "issue_invoice"
    return Permission(module, action)


def permission_of(route: BaseRoute | None, method: str) -> Permission:
    extra = getattr(route, "openapi_extra", None) or {}
    if PERMISSION_KEY in extra:
        return parse(extra[PERMISSION_KEY])
    path = getattr(route, "path", "") or ""
    return derive(path, method)


def requires(permission: str) -> dict[str, str]:
    """``openapi_extra=requires("settings:manage_users")`` on a route."""
    return {PERMISSION_KEY: permission}


@dataclass(frozen=True, slots=True)
class RouteInfo:
    path: str
    method: str
    route: BaseRoute
    permission: Permission
    authenticated: bool  # reaches the ``principal`` dependency
    authorised: bool = True  # reaches ``principal`` (False: ``authenticated`` only)

    @property
    def declared(self) -> str:
        """What the route needs, as documented in the OpenAPI ``x-permission``."""
        if self.authenticated and not self.authorised:
            return SELF
        return str(self.permission)


def _reaches(route: BaseRoute, targets: tuple) -> bool:
    dependant = getattr(route, "dependant", None)
    stack = [dependant] if dependant is not None else []
    while stack:
        dep = stack.pop()
        if dep.call in targets:
            return True
        stack.extend(dep.dependencies)
    return False


def _needs_principal(route: BaseRoute) -> bool:
    from crm_gateway.auth import authenticated, principal

    return _reaches(route, (principal, authenticated))


def api_routes(app) -> list[RouteInfo]:
    """Every ``/v1`` operation of the app with the permission it needs."""
    from fastapi.routing import APIRoute, iter_route_contexts

    out = []
    for ctx in iter_route_contexts(app.routes):
        route = ctx.original_route
        path = ctx.path or getattr(route, "path", "")
        if not isinstance(route, APIRoute) or not path.startswith("/v1/"):
            continue
        from crm_gateway.auth import principal

        for method in sorted(route.methods):
            out.append(
                RouteInfo(
                    path,
                    method,
                    route,
                    permission_of(route, method),
                    _needs_principal(route),
                    _reaches(route, (principal,)) or not _needs_principal(route),
                )
            )
    return out
