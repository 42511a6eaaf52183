import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DealCreated(_message.Message):
    __slots__ = ("deal_id", "pipeline_id", "stage_id", "lead_id", "party_id", "title", "amount_agorot", "currency", "owner_id", "expected_close_date", "created_at")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_CLOSE_DATE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    pipeline_id: str
    stage_id: str
    lead_id: str
    party_id: str
    title: str
    amount_agorot: int
    currency: str
    owner_id: str
    expected_close_date: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, deal_id: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., stage_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., title: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., currency: _Optional[str] = ..., owner_id: _Optional[str] = ..., expected_close_date: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DealStageChanged(_message.Message):
    __slots__ = ("deal_id", "from_stage_id", "to_stage_id", "to_stage_name", "probability", "changed_by", "changed_at")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_ID_FIELD_NUMBER: _ClassVar[int]
    TO_STAGE_NAME_FIELD_NUMBER: _ClassVar[int]
    PROBABILITY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_BY_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    from_stage_id: str
    to_stage_id: str
    to_stage_name: str
    probability: int
    changed_by: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, deal_id: _Optional[str] = ..., from_stage_id: _Optional[str] = ..., to_stage_id: _Optional[str] = ..., to_stage_name: _Optional[str] = ..., probability: _Optional[int] = ..., changed_by: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DealWon(_message.Message):
    __slots__ = ("deal_id", "party_id", "lead_id", "title", "account_name", "amount_agorot", "currency", "owner_id", "pipeline_id", "won_at", "party_name", "party_phone", "party_email", "party_company_name")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NAME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    PIPELINE_ID_FIELD_NUMBER: _ClassVar[int]
    WON_AT_FIELD_NUMBER: _ClassVar[int]
    PARTY_NAME_FIELD_NUMBER: _ClassVar[int]
    PARTY_PHONE_FIELD_NUMBER: _ClassVar[int]
    PARTY_EMAIL_FIELD_NUMBER: _ClassVar[int]
    PARTY_COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    party_id: str
    lead_id: str
    title: str
    account_name: str
    amount_agorot: int
    currency: str
    owner_id: str
    pipeline_id: str
    won_at: _timestamp_pb2.Timestamp
    party_name: str
    party_phone: str
    party_email: str
    party_company_name: str
    def __init__(self, deal_id: _Optional[str] = ..., party_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., title: _Optional[str] = ..., account_name: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., currency: _Optional[str] = ..., owner_id: _Optional[str] = ..., pipeline_id: _Optional[str] = ..., won_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., party_name: _Optional[str] = ..., party_phone: _Optional[str] = ..., party_email: _Optional[str] = ..., party_company_name: _Optional[str] = ...) -> None: ...

class DealLost(_message.Message):
    __slots__ = ("deal_id", "party_id", "lost_reason_id", "lost_reason", "amount_agorot", "owner_id", "lost_at")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    LOST_REASON_ID_FIELD_NUMBER: _ClassVar[int]
    LOST_REASON_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    LOST_AT_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    party_id: str
    lost_reason_id: str
    lost_reason: str
    amount_agorot: int
    owner_id: str
    lost_at: _timestamp_pb2.Timestamp
    def __init__(self, deal_id: _Optional[str] = ..., party_id: _Optional[str] = ..., lost_reason_id: _Optional[str] = ..., lost_reason: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., owner_id: _Optional[str] = ..., lost_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
