from __future__ import annotations

import ipaddress
import json
import uuid

from pydantic import BaseModel, Field, SecretStr, field_validator

from crm_common.settings import KafkaSettings, TelemetrySettings, service_config


class ApiKey(BaseModel):
    """A configured integration key: full (tenant-admin) access unless ``scopes`` are given."""

    tenant_id: uuid.UUID
    user_id: uuid.UUID
    name: str = ""
    # "module:action", "module:*" or "*". None: every permission (a tenant-admin key).
    scopes: list[str] | None = None


class GatewaySettings(TelemetrySettings, KafkaSettings):
    """``CRM_GATEWAY_*`` environment variables."""

    model_config = service_config("GATEWAY")

    # JSON object {"<key>": {"tenant_id": "...", "user_id": "...", "name": "..."}}.
    api_keys: SecretStr = SecretStr("{}")
    host: str = "0.0.0.0"
    port: int = Field(default=8080, ge=1, le=65535)
    leads_addr: str = "localhost:50051"
    contacts_addr: str = "localhost:50052"
    billing_addr: str = "localhost:50053"
    messaging_addr: str = "localhost:50054"
    reporting_addr: str = "localhost:50055"
    grpc_deadline_s: float = Field(default=5.0, gt=0)
    workers: int = Field(default=1, ge=1)

    # The gateway's own database (users, roles, API keys, idempotency, audit).
    # Unset: only configured API keys authenticate; identity, idempotency and
    # audit are off (a warning is logged). Deployments always set it.
    database_url: SecretStr | None = None
    database_pool_size: int = Field(default=5, ge=1)

    # JWT signing keys {"<kid>": "<secret>"}; the active kid signs, every kid verifies
    # (rotation: add a kid, make it active, drop the old one after access_token_ttl_s).
    jwt_keys: SecretStr | None = None
    jwt_active_kid: str | None = None
    jwt_issuer: str = "crm-gateway"
    access_token_ttl_s: int = Field(default=900, ge=30, le=86400)
    refresh_token_ttl_s: int = Field(default=30 * 86400, ge=60)
    # Customer portal (A4): the invitation link is "<portal_url>/accept?token=...".
    portal_url: str = "https://portal.example.co.il"
    portal_invite_ttl_s: int = Field(default=7 * 86400, ge=60)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_s: int = Field(default=900, ge=1)
    # argon2id cost of new password hashes (RFC 9106 second recommendation by default).
    password_time_cost: int = Field(default=3, ge=1)
    password_memory_kib: int = Field(default=64 * 1024, ge=8 * 1024)
    password_parallelism: int = Field(default=4, ge=1)
    role_cache_s: float = Field(default=5.0, ge=0)

    # Limits.
    max_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    rate_limit_per_key: int = Field(default=600, ge=1, description="requests per window")
    rate_limit_per_tenant: int = Field(default=3000, ge=1)
    rate_limit_anonymous: int = Field(default=600, ge=1, description="per client IP")
    rate_limit_window_s: int = Field(default=60, ge=1)
    idempotency_ttl_s: int = Field(default=24 * 3600, ge=60)
    # Outbound webhooks: allow http:// and private/local targets (tests, on-premise only).
    webhooks_allow_private_targets: bool = False
    # CORS: JSON list or comma-separated origins; empty: no CORS headers.
    cors_origins: str = ""
    # Reverse proxies (CIDRs or addresses; JSON list or comma-separated) whose
    # X-Forwarded-For is believed. Empty (default): the socket peer is the client and
    # X-Forwarded-For is ignored. From a trusted peer the client is the right-most
    # address of X-Forwarded-For that is not itself trusted (uvicorn's
    # ProxyHeadersMiddleware). The client address feeds audit, per-IP rate limits and
    # ``x-client-ip`` to the services.
    trusted_proxies: str = ""

    @field_validator("api_keys")
    @classmethod
    def _parse_keys(cls, value: SecretStr) -> SecretStr:
        try:
            raw = json.loads(value.get_secret_value())
            keys = {k: ApiKey.model_validate(v) for k, v in raw.items()}
        except (ValueError, AttributeError) as exc:
            raise ValueError(f"must be a JSON object of key -> tenant/user: {exc}") from None
        if any(len(k) < 16 for k in keys):
            raise ValueError("every API key must be at least 16 characters")
        return value

    @field_validator("jwt_keys")
    @classmethod
    def _parse_jwt_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        try:
            raw = json.loads(value.get_secret_value())
        except ValueError as exc:
            raise ValueError(f"must be a JSON object kid -> secret: {exc}") from None
        if not isinstance(raw, dict) or not raw:
            raise ValueError("must be a non-empty JSON object kid -> secret")
        if any(not isinstance(v, str) or len(v) < 32 for v in raw.values()):
            raise ValueError("every JWT secret must be a string of at least 32 characters")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _parse_trusted_proxies(cls, value: str) -> str:
        for item in _split_list(value):
            if item == "*":
                continue
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ValueError(f"{item!r} is not an IP address or CIDR network") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        url = value.get_secret_value()
        if not url.startswith(("postgresql+asyncpg://", "postgresql://", "postgres://")):
            raise ValueError("must be a PostgreSQL URL (postgresql+asyncpg://user:pw@host/db)")
        return SecretStr("postgresql+asyncpg://" + url.split("://", 1)[1])

    def api_key_table(self) -> dict[str, ApiKey]:
        raw = json.loads(self.api_keys.get_secret_value())
        return {k: ApiKey.model_validate(v) for k, v in raw.items()}

    def jwt_key_table(self) -> dict[str, str]:
        if self.jwt_keys is None:
            return {}
        return dict(json.loads(self.jwt_keys.get_secret_value()))

    def cors_origin_list(self) -> list[str]:
        return _split_list(self.cors_origins)

    def trusted_proxy_list(self) -> list[str]:
        """Trusted proxies as uvicorn's ProxyHeadersMiddleware takes them (networks in
        canonical form: ``10.1.2.3/8`` is ``10.0.0.0/8``)."""
        out = []
        for item in _split_list(self.trusted_proxies):
            if item == "*":
                out.append(item)
                continue
            net = ipaddress.ip_network(item, strict=False)
            out.append(str(net.network_address) if "/" not in item else str(net))
        return out


def _split_list(value: str) -> list[str]:
    raw = value.strip()
    if not raw:
        return []
    if raw.startswith("["):
        try:
            items = json.loads(raw)
        except ValueError as exc:
            raise ValueError(f"not a JSON list: {exc}") from None
        if not isinstance(items, list):
            raise ValueError("must be a JSON list or comma-separated")
        return [str(o).strip() for o in items if str(o).strip()]
    return [o.strip() for o in raw.split(",") if o.strip()]
