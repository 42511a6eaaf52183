"""API-key authentication: each key names a tenant and an acting user.

Roles and record/field permissions come with the access-control work; here a
key authenticates and sets the tenant for every downstream call.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass

from fastapi import HTTPException, Request

from crm_gateway.settings import ApiKey


@dataclass(frozen=True, slots=True)
class Principal:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    name: str


class ApiKeyAuthenticator:
    def __init__(self, keys: dict[str, ApiKey]) -> None:
        # Keyed by digest so the lookup does not compare secrets byte by byte.
        self._keys = {hashlib.sha256(k.encode()).digest(): (k, v) for k, v in keys.items()}

    def authenticate(self, presented: str | None) -> Principal:
        if not presented:
            raise HTTPException(
                401,
                "missing credentials: send 'Authorization: Bearer <api key>'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        entry = self._keys.get(hashlib.sha256(presented.encode()).digest())
        if entry is None or not hmac.compare_digest(entry[0], presented):
            raise HTTPException(401, "invalid API key", headers={"WWW-Authenticate": "Bearer"})
        key = entry[1]
        return Principal(tenant_id=key.tenant_id, user_id=key.user_id, name=key.name)


def presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.headers.get("x-api-key")


async def principal(request: Request) -> Principal:
    authenticator: ApiKeyAuthenticator = request.app.state.authenticator
    return authenticator.authenticate(presented_key(request))
