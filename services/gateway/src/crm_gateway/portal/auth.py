"""Who is calling a ``/portal/v1`` route: a customer with a portal token, nobody else.

Portal tokens are JWTs of the gateway's keyring with audience ``portal`` and the claims
tenant (``tid``), party (``pid``), portal account (``sub``) and its token version (``ver``)
only. Every request checks that the account is still active with that version (one
primary-key read), so deactivating it (which bumps the version) refuses its tokens at once
on every replica, and for good. Staff tokens (no audience) and API keys are refused here;
portal tokens are refused on staff routes (:func:`crm_gateway.auth.authenticated`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from crm_common.grpc.client import call_metadata
from crm_gateway.access.model import Grants
from crm_gateway.auth import Principal, presented_key
from crm_gateway.backends import CallOptions, client_ip
from crm_gateway.db import Database
from crm_gateway.identity.secrets import Keyring, TokenError, looks_like_jwt
from crm_gateway.portal import store
from crm_gateway.problems import ProblemException

PORTAL_PREFIX = "/portal/v1/"


def _unauthenticated(detail: str) -> ProblemException:
    return ProblemException(401, detail, headers={"WWW-Authenticate": "Bearer"})


async def authenticate_portal(
    keyring: Keyring, db: Database | None, presented: str | None
) -> Principal:
    if not presented:
        raise _unauthenticated("missing credentials: send 'Authorization: Bearer <portal token>'")
    if not looks_like_jwt(presented):
        raise _unauthenticated("only a customer-portal token is valid here")
    try:
        claims = keyring.verify_portal(presented)
    except TokenError as exc:
        raise _unauthenticated(str(exc)) from None
    tenant_id, party_id = claims.tenant_id, claims.party_id
    if db is not None and not await store.token_is_live(
        db, tenant_id, claims.portal_user_id, party_id, claims.version
    ):
        raise _unauthenticated("this portal account is disabled or the token was revoked")
    return Principal(
        tenant_id=tenant_id,
        user_id=party_id,
        name=f"portal customer {party_id}",
        kind="portal",
        credential_id=f"portal:{party_id}",
        grants=Grants(modules={}),
        party_id=party_id,
    )


async def portal_customer(request: Request) -> Principal:
    state = request.scope.setdefault("state", {})
    who = state.get("principal")
    if who is None:
        if state.get("auth_error") is not None:
            raise state["auth_error"]
        who = await authenticate_portal(
            request.app.state.keyring, request.app.state.db, presented_key(request)
        )
        state["principal"] = who
    if who.kind != "portal":
        raise _unauthenticated("only a customer-portal token is valid here")
    return who


async def portal_call(
    request: Request, who: Annotated[Principal, Depends(portal_customer)]
) -> CallOptions:
    """The customer acts as themselves: ``x-user-id`` is the party, role ``portal``; the
    gateway scopes every portal call to that party (record scope ``all`` inside it)."""
    return CallOptions(
        metadata=call_metadata(
            tenant_id=who.tenant_id,
            user_id=who.party_id,
            request_id=request.headers.get("x-request-id"),
            record_scope="all",
            roles=("portal",),
            actor_kind="portal",
            client_ip=client_ip(request),
        ),
        timeout=request.app.state.settings.grpc_deadline_s,
    )


Customer = Annotated[Principal, Depends(portal_customer)]
PortalCall = Annotated[CallOptions, Depends(portal_call)]
