"""Normalising contact details the same way in every service."""

from __future__ import annotations

import base64
import uuid

import phonenumbers
from pydantic import EmailStr as _EmailStr
from pydantic import TypeAdapter, ValidationError

DEFAULT_REGION = "IL"
_email = TypeAdapter(_EmailStr)


def normalize_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """A phone number in E.164 (``050-123-4567`` -> ``+972501234567``); ValueError if invalid."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    """A lower-cased, validated email address; ValueError if invalid."""
    try:
        return str(_email.validate_python(raw.strip())).lower()
    except ValidationError as exc:
        raise ValueError(f"not a valid email address: {raw!r}") from exc


def encode_page_token(last_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(last_id.bytes).decode().rstrip("=")


def decode_page_token(token: str) -> uuid.UUID:
    """ValueError when the token was not made by :func:`encode_page_token`."""
    try:
        return uuid.UUID(bytes=base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, TypeError) as exc:
        raise ValueError("invalid page token") from exc
