"""Keyset pagination on time-ordered UUIDv7 ids, newest first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from crm_common.errors import InvalidArgument
from crm_common.normalize import decode_page_token, encode_page_token

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass(frozen=True, slots=True)
class PageRequest:
    size: int
    before: uuid.UUID | None

    @classmethod
    def parse(cls, page_size: int, page_token: str) -> PageRequest:
        if page_size < 0:
            raise InvalidArgument("page_size must not be negative")
        size = min(page_size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        before = None
        if page_token:
            try:
                before = decode_page_token(page_token)
            except ValueError as exc:
                raise InvalidArgument("page_token is not valid") from exc
        return cls(size=size, before=before)


def next_token(items: list, size: int) -> str:
    """The token of the page after ``items`` (fetched with ``size + 1`` rows), or ''."""
    if len(items) <= size:
        return ""
    return encode_page_token(items[size - 1].id)
