import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ChartKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CHART_KIND_UNSPECIFIED: _ClassVar[ChartKind]
    CHART_KIND_BAR: _ClassVar[ChartKind]
    CHART_KIND_LINE: _ClassVar[ChartKind]
    CHART_KIND_PIE: _ClassVar[ChartKind]
    CHART_KIND_NUMBER: _ClassVar[ChartKind]
    CHART_KIND_TABLE: _ClassVar[ChartKind]

class ExportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EXPORT_FORMAT_UNSPECIFIED: _ClassVar[ExportFormat]
    EXPORT_FORMAT_CSV: _ClassVar[ExportFormat]
    EXPORT_FORMAT_XLSX: _ClassVar[ExportFormat]
    EXPORT_FORMAT_PDF: _ClassVar[ExportFormat]
CHART_KIND_UNSPECIFIED: ChartKind
CHART_KIND_BAR: ChartKind
CHART_KIND_LINE: ChartKind
CHART_KIND_PIE: ChartKind
CHART_KIND_NUMBER: ChartKind
CHART_KIND_TABLE: ChartKind
EXPORT_FORMAT_UNSPECIFIED: ExportFormat
EXPORT_FORMAT_CSV: ExportFormat
EXPORT_FORMAT_XLSX: ExportFormat
EXPORT_FORMAT_PDF: ExportFormat

class ResultColumn(_message.Message):
    __slots__ = ("key", "label", "kind", "dimension", "unit")
    KEY_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DIMENSION_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    key: str
    label: str
    kind: str
    dimension: bool
    unit: str
    def __init__(self, key: _Optional[str] = ..., label: _Optional[str] = ..., kind: _Optional[str] = ..., dimension: _Optional[bool] = ..., unit: _Optional[str] = ...) -> None: ...

class ReportResult(_message.Message):
    __slots__ = ("title", "columns", "rows", "time_zone", "truncated")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    title: str
    columns: _containers.RepeatedCompositeFieldContainer[ResultColumn]
    rows: _containers.RepeatedCompositeFieldContainer[_struct_pb2.ListValue]
    time_zone: str
    truncated: bool
    def __init__(self, title: _Optional[str] = ..., columns: _Optional[_Iterable[_Union[ResultColumn, _Mapping]]] = ..., rows: _Optional[_Iterable[_Union[_struct_pb2.ListValue, _Mapping]]] = ..., time_zone: _Optional[str] = ..., truncated: _Optional[bool] = ...) -> None: ...

class ReportDefinition(_message.Message):
    __slots__ = ("id", "name", "description", "definition", "owner_id", "shared_roles", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_ROLES_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    description: str
    definition: _struct_pb2.Struct
    owner_id: str
    shared_roles: _containers.RepeatedScalarFieldContainer[str]
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., definition: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., owner_id: _Optional[str] = ..., shared_roles: _Optional[_Iterable[str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class RunReportRequest(_message.Message):
    __slots__ = ("definition", "report_id")
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    definition: _struct_pb2.Struct
    report_id: str
    def __init__(self, definition: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., report_id: _Optional[str] = ...) -> None: ...

class RunReportResponse(_message.Message):
    __slots__ = ("result",)
    RESULT_FIELD_NUMBER: _ClassVar[int]
    result: ReportResult
    def __init__(self, result: _Optional[_Union[ReportResult, _Mapping]] = ...) -> None: ...

class CreateReportDefinitionRequest(_message.Message):
    __slots__ = ("name", "description", "definition", "shared_roles")
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    SHARED_ROLES_FIELD_NUMBER: _ClassVar[int]
    name: str
    description: str
    definition: _struct_pb2.Struct
    shared_roles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., description: _Optional[str] = ..., definition: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., shared_roles: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateReportDefinitionResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: ReportDefinition
    def __init__(self, report: _Optional[_Union[ReportDefinition, _Mapping]] = ...) -> None: ...

class GetReportDefinitionRequest(_message.Message):
    __slots__ = ("report_id",)
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    def __init__(self, report_id: _Optional[str] = ...) -> None: ...

class GetReportDefinitionResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: ReportDefinition
    def __init__(self, report: _Optional[_Union[ReportDefinition, _Mapping]] = ...) -> None: ...

class ListReportDefinitionsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReportDefinitionsResponse(_message.Message):
    __slots__ = ("reports", "next_page_token")
    REPORTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    reports: _containers.RepeatedCompositeFieldContainer[ReportDefinition]
    next_page_token: str
    def __init__(self, reports: _Optional[_Iterable[_Union[ReportDefinition, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateReportDefinitionRequest(_message.Message):
    __slots__ = ("report_id", "name", "description", "definition", "shared_roles")
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    SHARED_ROLES_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    name: str
    description: str
    definition: _struct_pb2.Struct
    shared_roles: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, report_id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., definition: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., shared_roles: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateReportDefinitionResponse(_message.Message):
    __slots__ = ("report",)
    REPORT_FIELD_NUMBER: _ClassVar[int]
    report: ReportDefinition
    def __init__(self, report: _Optional[_Union[ReportDefinition, _Mapping]] = ...) -> None: ...

class DeleteReportDefinitionRequest(_message.Message):
    __slots__ = ("report_id",)
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    report_id: str
    def __init__(self, report_id: _Optional[str] = ...) -> None: ...

class DeleteReportDefinitionResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ExportReportRequest(_message.Message):
    __slots__ = ("definition", "report_id", "format", "chart")
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    CHART_FIELD_NUMBER: _ClassVar[int]
    definition: _struct_pb2.Struct
    report_id: str
    format: ExportFormat
    chart: ChartKind
    def __init__(self, definition: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., report_id: _Optional[str] = ..., format: _Optional[_Union[ExportFormat, str]] = ..., chart: _Optional[_Union[ChartKind, str]] = ...) -> None: ...

class ExportReportResponse(_message.Message):
    __slots__ = ("content", "content_type", "filename")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    content_type: str
    filename: str
    def __init__(self, content: _Optional[bytes] = ..., content_type: _Optional[str] = ..., filename: _Optional[str] = ...) -> None: ...

class DashboardItem(_message.Message):
    __slots__ = ("id", "report_id", "title", "chart", "x", "y", "w", "h")
    ID_FIELD_NUMBER: _ClassVar[int]
    REPORT_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    CHART_FIELD_NUMBER: _ClassVar[int]
    X_FIELD_NUMBER: _ClassVar[int]
    Y_FIELD_NUMBER: _ClassVar[int]
    W_FIELD_NUMBER: _ClassVar[int]
    H_FIELD_NUMBER: _ClassVar[int]
    id: str
    report_id: str
    title: str
    chart: ChartKind
    x: int
    y: int
    w: int
    h: int
    def __init__(self, id: _Optional[str] = ..., report_id: _Optional[str] = ..., title: _Optional[str] = ..., chart: _Optional[_Union[ChartKind, str]] = ..., x: _Optional[int] = ..., y: _Optional[int] = ..., w: _Optional[int] = ..., h: _Optional[int] = ...) -> None: ...

class Dashboard(_message.Message):
    __slots__ = ("id", "name", "owner_id", "shared_roles", "items", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    SHARED_ROLES_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    owner_id: str
    shared_roles: _containers.RepeatedScalarFieldContainer[str]
    items: _containers.RepeatedCompositeFieldContainer[DashboardItem]
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., owner_id: _Optional[str] = ..., shared_roles: _Optional[_Iterable[str]] = ..., items: _Optional[_Iterable[_Union[DashboardItem, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateDashboardRequest(_message.Message):
    __slots__ = ("name", "shared_roles", "items")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SHARED_ROLES_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    name: str
    shared_roles: _containers.RepeatedScalarFieldContainer[str]
    items: _containers.RepeatedCompositeFieldContainer[DashboardItem]
    def __init__(self, name: _Optional[str] = ..., shared_roles: _Optional[_Iterable[str]] = ..., items: _Optional[_Iterable[_Union[DashboardItem, _Mapping]]] = ...) -> None: ...

class CreateDashboardResponse(_message.Message):
    __slots__ = ("dashboard",)
    DASHBOARD_FIELD_NUMBER: _ClassVar[int]
    dashboard: Dashboard
    def __init__(self, dashboard: _Optional[_Union[Dashboard, _Mapping]] = ...) -> None: ...

class GetDashboardRequest(_message.Message):
    __slots__ = ("dashboard_id",)
    DASHBOARD_ID_FIELD_NUMBER: _ClassVar[int]
    dashboard_id: str
    def __init__(self, dashboard_id: _Optional[str] = ...) -> None: ...

class GetDashboardResponse(_message.Message):
    __slots__ = ("dashboard",)
    DASHBOARD_FIELD_NUMBER: _ClassVar[int]
    dashboard: Dashboard
    def __init__(self, dashboard: _Optional[_Union[Dashboard, _Mapping]] = ...) -> None: ...

class ListDashboardsRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListDashboardsResponse(_message.Message):
    __slots__ = ("dashboards", "next_page_token")
    DASHBOARDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    dashboards: _containers.RepeatedCompositeFieldContainer[Dashboard]
    next_page_token: str
    def __init__(self, dashboards: _Optional[_Iterable[_Union[Dashboard, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateDashboardRequest(_message.Message):
    __slots__ = ("dashboard_id", "name", "shared_roles", "items")
    DASHBOARD_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SHARED_ROLES_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    dashboard_id: str
    name: str
    shared_roles: _containers.RepeatedScalarFieldContainer[str]
    items: _containers.RepeatedCompositeFieldContainer[DashboardItem]
    def __init__(self, dashboard_id: _Optional[str] = ..., name: _Optional[str] = ..., shared_roles: _Optional[_Iterable[str]] = ..., items: _Optional[_Iterable[_Union[DashboardItem, _Mapping]]] = ...) -> None: ...

class UpdateDashboardResponse(_message.Message):
    __slots__ = ("dashboard",)
    DASHBOARD_FIELD_NUMBER: _ClassVar[int]
    dashboard: Dashboard
    def __init__(self, dashboard: _Optional[_Union[Dashboard, _Mapping]] = ...) -> None: ...

class DeleteDashboardRequest(_message.Message):
    __slots__ = ("dashboard_id",)
    DASHBOARD_ID_FIELD_NUMBER: _ClassVar[int]
    dashboard_id: str
    def __init__(self, dashboard_id: _Optional[str] = ...) -> None: ...

class DeleteDashboardResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RunDashboardRequest(_message.Message):
    __slots__ = ("dashboard_id",)
    DASHBOARD_ID_FIELD_NUMBER: _ClassVar[int]
    dashboard_id: str
    def __init__(self, dashboard_id: _Optional[str] = ...) -> None: ...

class DashboardItemResult(_message.Message):
    __slots__ = ("item", "title", "result", "chart_svg", "error")
    ITEM_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    CHART_SVG_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    item: DashboardItem
    title: str
    result: ReportResult
    chart_svg: str
    error: str
    def __init__(self, item: _Optional[_Union[DashboardItem, _Mapping]] = ..., title: _Optional[str] = ..., result: _Optional[_Union[ReportResult, _Mapping]] = ..., chart_svg: _Optional[str] = ..., error: _Optional[str] = ...) -> None: ...

class RunDashboardResponse(_message.Message):
    __slots__ = ("dashboard", "items")
    DASHBOARD_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    dashboard: Dashboard
    items: _containers.RepeatedCompositeFieldContainer[DashboardItemResult]
    def __init__(self, dashboard: _Optional[_Union[Dashboard, _Mapping]] = ..., items: _Optional[_Iterable[_Union[DashboardItemResult, _Mapping]]] = ...) -> None: ...

class ExportDashboardRequest(_message.Message):
    __slots__ = ("dashboard_id", "format")
    DASHBOARD_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    dashboard_id: str
    format: ExportFormat
    def __init__(self, dashboard_id: _Optional[str] = ..., format: _Optional[_Union[ExportFormat, str]] = ...) -> None: ...

class ExportDashboardResponse(_message.Message):
    __slots__ = ("content", "content_type", "filename")
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    content: bytes
    content_type: str
    filename: str
    def __init__(self, content: _Optional[bytes] = ..., content_type: _Optional[str] = ..., filename: _Optional[str] = ...) -> None: ...

class ReportSchedule(_message.Message):
    __slots__ = ("id", "kind", "target_id", "format", "cadence", "recipients", "subject", "created_by", "last_sent_on", "active", "created_at", "send_hour", "weekday", "day_of_month", "next_send_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    CADENCE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    LAST_SENT_ON_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SEND_HOUR_FIELD_NUMBER: _ClassVar[int]
    WEEKDAY_FIELD_NUMBER: _ClassVar[int]
    DAY_OF_MONTH_FIELD_NUMBER: _ClassVar[int]
    NEXT_SEND_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    target_id: str
    format: str
    cadence: str
    recipients: _containers.RepeatedScalarFieldContainer[str]
    subject: str
    created_by: str
    last_sent_on: str
    active: bool
    created_at: _timestamp_pb2.Timestamp
    send_hour: int
    weekday: str
    day_of_month: int
    next_send_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., target_id: _Optional[str] = ..., format: _Optional[str] = ..., cadence: _Optional[str] = ..., recipients: _Optional[_Iterable[str]] = ..., subject: _Optional[str] = ..., created_by: _Optional[str] = ..., last_sent_on: _Optional[str] = ..., active: _Optional[bool] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., send_hour: _Optional[int] = ..., weekday: _Optional[str] = ..., day_of_month: _Optional[int] = ..., next_send_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateReportScheduleRequest(_message.Message):
    __slots__ = ("kind", "target_id", "format", "cadence", "recipients", "subject", "send_hour", "weekday", "day_of_month")
    KIND_FIELD_NUMBER: _ClassVar[int]
    TARGET_ID_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    CADENCE_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    SEND_HOUR_FIELD_NUMBER: _ClassVar[int]
    WEEKDAY_FIELD_NUMBER: _ClassVar[int]
    DAY_OF_MONTH_FIELD_NUMBER: _ClassVar[int]
    kind: str
    target_id: str
    format: str
    cadence: str
    recipients: _containers.RepeatedScalarFieldContainer[str]
    subject: str
    send_hour: int
    weekday: str
    day_of_month: int
    def __init__(self, kind: _Optional[str] = ..., target_id: _Optional[str] = ..., format: _Optional[str] = ..., cadence: _Optional[str] = ..., recipients: _Optional[_Iterable[str]] = ..., subject: _Optional[str] = ..., send_hour: _Optional[int] = ..., weekday: _Optional[str] = ..., day_of_month: _Optional[int] = ...) -> None: ...

class CreateReportScheduleResponse(_message.Message):
    __slots__ = ("schedule",)
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    schedule: ReportSchedule
    def __init__(self, schedule: _Optional[_Union[ReportSchedule, _Mapping]] = ...) -> None: ...

class ListReportSchedulesRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListReportSchedulesResponse(_message.Message):
    __slots__ = ("schedules", "next_page_token")
    SCHEDULES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    schedules: _containers.RepeatedCompositeFieldContainer[ReportSchedule]
    next_page_token: str
    def __init__(self, schedules: _Optional[_Iterable[_Union[ReportSchedule, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DeleteReportScheduleRequest(_message.Message):
    __slots__ = ("schedule_id",)
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    schedule_id: str
    def __init__(self, schedule_id: _Optional[str] = ...) -> None: ...

class DeleteReportScheduleResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RecipientList(_message.Message):
    __slots__ = ("addresses",)
    ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    addresses: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, addresses: _Optional[_Iterable[str]] = ...) -> None: ...

class UpdateReportScheduleRequest(_message.Message):
    __slots__ = ("schedule_id", "active", "send_hour", "weekday", "day_of_month", "cadence", "format", "subject", "recipients")
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    SEND_HOUR_FIELD_NUMBER: _ClassVar[int]
    WEEKDAY_FIELD_NUMBER: _ClassVar[int]
    DAY_OF_MONTH_FIELD_NUMBER: _ClassVar[int]
    CADENCE_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    RECIPIENTS_FIELD_NUMBER: _ClassVar[int]
    schedule_id: str
    active: bool
    send_hour: int
    weekday: str
    day_of_month: int
    cadence: str
    format: str
    subject: str
    recipients: RecipientList
    def __init__(self, schedule_id: _Optional[str] = ..., active: _Optional[bool] = ..., send_hour: _Optional[int] = ..., weekday: _Optional[str] = ..., day_of_month: _Optional[int] = ..., cadence: _Optional[str] = ..., format: _Optional[str] = ..., subject: _Optional[str] = ..., recipients: _Optional[_Union[RecipientList, _Mapping]] = ...) -> None: ...

class UpdateReportScheduleResponse(_message.Message):
    __slots__ = ("schedule",)
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    schedule: ReportSchedule
    def __init__(self, schedule: _Optional[_Union[ReportSchedule, _Mapping]] = ...) -> None: ...
