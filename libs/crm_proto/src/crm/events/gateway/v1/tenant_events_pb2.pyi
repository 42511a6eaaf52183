import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TenantCreated(_message.Message):
    __slots__ = ("tenant_id", "name", "slug", "time_zone", "locale", "currency", "created_at", "admin_user_id")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SLUG_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    LOCALE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ADMIN_USER_ID_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    name: str
    slug: str
    time_zone: str
    locale: str
    currency: str
    created_at: _timestamp_pb2.Timestamp
    admin_user_id: str
    def __init__(self, tenant_id: _Optional[str] = ..., name: _Optional[str] = ..., slug: _Optional[str] = ..., time_zone: _Optional[str] = ..., locale: _Optional[str] = ..., currency: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., admin_user_id: _Optional[str] = ...) -> None: ...
