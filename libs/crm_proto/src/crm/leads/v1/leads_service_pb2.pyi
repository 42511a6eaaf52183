import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LeadStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEAD_STATUS_UNSPECIFIED: _ClassVar[LeadStatus]
    LEAD_STATUS_NEW: _ClassVar[LeadStatus]
    LEAD_STATUS_CONVERTED: _ClassVar[LeadStatus]
    LEAD_STATUS_QUALIFIED: _ClassVar[LeadStatus]
    LEAD_STATUS_DISQUALIFIED: _ClassVar[LeadStatus]
    LEAD_STATUS_MERGED: _ClassVar[LeadStatus]

class CaptureChannel(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CAPTURE_CHANNEL_UNSPECIFIED: _ClassVar[CaptureChannel]
    CAPTURE_CHANNEL_API: _ClassVar[CaptureChannel]
    CAPTURE_CHANNEL_WEB_FORM: _ClassVar[CaptureChannel]
    CAPTURE_CHANNEL_WEBHOOK: _ClassVar[CaptureChannel]
    CAPTURE_CHANNEL_IMPORT: _ClassVar[CaptureChannel]
    CAPTURE_CHANNEL_MANUAL: _ClassVar[CaptureChannel]

class DuplicateKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DUPLICATE_KIND_UNSPECIFIED: _ClassVar[DuplicateKind]
    DUPLICATE_KIND_LEAD: _ClassVar[DuplicateKind]
    DUPLICATE_KIND_CUSTOMER: _ClassVar[DuplicateKind]

class StageKind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    STAGE_KIND_UNSPECIFIED: _ClassVar[StageKind]
    STAGE_KIND_OPEN: _ClassVar[StageKind]
    STAGE_KIND_WON: _ClassVar[StageKind]
    STAGE_KIND_LOST: _ClassVar[StageKind]

class DealStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DEAL_STATUS_UNSPECIFIED: _ClassVar[DealStatus]
    DEAL_STATUS_OPEN: _ClassVar[DealStatus]
    DEAL_STATUS_WON: _ClassVar[DealStatus]
    DEAL_STATUS_LOST: _ClassVar[DealStatus]

class TargetPeriod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TARGET_PERIOD_UNSPECIFIED: _ClassVar[TargetPeriod]
    TARGET_PERIOD_MONTH: _ClassVar[TargetPeriod]
    TARGET_PERIOD_QUARTER: _ClassVar[TargetPeriod]
LEAD_STATUS_UNSPECIFIED: LeadStatus
LEAD_STATUS_NEW: LeadStatus
LEAD_STATUS_CONVERTED: LeadStatus
LEAD_STATUS_QUALIFIED: LeadStatus
LEAD_STATUS_DISQUALIFIED: LeadStatus
LEAD_STATUS_MERGED: LeadStatus
CAPTURE_CHANNEL_UNSPECIFIED: CaptureChannel
CAPTURE_CHANNEL_API: CaptureChannel
CAPTURE_CHANNEL_WEB_FORM: CaptureChannel
CAPTURE_CHANNEL_WEBHOOK: CaptureChannel
CAPTURE_CHANNEL_IMPORT: CaptureChannel
CAPTURE_CHANNEL_MANUAL: CaptureChannel
DUPLICATE_KIND_UNSPECIFIED: DuplicateKind
DUPLICATE_KIND_LEAD: DuplicateKind
DUPLICATE_KIND_CUSTOMER: DuplicateKind
STAGE_KIND_UNSPECIFIED: StageKind
STAGE_KIND_OPEN: StageKind
STAGE_KIND_WON: StageKind
STAGE_KIND_LOST: StageKind
DEAL_STATUS_UNSPECIFIED: DealStatus
DEAL_STATUS_OPEN: DealStatus
DEAL_STATUS_WON: DealStatus
DEAL_STATUS_LOST: DealStatus
TARGET_PERIOD_UNSPECIFIED: TargetPeriod
TARGET_PERIOD_MONTH: TargetPeriod
TARGET_PERIOD_QUARTER: TargetPeriod

class Utm(_message.Message):
    __slots__ = ("source", "medium", "campaign", "term", "content")
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    MEDIUM_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    TERM_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    source: str
    medium: str
    campaign: str
    term: str
    content: str
    def __init__(self, source: _Optional[str] = ..., medium: _Optional[str] = ..., campaign: _Optional[str] = ..., term: _Optional[str] = ..., content: _Optional[str] = ...) -> None: ...

class Lead(_message.Message):
    __slots__ = ("id", "party_id", "name", "phone", "email", "company_name", "source", "campaign", "status", "created_at", "converted_at", "owner_id", "team_id", "product_interest", "city", "language", "utm", "channel", "merged_into_id", "disqualify_reason", "version", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_AT_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_INTEREST_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    UTM_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    MERGED_INTO_ID_FIELD_NUMBER: _ClassVar[int]
    DISQUALIFY_REASON_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    party_id: str
    name: str
    phone: str
    email: str
    company_name: str
    source: str
    campaign: str
    status: LeadStatus
    created_at: _timestamp_pb2.Timestamp
    converted_at: _timestamp_pb2.Timestamp
    owner_id: str
    team_id: str
    product_interest: str
    city: str
    language: str
    utm: Utm
    channel: CaptureChannel
    merged_into_id: str
    disqualify_reason: str
    version: int
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., party_id: _Optional[str] = ..., name: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., company_name: _Optional[str] = ..., source: _Optional[str] = ..., campaign: _Optional[str] = ..., status: _Optional[_Union[LeadStatus, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., converted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., product_interest: _Optional[str] = ..., city: _Optional[str] = ..., language: _Optional[str] = ..., utm: _Optional[_Union[Utm, _Mapping]] = ..., channel: _Optional[_Union[CaptureChannel, str]] = ..., merged_into_id: _Optional[str] = ..., disqualify_reason: _Optional[str] = ..., version: _Optional[int] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateLeadRequest(_message.Message):
    __slots__ = ("name", "phone", "email", "company_name", "source", "campaign", "product_interest", "city", "language", "utm", "channel", "owner_id", "note")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_INTEREST_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    UTM_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    name: str
    phone: str
    email: str
    company_name: str
    source: str
    campaign: str
    product_interest: str
    city: str
    language: str
    utm: Utm
    channel: CaptureChannel
    owner_id: str
    note: str
    def __init__(self, name: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., company_name: _Optional[str] = ..., source: _Optional[str] = ..., campaign: _Optional[str] = ..., product_interest: _Optional[str] = ..., city: _Optional[str] = ..., language: _Optional[str] = ..., utm: _Optional[_Union[Utm, _Mapping]] = ..., channel: _Optional[_Union[CaptureChannel, str]] = ..., owner_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class DuplicateMatch(_message.Message):
    __slots__ = ("kind", "lead_id", "party_id", "name", "matched_on")
    KIND_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MATCHED_ON_FIELD_NUMBER: _ClassVar[int]
    kind: DuplicateKind
    lead_id: str
    party_id: str
    name: str
    matched_on: str
    def __init__(self, kind: _Optional[_Union[DuplicateKind, str]] = ..., lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., name: _Optional[str] = ..., matched_on: _Optional[str] = ...) -> None: ...

class Assignment(_message.Message):
    __slots__ = ("owner_id", "team_id", "rule_id", "strategy")
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    owner_id: str
    team_id: str
    rule_id: str
    strategy: str
    def __init__(self, owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., strategy: _Optional[str] = ...) -> None: ...

class CreateLeadResponse(_message.Message):
    __slots__ = ("lead", "duplicates", "assignment")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    ASSIGNMENT_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    duplicates: _containers.RepeatedCompositeFieldContainer[DuplicateMatch]
    assignment: Assignment
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ..., duplicates: _Optional[_Iterable[_Union[DuplicateMatch, _Mapping]]] = ..., assignment: _Optional[_Union[Assignment, _Mapping]] = ...) -> None: ...

class GetLeadRequest(_message.Message):
    __slots__ = ("lead_id",)
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    def __init__(self, lead_id: _Optional[str] = ...) -> None: ...

class GetLeadResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ...) -> None: ...

class ListLeadsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "status", "owner_id", "mine", "source", "stage_id", "created_after", "created_before", "query", "order_by")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    MINE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AFTER_FIELD_NUMBER: _ClassVar[int]
    CREATED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    ORDER_BY_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    status: LeadStatus
    owner_id: str
    mine: bool
    source: str
    stage_id: str
    created_after: _timestamp_pb2.Timestamp
    created_before: _timestamp_pb2.Timestamp
    query: str
    order_by: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[_Union[LeadStatus, str]] = ..., owner_id: _Optional[str] = ..., mine: _Optional[bool] = ..., source: _Optional[str] = ..., stage_id: _Optional[str] = ..., created_after: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_before: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., query: _Optional[str] = ..., order_by: _Optional[str] = ...) -> None: ...

class ListLeadsResponse(_message.Message):
    __slots__ = ("leads", "next_page_token")
    LEADS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    leads: _containers.RepeatedCompositeFieldContainer[Lead]
    next_page_token: str
    def __init__(self, leads: _Optional[_Iterable[_Union[Lead, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class DealDraft(_message.Message):
    __slots__ = ("title", "amount_agorot", "pipeline_id", "expected_close_date")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    title: str
    amount_agorot: int
    pipeline_id: str
    expected_close_date: str
    def __init__(self, title: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., pipeline_id: _Optional[str] = ..., expected_close_date: _Optional[str] = ...) -> None: ...

class ConvertLeadRequest(_message.Message):
    __slots__ = ("lead_id", "account_name", "create_account", "deal")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NAME_FIELD_NUMBER: _ClassVar[int]
    CREATE_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    DEAL_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    account_name: str
    create_account: bool
    deal: DealDraft
    def __init__(self, lead_id: _Optional[str] = ..., account_name: _Optional[str] = ..., create_account: _Optional[bool] = ..., deal: _Optional[_Union[DealDraft, _Mapping]] = ...) -> None: ...

class ConvertLeadResponse(_message.Message):
    __slots__ = ("lead", "deal")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    DEAL_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    deal: Deal
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ..., deal: _Optional[_Union[Deal, _Mapping]] = ...) -> None: ...

class QualifyLeadRequest(_message.Message):
    __slots__ = ("lead_id", "qualified", "reason")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    QUALIFIED_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    qualified: bool
    reason: str
    def __init__(self, lead_id: _Optional[str] = ..., qualified: _Optional[bool] = ..., reason: _Optional[str] = ...) -> None: ...

class QualifyLeadResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ...) -> None: ...

class AssignLeadRequest(_message.Message):
    __slots__ = ("lead_id", "owner_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    owner_id: str
    def __init__(self, lead_id: _Optional[str] = ..., owner_id: _Optional[str] = ...) -> None: ...

class AssignLeadResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ...) -> None: ...

class LeadActivity(_message.Message):
    __slots__ = ("id", "lead_id", "kind", "body", "actor_id", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    lead_id: str
    kind: str
    body: str
    actor_id: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., lead_id: _Optional[str] = ..., kind: _Optional[str] = ..., body: _Optional[str] = ..., actor_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AddLeadActivityRequest(_message.Message):
    __slots__ = ("lead_id", "kind", "body")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    kind: str
    body: str
    def __init__(self, lead_id: _Optional[str] = ..., kind: _Optional[str] = ..., body: _Optional[str] = ...) -> None: ...

class AddLeadActivityResponse(_message.Message):
    __slots__ = ("activity",)
    ACTIVITY_FIELD_NUMBER: _ClassVar[int]
    activity: LeadActivity
    def __init__(self, activity: _Optional[_Union[LeadActivity, _Mapping]] = ...) -> None: ...

class ListLeadActivitiesRequest(_message.Message):
    __slots__ = ("lead_id",)
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    def __init__(self, lead_id: _Optional[str] = ...) -> None: ...

class ListLeadActivitiesResponse(_message.Message):
    __slots__ = ("activities",)
    ACTIVITIES_FIELD_NUMBER: _ClassVar[int]
    activities: _containers.RepeatedCompositeFieldContainer[LeadActivity]
    def __init__(self, activities: _Optional[_Iterable[_Union[LeadActivity, _Mapping]]] = ...) -> None: ...

class MergeLeadsRequest(_message.Message):
    __slots__ = ("lead_id", "duplicate_lead_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    duplicate_lead_id: str
    def __init__(self, lead_id: _Optional[str] = ..., duplicate_lead_id: _Optional[str] = ...) -> None: ...

class MergeLeadsResponse(_message.Message):
    __slots__ = ("lead",)
    LEAD_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ...) -> None: ...

class LeadSource(_message.Message):
    __slots__ = ("code", "label")
    CODE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    code: str
    label: str
    def __init__(self, code: _Optional[str] = ..., label: _Optional[str] = ...) -> None: ...

class ListLeadSourcesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListLeadSourcesResponse(_message.Message):
    __slots__ = ("sources",)
    SOURCES_FIELD_NUMBER: _ClassVar[int]
    sources: _containers.RepeatedCompositeFieldContainer[LeadSource]
    def __init__(self, sources: _Optional[_Iterable[_Union[LeadSource, _Mapping]]] = ...) -> None: ...

class AddLeadSourceRequest(_message.Message):
    __slots__ = ("code", "label")
    CODE_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    code: str
    label: str
    def __init__(self, code: _Optional[str] = ..., label: _Optional[str] = ...) -> None: ...

class AddLeadSourceResponse(_message.Message):
    __slots__ = ("source",)
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    source: LeadSource
    def __init__(self, source: _Optional[_Union[LeadSource, _Mapping]] = ...) -> None: ...

class WebForm(_message.Message):
    __slots__ = ("id", "name", "form_key", "source", "campaign")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FORM_KEY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    form_key: str
    source: str
    campaign: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., form_key: _Optional[str] = ..., source: _Optional[str] = ..., campaign: _Optional[str] = ...) -> None: ...

class CreateWebFormRequest(_message.Message):
    __slots__ = ("name", "source", "campaign")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    name: str
    source: str
    campaign: str
    def __init__(self, name: _Optional[str] = ..., source: _Optional[str] = ..., campaign: _Optional[str] = ...) -> None: ...

class CreateWebFormResponse(_message.Message):
    __slots__ = ("form",)
    FORM_FIELD_NUMBER: _ClassVar[int]
    form: WebForm
    def __init__(self, form: _Optional[_Union[WebForm, _Mapping]] = ...) -> None: ...

class ResolveWebFormRequest(_message.Message):
    __slots__ = ("form_key",)
    FORM_KEY_FIELD_NUMBER: _ClassVar[int]
    form_key: str
    def __init__(self, form_key: _Optional[str] = ...) -> None: ...

class ResolveWebFormResponse(_message.Message):
    __slots__ = ("tenant_id", "form")
    TENANT_ID_FIELD_NUMBER: _ClassVar[int]
    FORM_FIELD_NUMBER: _ClassVar[int]
    tenant_id: str
    form: WebForm
    def __init__(self, tenant_id: _Optional[str] = ..., form: _Optional[_Union[WebForm, _Mapping]] = ...) -> None: ...

class WebhookEndpoint(_message.Message):
    __slots__ = ("id", "name", "endpoint_key", "secret", "source")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_KEY_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    endpoint_key: str
    secret: str
    source: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., endpoint_key: _Optional[str] = ..., secret: _Optional[str] = ..., source: _Optional[str] = ...) -> None: ...

class CreateWebhookEndpointRequest(_message.Message):
    __slots__ = ("name", "source")
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    name: str
    source: str
    def __init__(self, name: _Optional[str] = ..., source: _Optional[str] = ...) -> None: ...

class CreateWebhookEndpointResponse(_message.Message):
    __slots__ = ("endpoint",)
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    endpoint: WebhookEndpoint
    def __init__(self, endpoint: _Optional[_Union[WebhookEndpoint, _Mapping]] = ...) -> None: ...

class CaptureWebhookLeadRequest(_message.Message):
    __slots__ = ("endpoint_key", "timestamp", "signature", "body")
    ENDPOINT_KEY_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    endpoint_key: str
    timestamp: str
    signature: str
    body: bytes
    def __init__(self, endpoint_key: _Optional[str] = ..., timestamp: _Optional[str] = ..., signature: _Optional[str] = ..., body: _Optional[bytes] = ...) -> None: ...

class CaptureWebhookLeadResponse(_message.Message):
    __slots__ = ("lead", "duplicates")
    LEAD_FIELD_NUMBER: _ClassVar[int]
    DUPLICATES_FIELD_NUMBER: _ClassVar[int]
    lead: Lead
    duplicates: _containers.RepeatedCompositeFieldContainer[DuplicateMatch]
    def __init__(self, lead: _Optional[_Union[Lead, _Mapping]] = ..., duplicates: _Optional[_Iterable[_Union[DuplicateMatch, _Mapping]]] = ...) -> None: ...

class ImportRowError(_message.Message):
    __slots__ = ("row", "field", "message")
    ROW_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    row: int
    field: str
    message: str
    def __init__(self, row: _Optional[int] = ..., field: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class ImportRow(_message.Message):
    __slots__ = ("values",)
    class ValuesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    VALUES_FIELD_NUMBER: _ClassVar[int]
    values: _containers.ScalarMap[str, str]
    def __init__(self, values: _Optional[_Mapping[str, str]] = ...) -> None: ...

class LeadImport(_message.Message):
    __slots__ = ("id", "filename", "status", "columns", "mapping", "total_rows", "processed_rows", "imported_rows", "failed_rows", "errors", "preview", "progress_percent", "default_source")
    class MappingEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COLUMNS_FIELD_NUMBER: _ClassVar[int]
    MAPPING_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ROWS_FIELD_NUMBER: _ClassVar[int]
    PROCESSED_ROWS_FIELD_NUMBER: _ClassVar[int]
    IMPORTED_ROWS_FIELD_NUMBER: _ClassVar[int]
    FAILED_ROWS_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    PREVIEW_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_PERCENT_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_SOURCE_FIELD_NUMBER: _ClassVar[int]
    id: str
    filename: str
    status: str
    columns: _containers.RepeatedScalarFieldContainer[str]
    mapping: _containers.ScalarMap[str, str]
    total_rows: int
    processed_rows: int
    imported_rows: int
    failed_rows: int
    errors: _containers.RepeatedCompositeFieldContainer[ImportRowError]
    preview: _containers.RepeatedCompositeFieldContainer[ImportRow]
    progress_percent: int
    default_source: str
    def __init__(self, id: _Optional[str] = ..., filename: _Optional[str] = ..., status: _Optional[str] = ..., columns: _Optional[_Iterable[str]] = ..., mapping: _Optional[_Mapping[str, str]] = ..., total_rows: _Optional[int] = ..., processed_rows: _Optional[int] = ..., imported_rows: _Optional[int] = ..., failed_rows: _Optional[int] = ..., errors: _Optional[_Iterable[_Union[ImportRowError, _Mapping]]] = ..., preview: _Optional[_Iterable[_Union[ImportRow, _Mapping]]] = ..., progress_percent: _Optional[int] = ..., default_source: _Optional[str] = ...) -> None: ...

class CreateLeadImportRequest(_message.Message):
    __slots__ = ("filename", "content", "default_source")
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_SOURCE_FIELD_NUMBER: _ClassVar[int]
    filename: str
    content: bytes
    default_source: str
    def __init__(self, filename: _Optional[str] = ..., content: _Optional[bytes] = ..., default_source: _Optional[str] = ...) -> None: ...

class CreateLeadImportResponse(_message.Message):
    __slots__ = ("lead_import",)
    LEAD_IMPORT_FIELD_NUMBER: _ClassVar[int]
    lead_import: LeadImport
    def __init__(self, lead_import: _Optional[_Union[LeadImport, _Mapping]] = ...) -> None: ...

class RunLeadImportRequest(_message.Message):
    __slots__ = ("import_id", "mapping", "max_rows")
    class MappingEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    MAPPING_FIELD_NUMBER: _ClassVar[int]
    MAX_ROWS_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    mapping: _containers.ScalarMap[str, str]
    max_rows: int
    def __init__(self, import_id: _Optional[str] = ..., mapping: _Optional[_Mapping[str, str]] = ..., max_rows: _Optional[int] = ...) -> None: ...

class RunLeadImportResponse(_message.Message):
    __slots__ = ("lead_import",)
    LEAD_IMPORT_FIELD_NUMBER: _ClassVar[int]
    lead_import: LeadImport
    def __init__(self, lead_import: _Optional[_Union[LeadImport, _Mapping]] = ...) -> None: ...

class GetLeadImportRequest(_message.Message):
    __slots__ = ("import_id",)
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    def __init__(self, import_id: _Optional[str] = ...) -> None: ...

class GetLeadImportResponse(_message.Message):
    __slots__ = ("lead_import",)
    LEAD_IMPORT_FIELD_NUMBER: _ClassVar[int]
    lead_import: LeadImport
    def __init__(self, lead_import: _Optional[_Union[LeadImport, _Mapping]] = ...) -> None: ...

class SalesTeam(_message.Message):
    __slots__ = ("id", "name", "strategy", "member_ids")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    MEMBER_IDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    strategy: str
    member_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., strategy: _Optional[str] = ..., member_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateSalesTeamRequest(_message.Message):
    __slots__ = ("name", "strategy", "member_ids")
    NAME_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    MEMBER_IDS_FIELD_NUMBER: _ClassVar[int]
    name: str
    strategy: str
    member_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, name: _Optional[str] = ..., strategy: _Optional[str] = ..., member_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class CreateSalesTeamResponse(_message.Message):
    __slots__ = ("team",)
    TEAM_FIELD_NUMBER: _ClassVar[int]
    team: SalesTeam
    def __init__(self, team: _Optional[_Union[SalesTeam, _Mapping]] = ...) -> None: ...

class ListSalesTeamsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSalesTeamsResponse(_message.Message):
    __slots__ = ("teams",)
    TEAMS_FIELD_NUMBER: _ClassVar[int]
    teams: _containers.RepeatedCompositeFieldContainer[SalesTeam]
    def __init__(self, teams: _Optional[_Iterable[_Union[SalesTeam, _Mapping]]] = ...) -> None: ...

class RoutingRule(_message.Message):
    __slots__ = ("id", "position", "name", "source", "product_interest", "city", "language", "team_id", "owner_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_INTEREST_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    position: int
    name: str
    source: str
    product_interest: str
    city: str
    language: str
    team_id: str
    owner_id: str
    def __init__(self, id: _Optional[str] = ..., position: _Optional[int] = ..., name: _Optional[str] = ..., source: _Optional[str] = ..., product_interest: _Optional[str] = ..., city: _Optional[str] = ..., language: _Optional[str] = ..., team_id: _Optional[str] = ..., owner_id: _Optional[str] = ...) -> None: ...

class CreateRoutingRuleRequest(_message.Message):
    __slots__ = ("position", "name", "source", "product_interest", "city", "language", "team_id", "owner_id")
    POSITION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_INTEREST_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    position: int
    name: str
    source: str
    product_interest: str
    city: str
    language: str
    team_id: str
    owner_id: str
    def __init__(self, position: _Optional[int] = ..., name: _Optional[str] = ..., source: _Optional[str] = ..., product_interest: _Optional[str] = ..., city: _Optional[str] = ..., language: _Optional[str] = ..., team_id: _Optional[str] = ..., owner_id: _Optional[str] = ...) -> None: ...

class CreateRoutingRuleResponse(_message.Message):
    __slots__ = ("rule",)
    RULE_FIELD_NUMBER: _ClassVar[int]
    rule: RoutingRule
    def __init__(self, rule: _Optional[_Union[RoutingRule, _Mapping]] = ...) -> None: ...

class ListRoutingRulesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRoutingRulesResponse(_message.Message):
    __slots__ = ("rules",)
    RULES_FIELD_NUMBER: _ClassVar[int]
    rules: _containers.RepeatedCompositeFieldContainer[RoutingRule]
    def __init__(self, rules: _Optional[_Iterable[_Union[RoutingRule, _Mapping]]] = ...) -> None: ...

class Stage(_message.Message):
    __slots__ = ("id", "name", "position", "probability", "kind")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    position: int
    probability: int
    kind: StageKind
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., position: _Optional[int] = ..., probability: _Optional[int] = ..., kind: _Optional[_Union[StageKind, str]] = ...) -> None: ...

class Pipeline(_message.Message):
    __slots__ = ("id", "name", "product_type", "is_default", "stages")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_TYPE_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    product_type: str
    is_default: bool
    stages: _containers.RepeatedCompositeFieldContainer[Stage]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., product_type: _Optional[str] = ..., is_default: _Optional[bool] = ..., stages: _Optional[_Iterable[_Union[Stage, _Mapping]]] = ...) -> None: ...

class StageDraft(_message.Message):
    __slots__ = ("name", "probability", "kind")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    name: str
    probability: int
    kind: StageKind
    def __init__(self, name: _Optional[str] = ..., probability: _Optional[int] = ..., kind: _Optional[_Union[StageKind, str]] = ...) -> None: ...

class CreatePipelineRequest(_message.Message):
    __slots__ = ("name", "product_type", "stages", "is_default")
    NAME_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_TYPE_FIELD_NUMBER: _ClassVar[int]
    STAGES_FIELD_NUMBER: _ClassVar[int]
    IS_DEFAULT_FIELD_NUMBER: _ClassVar[int]
    name: str
    product_type: str
    stages: _containers.RepeatedCompositeFieldContainer[StageDraft]
    is_default: bool
    def __init__(self, name: _Optional[str] = ..., product_type: _Optional[str] = ..., stages: _Optional[_Iterable[_Union[StageDraft, _Mapping]]] = ..., is_default: _Optional[bool] = ...) -> None: ...

class CreatePipelineResponse(_message.Message):
    __slots__ = ("pipeline",)
    PIPELINE_FIELD_NUMBER: _ClassVar[int]
    pipeline: Pipeline
    def __init__(self, pipeline: _Optional[_Union[Pipeline, _Mapping]] = ...) -> None: ...

class ListPipelinesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListPipelinesResponse(_message.Message):
    __slots__ = ("pipelines",)
    PIPELINES_FIELD_NUMBER: _ClassVar[int]
    pipelines: _containers.RepeatedCompositeFieldContainer[Pipeline]
    def __init__(self, pipelines: _Optional[_Iterable[_Union[Pipeline, _Mapping]]] = ...) -> None: ...

class LostReason(_message.Message):
    __slots__ = ("id", "label")
    ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    id: str
    label: str
    def __init__(self, id: _Optional[str] = ..., label: _Optional[str] = ...) -> None: ...

class CreateLostReasonRequest(_message.Message):
    __slots__ = ("label",)
    LABEL_FIELD_NUMBER: _ClassVar[int]
    label: str
    def __init__(self, label: _Optional[str] = ...) -> None: ...

class CreateLostReasonResponse(_message.Message):
    __slots__ = ("reason",)
    REASON_FIELD_NUMBER: _ClassVar[int]
    reason: LostReason
    def __init__(self, reason: _Optional[_Union[LostReason, _Mapping]] = ...) -> None: ...

class ListLostReasonsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListLostReasonsResponse(_message.Message):
    __slots__ = ("reasons",)
    REASONS_FIELD_NUMBER: _ClassVar[int]
    reasons: _containers.RepeatedCompositeFieldContainer[LostReason]
    def __init__(self, reasons: _Optional[_Iterable[_Union[LostReason, _Mapping]]] = ...) -> None: ...

class StageChange(_message.Message):
    __slots__ = ("from_stage_id", "to_stage_id", "changed_by", "changed_at")
    FROM_STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    from_stage_id: str
    to_stage_id: str
    changed_by: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, from_stage_id: _Optional[str] = ..., to_stage_id: _Optional[str] = ..., changed_by: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Deal(_message.Message):
    __slots__ = ("id", "title", "pipeline_id", "stage_id", "lead_id", "party_id", "account_name", "amount_agorot", "currency", "expected_close_date", "probability", "owner_id", "status", "lost_reason_id", "version", "created_at", "closed_at", "history")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NAME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LOST_REASON_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    CLOSED_AT_FIELD_NUMBER: _ClassVar[int]
    HISTORY_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    pipeline_id: str
    stage_id: str
    lead_id: str
    party_id: str
    account_name: str
    amount_agorot: int
    currency: str
    expected_close_date: str
    probability: int
    owner_id: str
    status: DealStatus
    lost_reason_id: str
    version: int
    created_at: _timestamp_pb2.Timestamp
    closed_at: _timestamp_pb2.Timestamp
    history: _containers.RepeatedCompositeFieldContainer[StageChange]
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., stage_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., account_name: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., currency: _Optional[str] = ..., expected_close_date: _Optional[str] = ..., probability: _Optional[int] = ..., owner_id: _Optional[str] = ..., status: _Optional[_Union[DealStatus, str]] = ..., lost_reason_id: _Optional[str] = ..., version: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., closed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., history: _Optional[_Iterable[_Union[StageChange, _Mapping]]] = ...) -> None: ...

class CreateDealRequest(_message.Message):
    __slots__ = ("title", "pipeline_id", "lead_id", "party_id", "account_name", "amount_agorot", "expected_close_date", "owner_id")
    TITLE_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NAME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    title: str
    pipeline_id: str
    lead_id: str
    party_id: str
    account_name: str
    amount_agorot: int
    expected_close_date: str
    owner_id: str
    def __init__(self, title: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., account_name: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., expected_close_date: _Optional[str] = ..., owner_id: _Optional[str] = ...) -> None: ...

class CreateDealResponse(_message.Message):
    __slots__ = ("deal",)
    DEAL_FIELD_NUMBER: _ClassVar[int]
    deal: Deal
    def __init__(self, deal: _Optional[_Union[Deal, _Mapping]] = ...) -> None: ...

class GetDealRequest(_message.Message):
    __slots__ = ("deal_id",)
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    def __init__(self, deal_id: _Optional[str] = ...) -> None: ...

class GetDealResponse(_message.Message):
    __slots__ = ("deal",)
    DEAL_FIELD_NUMBER: _ClassVar[int]
    deal: Deal
    def __init__(self, deal: _Optional[_Union[Deal, _Mapping]] = ...) -> None: ...

class ListDealsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "status", "owner_id", "mine", "stage_id", "pipeline_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    MINE_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    status: DealStatus
    owner_id: str
    mine: bool
    stage_id: str
    pipeline_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[_Union[DealStatus, str]] = ..., owner_id: _Optional[str] = ..., mine: _Optional[bool] = ..., stage_id: _Optional[str] = ..., pipeline_id: _Optional[str] = ...) -> None: ...

class ListDealsResponse(_message.Message):
    __slots__ = ("deals", "next_page_token")
    DEALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    deals: _containers.RepeatedCompositeFieldContainer[Deal]
    next_page_token: str
    def __init__(self, deals: _Optional[_Iterable[_Union[Deal, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class MoveDealStageRequest(_message.Message):
    __slots__ = ("deal_id", "stage_id", "expected_version", "lost_reason_id", "note")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    LOST_REASON_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    stage_id: str
    expected_version: int
    lost_reason_id: str
    note: str
    def __init__(self, deal_id: _Optional[str] = ..., stage_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., lost_reason_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class MoveDealStageResponse(_message.Message):
    __slots__ = ("deal",)
    DEAL_FIELD_NUMBER: _ClassVar[int]
    deal: Deal
    def __init__(self, deal: _Optional[_Union[Deal, _Mapping]] = ...) -> None: ...

class SalesTarget(_message.Message):
    __slots__ = ("id", "owner_id", "team_id", "period", "period_start", "amount_agorot", "deal_count", "actual_amount_agorot", "actual_deal_count")
    ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    DEAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_DEAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    owner_id: str
    team_id: str
    period: TargetPeriod
    period_start: str
    amount_agorot: int
    deal_count: int
    actual_amount_agorot: int
    actual_deal_count: int
    def __init__(self, id: _Optional[str] = ..., owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., period: _Optional[_Union[TargetPeriod, str]] = ..., period_start: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., deal_count: _Optional[int] = ..., actual_amount_agorot: _Optional[int] = ..., actual_deal_count: _Optional[int] = ...) -> None: ...

class SetSalesTargetRequest(_message.Message):
    __slots__ = ("owner_id", "team_id", "period", "period_start", "amount_agorot", "deal_count")
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    PERIOD_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    DEAL_COUNT_FIELD_NUMBER: _ClassVar[int]
    owner_id: str
    team_id: str
    period: TargetPeriod
    period_start: str
    amount_agorot: int
    deal_count: int
    def __init__(self, owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., period: _Optional[_Union[TargetPeriod, str]] = ..., period_start: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., deal_count: _Optional[int] = ...) -> None: ...

class SetSalesTargetResponse(_message.Message):
    __slots__ = ("target",)
    TARGET_FIELD_NUMBER: _ClassVar[int]
    target: SalesTarget
    def __init__(self, target: _Optional[_Union[SalesTarget, _Mapping]] = ...) -> None: ...

class ListSalesTargetsRequest(_message.Message):
    __slots__ = ("period_start",)
    PERIOD_START_FIELD_NUMBER: _ClassVar[int]
    period_start: str
    def __init__(self, period_start: _Optional[str] = ...) -> None: ...

class ListSalesTargetsResponse(_message.Message):
    __slots__ = ("targets",)
    TARGETS_FIELD_NUMBER: _ClassVar[int]
    targets: _containers.RepeatedCompositeFieldContainer[SalesTarget]
    def __init__(self, targets: _Optional[_Iterable[_Union[SalesTarget, _Mapping]]] = ...) -> None: ...
