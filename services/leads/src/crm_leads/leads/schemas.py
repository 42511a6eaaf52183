"""Validated inputs of the leads use cases."""

from __future__ import annotations

import re
from collections.abc import Collection

from pydantic import (
    BaseModel,
    ConfigDict,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from crm_common.errors import FieldViolation, InvalidArgument
from crm_common.grpc.nul import NUL, NUL_MESSAGE
from crm_common.normalize import normalize_email, normalize_phone

# A NUL in a request's text is refused for every RPC at the shared gRPC edge
# (crm_common.grpc.nul); LeadCreate checks again for text that does not arrive as a proto
# string (web forms, webhook JSON, import rows).

# The default lead sources of an Israeli business (seeds 001, 002); every
# tenant's list starts with these and can grow.
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
DEFAULT_SOURCE_LABELS = {
    "ads": "פרסום ממומן",
    "radio": "רדיו",
    "tv": "טלוויזיה",
    "web": "אתר אינטרנט",
    "exhibition": "תערוכה",
    "press": "עיתונות",
    "telemarketing": "טלמרקטינג",
    "email": "דיוור",
    "referral": "חבר מביא חבר",
    "other": "אחר",
}
CHANNELS = ("api", "web_form", "webhook", "import", "manual")
_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")


def _limit(v: str | None, n: int) -> str | None:
    if v and len(v) > n:
        raise ValueError(f"must be at most {n} characters")
    return v or None


class LeadCreate(BaseModel):
    """A lead to capture. Validate with ``parse(sources=...)`` (the tenant's source list)."""

    model_config = ConfigDict(str_strip_whitespace=True, frozen=True)

    name: str
    phone: str | None = None
    email: str | None = None
    company_name: str | None = None
    source: str
    campaign: str | None = None
    product_interest: str | None = None
    city: str | None = None
    language: str | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None
    channel: str = "api"

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, v: object) -> object:
        # every text of a lead, whatever path it came by (gRPC, web form, webhook JSON, import)
        if isinstance(v, str) and NUL in v:
            raise ValueError(NUL_MESSAGE)
        return v

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
    def _source(cls, v: str, info: ValidationInfo) -> str:
        v = v.lower()
        sources: Collection[str] = (info.context or {}).get("sources") or DEFAULT_SOURCES
        if v not in sources:
            raise ValueError(f"must be one of: {', '.join(sorted(sources))}")
        return v

    @field_validator("company_name", "campaign", "utm_source", "utm_medium", "utm_campaign")
    @classmethod
    def _text200(cls, v: str | None) -> str | None:
        return _limit(v, 200)

    @field_validator("utm_term", "utm_content")
    @classmethod
    def _text200b(cls, v: str | None) -> str | None:
        return _limit(v, 200)

    @field_validator("product_interest", "city")
    @classmethod
    def _text100(cls, v: str | None) -> str | None:
        return _limit(v, 100)

    @field_validator("language")
    @classmethod
    def _language(cls, v: str | None) -> str | None:
        return _limit(v.lower() if v else v, 20)

    @field_validator("channel")
    @classmethod
    def _channel(cls, v: str) -> str:
        if v not in CHANNELS:
            raise ValueError(f"must be one of: {', '.join(CHANNELS)}")
        return v

    @model_validator(mode="after")
    def _reachable(self) -> LeadCreate:
        if not self.phone and not self.email:
            raise ValueError("a lead needs a phone or an email")
        return self

    @classmethod
    def parse(cls, *, sources: Collection[str] | None = None, **data: object) -> LeadCreate:
        try:
            return cls.model_validate(data, context={"sources": sources})
        except ValidationError as exc:
            raise InvalidArgument("the lead is not valid", violations=violations(exc)) from None


def validate_source_code(code: str, label: str) -> tuple[str, str]:
    code = code.strip().lower()
    label = label.strip()
    bad = []
    if not _CODE.match(code):
        bad.append(FieldViolation("code", "must be 1-50 of a-z, 0-9, '-' or '_'"))
    if not label or len(label) > 100:
        bad.append(FieldViolation("label", "is required, at most 100 characters"))
    if bad:
        raise InvalidArgument("the source is not valid", violations=bad)
    return code, label


def violations(exc: ValidationError, prefix: str = "") -> list[FieldViolation]:
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "lead"
        msg = err["msg"].removeprefix("Value error, ")
        out.append(FieldViolation(f"{prefix}{loc}", msg))
    return out
