from __future__ import annotations

import json
import uuid

from pydantic import BaseModel, Field, SecretStr, field_validator

from crm_common.settings import TelemetrySettings, service_config


class ApiKey(BaseModel):
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    name: str = ""


class GatewaySettings(TelemetrySettings):
    """``CRM_GATEWAY_*`` environment variables."""

    model_config = service_config("GATEWAY")

    # JSON object {"<key>": {"tenant_id": "...", "user_id": "...", "name": "..."}}. Required.
    api_keys: SecretStr
    host: str = "0.0.0.0"
    port: int = Field(default=8080, ge=1, le=65535)
    leads_addr: str = "localhost:50051"
    contacts_addr: str = "localhost:50052"
    billing_addr: str = "localhost:50053"
    messaging_addr: str = "localhost:50054"
    reporting_addr: str = "localhost:50055"
    grpc_deadline_s: float = Field(default=5.0, gt=0)
    workers: int = Field(default=1, ge=1)

    @field_validator("api_keys")
    @classmethod
    def _parse_keys(cls, value: SecretStr) -> SecretStr:
        try:
            raw = json.loads(value.get_secret_value())
            keys = {k: ApiKey.model_validate(v) for k, v in raw.items()}
        except (ValueError, AttributeError) as exc:
            raise ValueError(f"must be a JSON object of key -> tenant/user: {exc}") from None
        if not keys:
            raise ValueError("must hold at least one key")
        if any(len(k) < 16 for k in keys):
            raise ValueError("every API key must be at least 16 characters")
        return value

    def api_key_table(self) -> dict[str, ApiKey]:
        raw = json.loads(self.api_keys.get_secret_value())
        return {k: ApiKey.model_validate(v) for k, v in raw.items()}
