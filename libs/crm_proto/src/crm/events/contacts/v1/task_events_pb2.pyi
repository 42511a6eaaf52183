import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TaskCreated(_message.Message):
    __slots__ = ("task_id", "title", "task_type_key", "party_id", "deal_id", "order_id", "assignee_user_id", "creator_user_id", "priority", "due_at", "sla_due_at", "rule_id", "parent_task_id", "created_at")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    TASK_TYPE_KEY_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_USER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    SLA_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    PARENT_TASK_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    title: str
    task_type_key: str
    party_id: str
    deal_id: str
    order_id: str
    assignee_user_id: str
    creator_user_id: str
    priority: int
    due_at: _timestamp_pb2.Timestamp
    sla_due_at: _timestamp_pb2.Timestamp
    rule_id: str
    parent_task_id: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, task_id: _Optional[str] = ..., title: _Optional[str] = ..., task_type_key: _Optional[str] = ..., party_id: _Optional[str] = ..., deal_id: _Optional[str] = ..., order_id: _Optional[str] = ..., assignee_user_id: _Optional[str] = ..., creator_user_id: _Optional[str] = ..., priority: _Optional[int] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sla_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rule_id: _Optional[str] = ..., parent_task_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TaskAssigned(_message.Message):
    __slots__ = ("task_id", "from_user_id", "to_user_id", "by_user_id", "assigned_at")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_USER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_USER_ID_FIELD_NUMBER: _ClassVar[int]
    BY_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    from_user_id: str
    to_user_id: str
    by_user_id: str
    assigned_at: _timestamp_pb2.Timestamp
    def __init__(self, task_id: _Optional[str] = ..., from_user_id: _Optional[str] = ..., to_user_id: _Optional[str] = ..., by_user_id: _Optional[str] = ..., assigned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TaskCompleted(_message.Message):
    __slots__ = ("task_id", "task_type_key", "party_id", "assignee_user_id", "created_at", "completed_at", "sla_due_at", "sla_met", "duration_seconds")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_TYPE_KEY_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_USER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    SLA_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    SLA_MET_FIELD_NUMBER: _ClassVar[int]
    DURATION_SECONDS_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    task_type_key: str
    party_id: str
    assignee_user_id: str
    created_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    sla_due_at: _timestamp_pb2.Timestamp
    sla_met: bool
    duration_seconds: int
    def __init__(self, task_id: _Optional[str] = ..., task_type_key: _Optional[str] = ..., party_id: _Optional[str] = ..., assignee_user_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sla_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sla_met: _Optional[bool] = ..., duration_seconds: _Optional[int] = ...) -> None: ...

class TaskSlaBreached(_message.Message):
    __slots__ = ("task_id", "task_type_key", "party_id", "assignee_user_id", "sla_due_at", "detected_at")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_TYPE_KEY_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_USER_ID_FIELD_NUMBER: _ClassVar[int]
    SLA_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    DETECTED_AT_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    task_type_key: str
    party_id: str
    assignee_user_id: str
    sla_due_at: _timestamp_pb2.Timestamp
    detected_at: _timestamp_pb2.Timestamp
    def __init__(self, task_id: _Optional[str] = ..., task_type_key: _Optional[str] = ..., party_id: _Optional[str] = ..., assignee_user_id: _Optional[str] = ..., sla_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., detected_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class TaskActionRequested(_message.Message):
    __slots__ = ("task_id", "rule_id", "action", "party_id", "params", "requested_at")
    class ParamsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    REQUESTED_AT_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    rule_id: str
    action: str
    party_id: str
    params: _containers.ScalarMap[str, str]
    requested_at: _timestamp_pb2.Timestamp
    def __init__(self, task_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., action: _Optional[str] = ..., party_id: _Optional[str] = ..., params: _Optional[_Mapping[str, str]] = ..., requested_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
