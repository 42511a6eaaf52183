import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TargetSet(_message.Message):
    __slots__ = ("target_id", "owner_id", "team_id", "period", "period_start", "amount_agorot", "deal_count", "set_at")
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    DEAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    SET_AT_FIELD_NUMBER: _ClassVar[int]
    target_id: str
    owner_id: str
    team_id: str
    period: str
    period_start: str
    amount_agorot: int
    deal_count: int
    set_at: _timestamp_pb2.Timestamp
    def __init__(self, target_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., period: _Optional[str] = ..., period_start: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., deal_count: _Optional[int] = ..., set_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
