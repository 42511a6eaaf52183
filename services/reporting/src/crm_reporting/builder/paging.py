"""Keyset pages of saved reports, dashboards and report schedules (newest first).

The project's :mod:`crm_common.pagination` (uuid7 ids, ``id < before``); a bad token is
an InvalidArgument whose field violation names ``page_token`` (the gateway's 422).
"""

from __future__ import annotations

from typing import Any, TypeVar

import sqlalchemy as sa

from crm_common.errors import FieldViolation, InvalidArgument
from crm_common.pagination import PageRequest, next_token

T = TypeVar("T")


def page_request(page_size: int, page_token: str) -> PageRequest:
    if page_size < 0:
        raise InvalidArgument(
            "page_size must not be negative",
            violations=[FieldViolation("page_size", "must be 1 to 200 (0: the default 50)")],
        )
    try:
        return PageRequest.parse(page_size, page_token)
    except InvalidArgument as err:
        raise InvalidArgument(
            "page_token is not valid",
            violations=[FieldViolation("page_token", "not a token of this list")],
        ) from err


def keyset(stmt: sa.Select, id_column: Any, page: PageRequest) -> sa.Select:
    """``stmt`` narrowed to the page: newest id first, one row more than the page."""
    if page.before is not None:
        stmt = stmt.where(id_column < page.before)
    return stmt.order_by(id_column.desc()).limit(page.size + 1)


def cut(rows: list[T], page: PageRequest) -> tuple[list[T], str]:
    """The page's rows and the next page's token ('' on the last page)."""
    return rows[: page.size], next_token(rows, page.size)
