import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetLeadsBySourceRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SourceCount(_message.Message):
    __slots__ = ("source", "leads", "last_captured_at")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    LEADS_FIELD_NUMBER: _ClassVar[int]
    LAST_CAPTURED_AT_FIELD_NUMBER: _ClassVar[int]
    source: str
    leads: int
    last_captured_at: _timestamp_pb2.Timestamp
    def __init__(self, source: _Optional[str] = ..., leads: _Optional[int] = ..., last_captured_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetLeadsBySourceResponse(_message.Message):
    __slots__ = ("sources", "total")
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    sources: _containers.RepeatedCompositeFieldContainer[SourceCount]
    total: int
    def __init__(self, sources: _Optional[_Iterable[_Union[SourceCount, _Mapping]]] = ..., total: _Optional[int] = ...) -> None: ...
