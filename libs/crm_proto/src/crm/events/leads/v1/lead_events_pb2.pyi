import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LeadCaptured(_message.Message):
    __slots__ = ("lead_id", "party_id", "name", "phone", "email", "company_name", "source", "campaign", "captured_at", "channel", "product_interest", "city", "utm_source", "utm_medium", "utm_campaign", "duplicate_of_lead_id", "duplicate_of_party_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    CAPTURED_AT_FIELD_NUMBER: _ClassVar[int]
    CHANNEL_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_INTEREST_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    UTM_SOURCE_FIELD_NUMBER: _ClassVar[int]
    UTM_MEDIUM_FIELD_NUMBER: _ClassVar[int]
    UTM_CAMPAIGN_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_OF_LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_OF_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    party_id: str
    name: str
    phone: str
    email: str
    company_name: str
    source: str
    campaign: str
    captured_at: _timestamp_pb2.Timestamp
    channel: str
    product_interest: str
    city: str
    utm_source: str
    utm_medium: str
    utm_campaign: str
    duplicate_of_lead_id: str
    duplicate_of_party_id: str
    def __init__(self, lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., name: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., company_name: _Optional[str] = ..., source: _Optional[str] = ..., campaign: _Optional[str] = ..., captured_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., channel: _Optional[str] = ..., product_interest: _Optional[str] = ..., city: _Optional[str] = ..., utm_source: _Optional[str] = ..., utm_medium: _Optional[str] = ..., utm_campaign: _Optional[str] = ..., duplicate_of_lead_id: _Optional[str] = ..., duplicate_of_party_id: _Optional[str] = ...) -> None: ...

class LeadConverted(_message.Message):
    __slots__ = ("lead_id", "party_id", "name", "phone", "email", "company_name", "source", "converted_at", "account_name", "deal_id", "owner_id")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    CONVERTED_AT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NAME_FIELD_NUMBER: _ClassVar[int]
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    party_id: str
    name: str
    phone: str
    email: str
    company_name: str
    source: str
    converted_at: _timestamp_pb2.Timestamp
    account_name: str
    deal_id: str
    owner_id: str
    def __init__(self, lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., name: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., company_name: _Optional[str] = ..., source: _Optional[str] = ..., converted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., account_name: _Optional[str] = ..., deal_id: _Optional[str] = ..., owner_id: _Optional[str] = ...) -> None: ...

class LeadAssigned(_message.Message):
    __slots__ = ("lead_id", "party_id", "owner_id", "previous_owner_id", "team_id", "rule_id", "strategy", "assigned_at")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    TEAM_ID_FIELD_NUMBER: _ClassVar[int]
    RULE_ID_FIELD_NUMBER: _ClassVar[int]
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    ASSIGNED_AT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    party_id: str
    owner_id: str
    previous_owner_id: str
    team_id: str
    rule_id: str
    strategy: str
    assigned_at: _timestamp_pb2.Timestamp
    def __init__(self, lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., previous_owner_id: _Optional[str] = ..., team_id: _Optional[str] = ..., rule_id: _Optional[str] = ..., strategy: _Optional[str] = ..., assigned_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LeadQualified(_message.Message):
    __slots__ = ("lead_id", "party_id", "owner_id", "qualified_at")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_ID_FIELD_NUMBER: _ClassVar[int]
    QUALIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    party_id: str
    owner_id: str
    qualified_at: _timestamp_pb2.Timestamp
    def __init__(self, lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., owner_id: _Optional[str] = ..., qualified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LeadDisqualified(_message.Message):
    __slots__ = ("lead_id", "party_id", "reason", "disqualified_at")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    DISQUALIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    party_id: str
    reason: str
    disqualified_at: _timestamp_pb2.Timestamp
    def __init__(self, lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., reason: _Optional[str] = ..., disqualified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LeadMerged(_message.Message):
    __slots__ = ("lead_id", "duplicate_lead_id", "party_id", "duplicate_party_id", "merged_at")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    MERGED_AT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    duplicate_lead_id: str
    party_id: str
    duplicate_party_id: str
    merged_at: _timestamp_pb2.Timestamp
    def __init__(self, lead_id: _Optional[str] = ..., duplicate_lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., duplicate_party_id: _Optional[str] = ..., merged_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class LeadActivityAdded(_message.Message):
    __slots__ = ("lead_id", "party_id", "activity_id", "kind", "body", "actor_id", "added_at")
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ACTIVITY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    ACTOR_ID_FIELD_NUMBER: _ClassVar[int]
    ADDED_AT_FIELD_NUMBER: _ClassVar[int]
    lead_id: str
    party_id: str
    activity_id: str
    kind: str
    body: str
    actor_id: str
    added_at: _timestamp_pb2.Timestamp
    def __init__(self, lead_id: _Optional[str] = ..., party_id: _Optional[str] = ..., activity_id: _Optional[str] = ..., kind: _Optional[str] = ..., body: _Optional[str] = ..., actor_id: _Optional[str] = ..., added_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
