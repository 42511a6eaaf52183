import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TaskType(_message.Message):
    __slots__ = ("id", "key", "name", "sla_minutes")
    ID_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SLA_MINUTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    key: str
    name: str
    sla_minutes: int
    def __init__(self, id: _Optional[str] = ..., key: _Optional[str] = ..., name: _Optional[str] = ..., sla_minutes: _Optional[int] = ...) -> None: ...

class CreateTaskTypeRequest(_message.Message):
    __slots__ = ("key", "name", "sla_minutes")
    KEY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SLA_MINUTES_FIELD_NUMBER: _ClassVar[int]
    key: str
    name: str
    sla_minutes: int
    def __init__(self, key: _Optional[str] = ..., name: _Optional[str] = ..., sla_minutes: _Optional[int] = ...) -> None: ...

class CreateTaskTypeResponse(_message.Message):
    __slots__ = ("task_type",)
    TASK_TYPE_FIELD_NUMBER: _ClassVar[int]
    task_type: TaskType
    def __init__(self, task_type: _Optional[_Union[TaskType, _Mapping]] = ...) -> None: ...

class Delegation(_message.Message):
    __slots__ = ("from_user_id", "to_user_id", "by_user_id", "note", "at")
    FROM_USER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_USER_ID_FIELD_NUMBER: _ClassVar[int]
    BY_USER_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    from_user_id: str
    to_user_id: str
    by_user_id: str
    note: str
    at: _timestamp_pb2.Timestamp
    def __init__(self, from_user_id: _Optional[str] = ..., to_user_id: _Optional[str] = ..., by_user_id: _Optional[str] = ..., note: _Optional[str] = ..., at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Task(_message.Message):
    __slots__ = ("id", "title", "description", "task_type_key", "parent_id", "party_id", "deal_id", "order_id", "assignee_user_id", "creator_user_id", "priority", "status", "due_at", "sla_due_at", "sla_breached_at", "completed_at", "rule_id", "created_at", "team_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TASK_TYPE_KEY_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_USER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    SLA_DUE_AT_FIELD_NUMBER: _ClassVar[int]
    SLA_BREACHED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    description: str
    task_type_key: str
    parent_id: str
    party_id: str
    deal_id: str
    order_id: str
    assignee_user_id: str
    creator_user_id: str
    priority: int
    status: str
    due_at: _timestamp_pb2.Timestamp
    sla_due_at: _timestamp_pb2.Timestamp
    sla_breached_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    rule_id: str
    created_at: _timestamp_pb2.Timestamp
    team_id: str
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., task_type_key: _Optional[str] = ..., parent_id: _Optional[str] = ..., party_id: _Optional[str] = ..., deal_id: _Optional[str] = ..., order_id: _Optional[str] = ..., assignee_user_id: _Optional[str] = ..., creator_user_id: _Optional[str] = ..., priority: _Optional[int] = ..., status: _Optional[str] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sla_due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sla_breached_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., rule_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., team_id: _Optional[str] = ...) -> None: ...

class CreateTaskRequest(_message.Message):
    __slots__ = ("title", "description", "task_type_key", "parent_id", "party_id", "deal_id", "order_id", "assignee_user_id", "priority", "due_at", "team_id")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    TASK_TYPE_KEY_FIELD_NUMBER: _ClassVar[int]
    PARENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    ASSIGNEE_USER_ID_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    DUE_AT_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    title: str
    description: str
    task_type_key: str
    parent_id: str
    party_id: str
    deal_id: str
    order_id: str
    assignee_user_id: str
    priority: int
    due_at: _timestamp_pb2.Timestamp
    team_id: str
    def __init__(self, title: _Optional[str] = ..., description: _Optional[str] = ..., task_type_key: _Optional[str] = ..., parent_id: _Optional[str] = ..., party_id: _Optional[str] = ..., deal_id: _Optional[str] = ..., order_id: _Optional[str] = ..., assignee_user_id: _Optional[str] = ..., priority: _Optional[int] = ..., due_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., team_id: _Optional[str] = ...) -> None: ...

class CreateTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: Task
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ...) -> None: ...

class GetTaskRequest(_message.Message):
    __slots__ = ("task_id",)
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    def __init__(self, task_id: _Optional[str] = ...) -> None: ...

class GetTaskResponse(_message.Message):
    __slots__ = ("task", "subtasks", "delegations")
    TASK_FIELD_NUMBER: _ClassVar[int]
    SUBTASKS_FIELD_NUMBER: _ClassVar[int]
    DELEGATIONS_FIELD_NUMBER: _ClassVar[int]
    task: Task
    subtasks: _containers.RepeatedCompositeFieldContainer[Task]
    delegations: _containers.RepeatedCompositeFieldContainer[Delegation]
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ..., subtasks: _Optional[_Iterable[_Union[Task, _Mapping]]] = ..., delegations: _Optional[_Iterable[_Union[Delegation, _Mapping]]] = ...) -> None: ...

class ListMyTasksRequest(_message.Message):
    __slots__ = ("status", "page_size", "page_token", "include_team")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_TEAM_FIELD_NUMBER: _ClassVar[int]
    status: str
    page_size: int
    page_token: str
    include_team: bool
    def __init__(self, status: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., include_team: _Optional[bool] = ...) -> None: ...

class ListMyTasksResponse(_message.Message):
    __slots__ = ("tasks", "next_page_token")
    TASKS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[Task]
    next_page_token: str
    def __init__(self, tasks: _Optional[_Iterable[_Union[Task, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListPartyTasksRequest(_message.Message):
    __slots__ = ("party_id", "task_type_key", "status", "page_size", "page_token")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_TYPE_KEY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    task_type_key: str
    status: str
    page_size: int
    page_token: str
    def __init__(self, party_id: _Optional[str] = ..., task_type_key: _Optional[str] = ..., status: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListPartyTasksResponse(_message.Message):
    __slots__ = ("tasks", "next_page_token")
    TASKS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    tasks: _containers.RepeatedCompositeFieldContainer[Task]
    next_page_token: str
    def __init__(self, tasks: _Optional[_Iterable[_Union[Task, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DelegateTaskRequest(_message.Message):
    __slots__ = ("task_id", "to_user_id", "note")
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    TO_USER_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    to_user_id: str
    note: str
    def __init__(self, task_id: _Optional[str] = ..., to_user_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class DelegateTaskResponse(_message.Message):
    __slots__ = ("task",)
    TASK_FIELD_NUMBER: _ClassVar[int]
    task: Task
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ...) -> None: ...

class CompleteTaskRequest(_message.Message):
    __slots__ = ("task_id",)
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    task_id: str
    def __init__(self, task_id: _Optional[str] = ...) -> None: ...

class CompleteTaskResponse(_message.Message):
    __slots__ = ("task", "actions_requested")
    TASK_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_REQUESTED_FIELD_NUMBER: _ClassVar[int]
    task: Task
    actions_requested: int
    def __init__(self, task: _Optional[_Union[Task, _Mapping]] = ..., actions_requested: _Optional[int] = ...) -> None: ...

class CheckSlaRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CheckSlaResponse(_message.Message):
    __slots__ = ("breached",)
    BREACHED_FIELD_NUMBER: _ClassVar[int]
    breached: int
    def __init__(self, breached: _Optional[int] = ...) -> None: ...

class SlaReportRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SlaRow(_message.Message):
    __slots__ = ("task_type_key", "done_within_sla", "done_late", "open_breached", "open_within_sla")
    TASK_TYPE_KEY_FIELD_NUMBER: _ClassVar[int]
    DONE_WITHIN_SLA_FIELD_NUMBER: _ClassVar[int]
    DONE_LATE_FIELD_NUMBER: _ClassVar[int]
    OPEN_BREACHED_FIELD_NUMBER: _ClassVar[int]
    OPEN_WITHIN_SLA_FIELD_NUMBER: _ClassVar[int]
    task_type_key: str
    done_within_sla: int
    done_late: int
    open_breached: int
    open_within_sla: int
    def __init__(self, task_type_key: _Optional[str] = ..., done_within_sla: _Optional[int] = ..., done_late: _Optional[int] = ..., open_breached: _Optional[int] = ..., open_within_sla: _Optional[int] = ...) -> None: ...

class SlaReportResponse(_message.Message):
    __slots__ = ("rows",)
    ROWS_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[SlaRow]
    def __init__(self, rows: _Optional[_Iterable[_Union[SlaRow, _Mapping]]] = ...) -> None: ...

class Reminder(_message.Message):
    __slots__ = ("id", "party_id", "remind_at", "note", "follow_up", "done_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    REMIND_AT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    DONE_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    party_id: str
    remind_at: _timestamp_pb2.Timestamp
    note: str
    follow_up: bool
    done_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., party_id: _Optional[str] = ..., remind_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ..., follow_up: _Optional[bool] = ..., done_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateReminderRequest(_message.Message):
    __slots__ = ("party_id", "remind_at", "note", "follow_up")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    REMIND_AT_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    remind_at: _timestamp_pb2.Timestamp
    note: str
    follow_up: bool
    def __init__(self, party_id: _Optional[str] = ..., remind_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., note: _Optional[str] = ..., follow_up: _Optional[bool] = ...) -> None: ...

class CreateReminderResponse(_message.Message):
    __slots__ = ("reminder",)
    REMINDER_FIELD_NUMBER: _ClassVar[int]
    reminder: Reminder
    def __init__(self, reminder: _Optional[_Union[Reminder, _Mapping]] = ...) -> None: ...

class ListRemindersRequest(_message.Message):
    __slots__ = ("follow_up",)
    FOLLOW_UP_FIELD_NUMBER: _ClassVar[int]
    follow_up: bool
    def __init__(self, follow_up: _Optional[bool] = ...) -> None: ...

class ListRemindersResponse(_message.Message):
    __slots__ = ("reminders",)
    REMINDERS_FIELD_NUMBER: _ClassVar[int]
    reminders: _containers.RepeatedCompositeFieldContainer[Reminder]
    def __init__(self, reminders: _Optional[_Iterable[_Union[Reminder, _Mapping]]] = ...) -> None: ...

class DismissReminderRequest(_message.Message):
    __slots__ = ("reminder_id",)
    REMINDER_ID_FIELD_NUMBER: _ClassVar[int]
    reminder_id: str
    def __init__(self, reminder_id: _Optional[str] = ...) -> None: ...

class DismissReminderResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Rule(_message.Message):
    __slots__ = ("id", "name", "kind", "topic", "event_type", "conditions", "task_template", "task_type_key", "action", "enabled")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TOPIC_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    CONDITIONS_FIELD_NUMBER: _ClassVar[int]
    TASK_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    TASK_TYPE_KEY_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    ENABLED_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    kind: str
    topic: str
    event_type: str
    conditions: _struct_pb2.ListValue
    task_template: _struct_pb2.Struct
    task_type_key: str
    action: _struct_pb2.Struct
    enabled: bool
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., kind: _Optional[str] = ..., topic: _Optional[str] = ..., event_type: _Optional[str] = ..., conditions: _Optional[_Union[_struct_pb2.ListValue, _Mapping]] = ..., task_template: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., task_type_key: _Optional[str] = ..., action: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., enabled: _Optional[bool] = ...) -> None: ...

class CreateRuleRequest(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: Rule
    def __init__(self, rule: _Optional[_Union[Rule, _Mapping]] = ...) -> None: ...

class CreateRuleResponse(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: Rule
    def __init__(self, rule: _Optional[_Union[Rule, _Mapping]] = ...) -> None: ...

class ListRulesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRulesResponse(_message.Message):
    __slots__ = ("rules",)
    RULES_FIELD_NUMBER: _ClassVar[int]
    rules: _containers.RepeatedCompositeFieldContainer[Rule]
    def __init__(self, rules: _Optional[_Iterable[_Union[Rule, _Mapping]]] = ...) -> None: ...
