"""Validated inputs of the customers use cases."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field, field_validator


class CustomerCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)

    party_id: uuid.UUID
    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=320)
    company_name: str | None = Field(default=None, max_length=200)
    source_lead_id: uuid.UUID | None = None

    @field_validator("phone", "email", "company_name", "source_lead_id", mode="before")
    @classmethod
    def _blank_is_none(cls, v: object) -> object:
        # Unset proto3 strings arrive as "".
        if isinstance(v, str):
            v = v.strip()
        return v or None
