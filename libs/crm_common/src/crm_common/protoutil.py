"""Small protobuf helpers used by every servicer."""

from __future__ import annotations

import datetime as dt
import uuid

from google.protobuf.timestamp_pb2 import Timestamp

from crm_common.errors import FieldViolation, InvalidArgument


def timestamp(value: dt.datetime | None) -> Timestamp | None:
    if value is None:
        return None
    ts = Timestamp()
    ts.FromDatetime(value)
    return ts


def parse_uuid(raw: str, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise InvalidArgument(
            f"{field} must be a UUID", violations=[FieldViolation(field, "must be a UUID")]
        ) from None
