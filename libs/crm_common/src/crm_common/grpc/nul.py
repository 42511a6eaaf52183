"""NUL characters in request text, refused at the gRPC edge of every service.

PostgreSQL cannot store ``\\x00`` in ``text``/``varchar`` or JSONB, so a request string holding
one would fail deep in a use case as an internal error, possibly after part of the work ran.
The edge interceptor (``crm_common.grpc.server``) refuses such a request with
INVALID_ARGUMENT and one field violation per offending field, before the handler runs.

Cost: the wire bytes are searched for a zero byte first (``memchr``, tens of nanoseconds).
A NUL in a string field is always a zero byte on the wire (UTF-8 of U+0000 is ``0x00``), so a
request without one cannot hold a NUL and is not walked; only requests that do carry a zero byte
(a NUL, a field explicitly set to 0, an empty message, bytes or fixed-width numbers) are walked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message

from crm_common.errors import FieldViolation, InvalidArgument

NUL = "\x00"
NUL_MESSAGE = "must not contain a NUL character (\\x00)"
_STRING = FieldDescriptor.TYPE_STRING
_MESSAGE = FieldDescriptor.TYPE_MESSAGE


def nul_fields(msg: Message, prefix: str = "") -> Iterator[str]:
    """Paths of the text fields of ``msg`` holding a NUL, at any depth: ``stages[1].name``,
    ``labels['key']`` (map key or value), ``fields['a'].struct_value.fields['b'].string_value``."""
    for fd, value in msg.ListFields():
        path = prefix + fd.name
        if fd.type == _STRING:
            if fd.is_repeated:
                yield from (f"{path}[{i}]" for i, v in enumerate(value) if NUL in v)
            elif NUL in value:
                yield path
        elif fd.type == _MESSAGE:
            if fd.message_type.GetOptions().map_entry:
                for key, item in value.items():
                    if any(isinstance(x, str) and NUL in x for x in (key, item)):
                        yield f"{path}[{key!r}]"
                    elif isinstance(item, Message):
                        yield from nul_fields(item, f"{path}[{key!r}].")
            elif fd.is_repeated:
                for i, item in enumerate(value):
                    yield from nul_fields(item, f"{path}[{i}].")
            else:
                yield from nul_fields(value, path + ".")


def nul_violation(msg: Message) -> InvalidArgument | None:
    """The INVALID_ARGUMENT naming every text field of ``msg`` that holds a NUL, or None."""
    bad = list(nul_fields(msg))
    if not bad:
        return None
    return InvalidArgument(
        "text must not contain NUL characters",
        violations=[FieldViolation(f, NUL_MESSAGE) for f in bad],
    )


def refuse_nul(msg: Message) -> None:
    """Raise :func:`nul_violation`'s error if ``msg`` holds a NUL in any text field."""
    error = nul_violation(msg)
    if error is not None:
        raise error


class Screened:
    """A deserialized request and whether its wire bytes held a zero byte (may hold a NUL)."""

    __slots__ = ("request", "suspect")

    def __init__(self, request: Any, suspect: bool) -> None:
        self.request = request
        self.suspect = suspect


def screening(deserializer: Callable[[bytes], Any] | None) -> Callable[[bytes], Screened]:
    """Wrap a request deserializer so the handler learns whether the raw bytes had a zero byte."""
    if deserializer is None:
        return lambda raw: Screened(raw, False)

    def deserialize(raw: bytes) -> Screened:
        return Screened(deserializer(raw), b"\x00" in raw)

    return deserialize


__all__ = [
    "NUL",
    "NUL_MESSAGE",
    "Screened",
    "nul_fields",
    "nul_violation",
    "refuse_nul",
    "screening",
]
