"""Password hashing (argon2id), opaque secrets (API keys, refresh tokens) and JWTs."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the user does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def configure_hasher(time_cost: int, memory_kib: int, parallelism: int) -> None:
    """argon2id cost for new hashes (a hash carries its own cost for verification)."""
    global _hasher, _DUMMY_HASH
    if (_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism) == (
        time_cost,
        memory_kib,
        parallelism,
    ):
        return
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
    _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


API_KEY_PREFIX = "crmk"
REFRESH_PREFIX = "crmr"
PORTAL_INVITE_PREFIX = "crmp"
PORTAL_AUDIENCE = "portal"


def _hash(password: str) -> str:
    return _hasher.hash(password)


def _verify(hashed: str | None, password: str) -> bool:
    try:
        return _hasher.verify(hashed or _DUMMY_HASH, password) and hashed is not None
    except (VerificationError, InvalidHashError):
        return False


# argon2 is CPU-bound by design: off the event loop.
async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hash, password)


async def verify_password(hashed: str | None, password: str) -> bool:
    return await asyncio.to_thread(_verify, hashed, password)


def digest(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def new_opaque(prefix: str, tenant_id: uuid.UUID) -> str:
    """``<prefix>_<tenant hex>_<random>``: the tenant lets the lookup run under RLS."""
    return f"{prefix}_{tenant_id.hex}_{secrets.token_urlsafe(32)}"


def tenant_of_opaque(prefix: str, value: str) -> uuid.UUID | None:
    parts = value.split("_", 2)
    if len(parts) != 3 or parts[0] != prefix:
        return None
    try:
        return uuid.UUID(hex=parts[1])
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class AccessClaims:
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    team_id: uuid.UUID | None
    roles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PortalClaims:
    tenant_id: uuid.UUID
    party_id: uuid.UUID
    portal_user_id: uuid.UUID
    version: int


class TokenError(Exception):
    pass


class Keyring:
    """HS256 keys by kid: the active one signs, all of them verify (rotation)."""

    def __init__(self, keys: dict[str, str], active: str | None, issuer: str, ttl_s: int) -> None:
        if not keys:
            # No keys configured: one random key for this process (development only).
            keys = {"ephemeral": secrets.token_urlsafe(48)}
        self.keys = keys
        self.active = active if active in keys else next(iter(keys))
        self.issuer = issuer
        self.ttl_s = ttl_s

    def issue(self, claims: AccessClaims) -> tuple[str, int]:
        now = dt.datetime.now(dt.UTC)
        payload = {
            "iss": self.issuer,
            "sub": str(claims.user_id),
            "tid": str(claims.tenant_id),
            "name": claims.name,
            "team": str(claims.team_id) if claims.team_id else None,
            "roles": list(claims.roles),
            "iat": now,
            "exp": now + dt.timedelta(seconds=self.ttl_s),
            "jti": uuid.uuid4().hex,
        }
        token = jwt.encode(
            payload, self.keys[self.active], algorithm="HS256", headers={"kid": self.active}
        )
        return token, self.ttl_s

    def verify(self, token: str) -> AccessClaims:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self.keys.get(kid or "")
            if key is None:
                raise TokenError("unknown signing key")
            data = jwt.decode(
                token,
                key,
                algorithms=["HS256"],
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "tid"]},
            )
            if "aud" in data:  # a portal token (PyJWT refuses it already; say so plainly)
                raise TokenError("invalid access token: not a staff token")
            return AccessClaims(
                tenant_id=uuid.UUID(data["tid"]),
                user_id=uuid.UUID(data["sub"]),
                name=data.get("name") or "",
                team_id=uuid.UUID(data["team"]) if data.get("team") else None,
                roles=tuple(data.get("roles") or ()),
            )
        except jwt.ExpiredSignatureError:
            raise TokenError("access token expired") from None
        except (jwt.InvalidTokenError, ValueError, KeyError) as exc:
            raise TokenError(f"invalid access token: {exc}") from None

    def issue_portal(
        self,
        tenant_id: uuid.UUID,
        party_id: uuid.UUID,
        portal_user_id: uuid.UUID,
        version: int,
    ) -> tuple[str, int]:
        """A customer-portal access token: audience ``portal``; claims tenant, party, the
        portal account (``sub``) and its token version (``ver``; the account is checked
        active, same version, on every request) only."""
        now = dt.datetime.now(dt.UTC)
        payload = {
            "iss": self.issuer,
            "aud": PORTAL_AUDIENCE,
            "sub": str(portal_user_id),
            "tid": str(tenant_id),
            "pid": str(party_id),
            "ver": int(version),
            "iat": now,
            "exp": now + dt.timedelta(seconds=self.ttl_s),
            "jti": uuid.uuid4().hex,
        }
        token = jwt.encode(
            payload, self.keys[self.active], algorithm="HS256", headers={"kid": self.active}
        )
        return token, self.ttl_s

    def verify_portal(self, token: str) -> PortalClaims:
        """The claims of a portal token; staff tokens (no audience) are refused."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = self.keys.get(kid or "")
            if key is None:
                raise TokenError("unknown signing key")
            data = jwt.decode(
                token,
                key,
                algorithms=["HS256"],
                issuer=self.issuer,
                audience=PORTAL_AUDIENCE,
                options={"require": ["exp", "iat", "aud", "sub", "tid", "pid", "ver"]},
            )
            if not isinstance(data["ver"], int):
                raise ValueError("ver must be an integer")
            return PortalClaims(
                tenant_id=uuid.UUID(data["tid"]),
                party_id=uuid.UUID(data["pid"]),
                portal_user_id=uuid.UUID(data["sub"]),
                version=data["ver"],
            )
        except jwt.ExpiredSignatureError:
            raise TokenError("portal token expired") from None
        except (jwt.InvalidTokenError, ValueError, KeyError) as exc:
            raise TokenError(f"invalid portal token: {exc}") from None


def looks_like_jwt(value: str) -> bool:
    return value.count(".") == 2 and value.startswith("eyJ")
