"""Validated inputs of the leads use cases."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from crm_common.errors import FieldViolation, InvalidArgument
from crm_common.normalize import normalize_email, normalize_phone

# The default lead sources of an Israeli business (seeds 001, 002).
DEFAULT_SOURCES = (
    "ads",
    "radio",
    "tv",
    "web",
    "exhibition",
    "press",
    "telemarketing",
    "email",
    "referral",
    "other",
)


class LeadCreate(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)

    name: str
    phone: str | None = None
    email: str | None = None
    company_name: str | None = None
    source: str
    campaign: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v:
            raise ValueError("is required")
        if len(v) > 200:
            raise ValueError("must be at most 200 characters")
        return v

    @field_validator("phone")
    @classmethod
    def _phone(cls, v: str | None) -> str | None:
        return normalize_phone(v) if v else None

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        return normalize_email(v) if v else None

    @field_validator("source")
    @classmethod
    def _source(cls, v: str) -> str:
        v = v.lower()
        if v not in DEFAULT_SOURCES:
            raise ValueError(f"must be one of: {', '.join(DEFAULT_SOURCES)}")
        return v

    @field_validator("company_name", "campaign")
    @classmethod
    def _optional_text(cls, v: str | None) -> str | None:
        if v and len(v) > 200:
            raise ValueError("must be at most 200 characters")
        return v or None

    @model_validator(mode="after")
    def _reachable(self) -> LeadCreate:
        if not self.phone and not self.email:
            raise ValueError("a lead needs a phone or an email")
        return self

    @classmethod
    def parse(cls, **data: object) -> LeadCreate:
        try:
            return cls(**data)
        except ValidationError as exc:
            raise InvalidArgument("the lead is not valid", violations=violations(exc)) from None


def violations(exc: ValidationError) -> list[FieldViolation]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "lead"
        msg = err["msg"].removeprefix("Value error, ")
        out.append(FieldViolation(loc, msg))
    return out
