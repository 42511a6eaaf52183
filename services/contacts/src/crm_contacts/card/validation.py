"""Validation of card data: Israeli ID / company numbers, phones, emails, dynamic values."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlparse

from crm_common.errors import Validator
from crm_common.normalize import normalize_email, normalize_phone

FIELD_TYPES = (
    "text",
    "number",
    "money",
    "date",
    "select",
    "multi_select",
    "checkbox",
    "phone",
    "email",
    "url",
)
ENTITIES = ("contact", "account", "section")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def israeli_id_ok(raw: str) -> bool:
    """ת.ז. and ח.פ. share one check digit: weights 1,2,1,2..., digits of each product summed."""
    if not raw.isdigit() or not 5 <= len(raw) <= 9:
        return False
    digits = raw.zfill(9)
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (1 + i % 2)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def clean_id_number(v: Validator, field: str, raw: str | None) -> str | None:
    if not raw:
        return None
    digits = raw.replace("-", "").replace(" ", "")
    if not israeli_id_ok(digits):
        v.add(field, "is not a valid Israeli number (check digit)")
        return None
    return digits.zfill(9)


def clean_phones(v: Validator, field: str, raw: list[str]) -> list[str]:
    out: list[str] = []
    for i, p in enumerate(raw):
        try:
            e164 = normalize_phone(p)
        except ValueError as exc:
            v.add(f"{field}[{i}]", str(exc))
            continue
        if e164 not in out:
            out.append(e164)
    return out


def clean_emails(v: Validator, field: str, raw: list[str]) -> list[str]:
    out: list[str] = []
    for i, e in enumerate(raw):
        try:
            email = normalize_email(e)
        except ValueError as exc:
            v.add(f"{field}[{i}]", str(exc))
            continue
        if email not in out:
            out.append(email)
    return out


ADDRESS_KEYS = ("kind", "street", "city", "zip", "country")


def clean_addresses(v: Validator, field: str, raw: list[dict[str, Any]]) -> list[dict[str, str]]:
    out = []
    for i, a in enumerate(raw):
        extra = set(a) - set(ADDRESS_KEYS)
        if extra:
            v.add(f"{field}[{i}]", f"unknown keys: {', '.join(sorted(extra))}")
            continue
        clean = {k: str(a[k]).strip() for k in ADDRESS_KEYS if a.get(k)}
        if not clean.get("city") and not clean.get("street"):
            v.add(f"{field}[{i}]", "an address needs a street or a city")
            continue
        clean.setdefault("country", "IL")
        out.append(clean)
    return out


def check_field_definition(
    v: Validator, *, key: str, type_: str, options: list[str], entity: str
) -> None:
    if entity not in ENTITIES:
        v.add("entity", f"must be one of: {', '.join(ENTITIES)}")
    if not _KEY.match(key):
        v.add("key", "must be lower-case latin letters, digits and _ (starting with a letter)")
    if type_ not in FIELD_TYPES:
        v.add("type", f"must be one of: {', '.join(FIELD_TYPES)}")
    if type_ in ("select", "multi_select"):
        if not options:
            v.add("options", "a select field needs options")
        elif len(set(options)) != len(options):
            v.add("options", "options must be distinct")
    elif options:
        v.add("options", "only select fields have options")


def coerce_value(type_: str, options: list[str], value: Any) -> Any:
    """The stored form of one dynamic value; ValueError with the reason if it does not fit."""
    if type_ == "text":
        if not isinstance(value, str):
            raise ValueError("must be text")
        if len(value) > 5000:
            raise ValueError("must be at most 5000 characters")
        return value
    if type_ == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be a number")
        return int(value) if float(value).is_integer() else float(value)
    if type_ == "money":
        # Integer agorot (CONVENTIONS): 12.50 ILS is 1250.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError("must be an amount in agorot")
        if not float(value).is_integer():
            raise ValueError("must be a whole number of agorot")
        return int(value)
    if type_ == "date":
        if not isinstance(value, str):
            raise ValueError("must be a date YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError("must be a date YYYY-MM-DD") from None
    if type_ == "select":
        if value not in options:
            raise ValueError(f"must be one of: {', '.join(options)}")
        return value
    if type_ == "multi_select":
        if not isinstance(value, list) or any(x not in options for x in value):
            raise ValueError(f"must be a list of: {', '.join(options)}")
        return sorted(set(value), key=options.index)
    if type_ == "checkbox":
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value
    if type_ == "phone":
        return normalize_phone(str(value))
    if type_ == "email":
        return normalize_email(str(value))
    if type_ == "url":
        u = urlparse(str(value))
        if u.scheme not in ("http", "https") or not u.netloc:
            raise ValueError("must be an http(s) URL")
        return str(value)
    raise ValueError(f"unknown type {type_}")


def clean_custom(
    v: Validator,
    field: str,
    definitions: list[Any],
    values: dict[str, Any],
    *,
    existing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Validate ``values`` against the field definitions; ``None`` removes a value.

    Returns the merged document (``existing`` updated by ``values``). Required fields must be
    present in the result.
    """
    by_key = {d.key: d for d in definitions if not d.archived}
    out = dict(existing or {})
    for key, value in values.items():
        d = by_key.get(key)
        if d is None:
            v.add(f"{field}.{key}", "no such field")
            continue
        if value is None or value == "" or value == []:
            out.pop(key, None)
            continue
        try:
            out[key] = coerce_value(d.type, list(d.options or []), value)
        except ValueError as exc:
            v.add(f"{field}.{key}", str(exc))
    for d in by_key.values():
        if d.required and d.key not in out:
            v.add(f"{field}.{d.key}", "is required")
    return out
