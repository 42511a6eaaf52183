"""Authentication (configured keys, stored API keys, JWT access tokens) and route authorisation.

Credentials, in ``Authorization: Bearer <credential>`` (or ``X-API-Key``):

* a key from ``CRM_GATEWAY_API_KEYS``: a tenant-admin integration key (full
  access) unless the entry lists ``scopes``;
* a stored API key ``crmk_<tenant>_<secret>`` (hashed in the gateway DB) with scopes;
* a JWT access token from ``POST /v1/auth/login`` or ``/v1/auth/refresh``: the
  user's roles (data in the ``roles`` table) give the grants.

:func:`principal` is the dependency every service-facing route reaches through
``Call``: it authenticates (or takes what the middleware authenticated) and
checks the route's permission (:mod:`crm_gateway.access.routes`), so a route
that talks to a service cannot skip authorisation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from fastapi import Request

from crm_gateway.access.model import Grants
from crm_gateway.access.routes import Permission, permission_of
from crm_gateway.db import Database, api_keys, roles
from crm_gateway.identity.secrets import (
    API_KEY_PREFIX,
    AccessClaims,
    Keyring,
    TokenError,
    digest,
    looks_like_jwt,
    tenant_of_opaque,
)
from crm_gateway.problems import ProblemException
from crm_gateway.settings import ApiKey, GatewaySettings


@dataclass(frozen=True, slots=True)
class Principal:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    kind: str = "api_key"  # "api_key" | "user"
    # Stable id of the credential: rate limits, idempotency keys and audit use it.
    credential_id: str = ""
    team_id: uuid.UUID | None = None
    roles: tuple[str, ...] = ()
    grants: Grants = field(default_factory=Grants.full)
    # Customer-portal callers (kind "portal"): the customer they are (A4).
    party_id: uuid.UUID | None = None


MAX_CACHED_TOKENS = 10_000


def _expiry(token: str) -> float | None:
    """``exp`` of a token whose signature was checked (None: do not cache it)."""
    try:
        segment = token.split(".")[1]
        payload = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
        exp = payload["exp"]
    except (IndexError, ValueError, KeyError, TypeError):
        return None
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


def _unauthenticated(detail: str) -> ProblemException:
    return ProblemException(401, detail, headers={"WWW-Authenticate": "Bearer"})


class RoleCache:
    """Role permissions per tenant, reloaded after ``ttl`` seconds (role edits apply then)."""

    def __init__(self, db: Database, ttl: float) -> None:
        self.db = db
        self.ttl = ttl
        self._cache: dict[uuid.UUID, tuple[float, dict[str, dict]]] = {}

    async def get(self, tenant_id: uuid.UUID) -> dict[str, dict]:
        hit = self._cache.get(tenant_id)
        now = time.monotonic()
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        async with self.db.tx(tenant_id) as s:
            rows = (await s.execute(sa.select(roles.c.key, roles.c.permissions))).all()
        table = {r.key: r.permissions for r in rows}
        self._cache[tenant_id] = (now, table)
        return table

    def forget(self, tenant_id: uuid.UUID) -> None:
        self._cache.pop(tenant_id, None)


class Authenticator:
    def __init__(self, settings: GatewaySettings, db: Database | None, keyring: Keyring) -> None:
        self._config_keys: dict[bytes, tuple[str, ApiKey]] = {
            hashlib.sha256(k.encode()).digest(): (k, v) for k, v in settings.api_key_table().items()
        }
        self.db = db
        self.keyring = keyring
        self.role_cache = RoleCache(db, settings.role_cache_s) if db is not None else None
        # Stored keys verified in the last ``role_cache_s`` seconds: a revocation
        # applies at once on this replica and within that time on the others.
        self._key_ttl = settings.role_cache_s
        self._stored_keys: dict[bytes, tuple[float, Principal]] = {}
        # Access tokens verified on this process: token -> (its ``exp``, claims). A token's
        # claims are a pure function of its bytes and the (fixed) keyring, so a hit is
        # what a new check would say until ``exp``; PyJWT's check costs ~0.1-0.2 ms a
        # request (docs/gateway.md, performance).
        self._tokens: dict[str, tuple[float, AccessClaims]] = {}
        # Grants merged from a tenant's roles, per role set, valid while the role cache
        # serves the same table object (a reload or ``forget`` makes a new one).
        self._grants: dict[tuple[uuid.UUID, tuple[str, ...]], tuple[dict, Grants]] = {}

    def forget_key(self, key_id: uuid.UUID) -> None:
        for k, (_, who) in list(self._stored_keys.items()):
            if who.credential_id == f"key:{key_id}":
                del self._stored_keys[k]

    async def authenticate(self, presented: str | None) -> Principal:
        if not presented:
            raise _unauthenticated("missing credentials: send 'Authorization: Bearer <credential>'")
        key_digest = hashlib.sha256(presented.encode()).digest()
        entry = self._config_keys.get(key_digest)
        if entry is not None and hmac.compare_digest(entry[0], presented):
            key = entry[1]
            return Principal(
                tenant_id=key.tenant_id,
                user_id=key.user_id,
                name=key.name,
                kind="api_key",
                credential_id="cfg:" + key_digest[:12].hex(),
                grants=Grants.full() if key.scopes is None else Grants.from_scopes(key.scopes),
            )
        if looks_like_jwt(presented):
            return await self._from_jwt(presented)
        tenant = tenant_of_opaque(API_KEY_PREFIX, presented)
        cached = self._stored_keys.get(key_digest)
        if cached is not None and time.monotonic() - cached[0] < self._key_ttl:
            return cached[1]
        if tenant is not None and self.db is not None:
            async with self.db.tx(tenant) as s:
                row = (
                    await s.execute(
                        sa.select(api_keys).where(
                            api_keys.c.secret_hash == digest(presented),
                            api_keys.c.revoked_at.is_(None),
                        )
                    )
                ).first()
            if row is not None:
                who = Principal(
                    tenant_id=row.tenant_id,
                    user_id=row.id,
                    name=f"api key {row.name}",
                    kind="api_key",
                    credential_id=f"key:{row.id}",
                    grants=Grants.from_scopes(list(row.scopes)),
                )
                if len(self._stored_keys) > 10_000:
                    self._stored_keys.clear()
                self._stored_keys[key_digest] = (time.monotonic(), who)
                return who
        raise _unauthenticated("invalid credentials")

    def _verified(self, token: str) -> AccessClaims:
        hit = self._tokens.get(token)
        if hit is not None:
            if time.time() < hit[0]:  # PyJWT: expired once exp <= now
                return hit[1]
            del self._tokens[token]
        try:
            claims = self.keyring.verify(token)
        except TokenError as exc:
            raise _unauthenticated(str(exc)) from None
        exp = _expiry(token)
        if exp is not None:
            if len(self._tokens) >= MAX_CACHED_TOKENS:
                now = time.time()
                self._tokens = {t: v for t, v in self._tokens.items() if v[0] > now}
                if len(self._tokens) >= MAX_CACHED_TOKENS:
                    self._tokens.clear()
            self._tokens[token] = (exp, claims)
        return claims

    async def _from_jwt(self, token: str) -> Principal:
        claims = self._verified(token)
        table = await self.role_cache.get(claims.tenant_id) if self.role_cache else {}
        key = (claims.tenant_id, claims.roles)
        hit = self._grants.get(key)
        if hit is not None and hit[0] is table:
            grants = hit[1]
        else:
            grants = Grants.from_roles([table[r] for r in claims.roles if r in table])
            if len(self._grants) >= MAX_CACHED_TOKENS:
                self._grants.clear()
            self._grants[key] = (table, grants)
        return Principal(
            tenant_id=claims.tenant_id,
            user_id=claims.user_id,
            name=claims.name,
            kind="user",
            credential_id=f"user:{claims.user_id}",
            team_id=claims.team_id,
            roles=claims.roles,
            grants=grants,
        )


def presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.headers.get("x-api-key")


def _state(request: Request) -> dict:
    return request.scope.setdefault("state", {})


async def authenticated(request: Request) -> Principal:
    """Who is calling (no permission check): for routes about the caller themselves."""
    state = _state(request)
    who = state.get("principal")
    if who is None:
        if state.get("auth_error") is not None:
            raise state["auth_error"]
        authenticator: Authenticator = request.app.state.authenticator
        who = await authenticator.authenticate(presented_key(request))
        state["principal"] = who
    if who.kind == "portal":  # a customer's token never opens a staff route
        raise _unauthenticated("a customer-portal token is not valid here")
    return who


async def principal(request: Request) -> Principal:
    """Authenticate and authorise the matched route (its module and action)."""
    who = await authenticated(request)
    perm = permission_of(request.scope.get("route"), request.method)
    if not who.grants.allows(perm.module, perm.action):
        raise ProblemException(403, f"your role does not allow {perm}", kind="permission-denied")
    state = _state(request)
    state["permission"] = perm
    rules = who.grants.field_rules(perm.module)
    if rules:
        state["field_rules"] = rules
        if request.method in ("POST", "PUT", "PATCH"):
            _check_writable(state.get("body"), rules)
    return who


def _check_writable(body: bytes | None, rules: dict[str, str]) -> None:
    if not body:
        return
    try:
        data = json.loads(body)
    except ValueError:
        return  # the route's own validation answers
    if not isinstance(data, dict):
        return
    refused = [f for f in data if f in rules]
    if refused:
        raise ProblemException(
            403,
            "your role may not set these fields",
            kind="field-not-writable",
            errors=[{"field": f, "detail": f"{rules[f]} for your role"} for f in refused],
        )


def route_permission(request: Request) -> Permission | None:
    return _state(request).get("permission")
