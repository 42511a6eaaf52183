"""Placeholder rendering: ``{{name}}``, ``{{contact.name}}``, ``{{account.name}}``, ..."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from crm_common.errors import FieldViolation, InvalidArgument

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str
    # The values in order of first appearance in the text (WhatsApp template parameters).
    params: tuple[str, ...]


def placeholders(*parts: str) -> list[str]:
    seen: dict[str, None] = {}
    for part in parts:
        for name in PLACEHOLDER.findall(part or ""):
            seen.setdefault(name, None)
    return list(seen)


def render(
    *, subject: str, text: str, html: str, values: Mapping[str, str], template_name: str
) -> Rendered:
    """Fill every placeholder; one InvalidArgument naming each missing one."""
    missing = [n for n in placeholders(subject, text, html) if not values.get(n)]
    if missing:
        raise InvalidArgument(
            f"template {template_name!r} needs a value for "
            + ", ".join("{{" + n + "}}" for n in missing),
            violations=[
                FieldViolation(f"variables.{n}", f"placeholder {{{{{n}}}}} has no value")
                for n in missing
            ],
        )

    def fill(part: str, escape: bool = False) -> str:
        return PLACEHOLDER.sub(
            lambda m: html_lib.escape(values[m.group(1)]) if escape else values[m.group(1)],
            part or "",
        )

    return Rendered(
        subject=fill(subject),
        text=fill(text),
        html=fill(html, escape=True),
        params=tuple(values[n] for n in placeholders(text)),
    )
