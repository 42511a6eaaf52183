import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CustomerTransferred(_message.Message):
    __slots__ = ("party_id", "from_user_id", "to_user_id", "by_user_id", "tasks_moved", "transferred_at", "move_deals")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    FROM_USER_ID_FIELD_NUMBER: _ClassVar[int]
    TO_USER_ID_FIELD_NUMBER: _ClassVar[int]
    BY_USER_ID_FIELD_NUMBER: _ClassVar[int]
    TASKS_MOVED_FIELD_NUMBER: _ClassVar[int]
    TRANSFERRED_AT_FIELD_NUMBER: _ClassVar[int]
    MOVE_DEALS_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    from_user_id: str
    to_user_id: str
    by_user_id: str
    tasks_moved: int
    transferred_at: _timestamp_pb2.Timestamp
    move_deals: bool
    def __init__(self, party_id: _Optional[str] = ..., from_user_id: _Optional[str] = ..., to_user_id: _Optional[str] = ..., by_user_id: _Optional[str] = ..., tasks_moved: _Optional[int] = ..., transferred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., move_deals: _Optional[bool] = ...) -> None: ...

class BirthdayDue(_message.Message):
    __slots__ = ("party_id", "contact_id", "occasion", "first_name", "last_name", "phones", "emails", "date", "years", "time_zone")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    OCCASION_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONES_FIELD_NUMBER: _ClassVar[int]
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    DATE_FIELD_NUMBER: _ClassVar[int]
    YEARS_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    contact_id: str
    occasion: str
    first_name: str
    last_name: str
    phones: _containers.RepeatedScalarFieldContainer[str]
    emails: _containers.RepeatedScalarFieldContainer[str]
    date: str
    years: int
    time_zone: str
    def __init__(self, party_id: _Optional[str] = ..., contact_id: _Optional[str] = ..., occasion: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., phones: _Optional[_Iterable[str]] = ..., emails: _Optional[_Iterable[str]] = ..., date: _Optional[str] = ..., years: _Optional[int] = ..., time_zone: _Optional[str] = ...) -> None: ...

class ContactChanged(_message.Message):
    __slots__ = ("party_id", "contact_id", "account_id", "name", "emails", "phones", "custom_fields", "owner_user_id", "changed_at")
    class CustomFieldsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    PHONES_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELDS_FIELD_NUMBER: _ClassVar[int]
    OWNER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    contact_id: str
    account_id: str
    name: str
    emails: _containers.RepeatedScalarFieldContainer[str]
    phones: _containers.RepeatedScalarFieldContainer[str]
    custom_fields: _containers.ScalarMap[str, str]
    owner_user_id: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, party_id: _Optional[str] = ..., contact_id: _Optional[str] = ..., account_id: _Optional[str] = ..., name: _Optional[str] = ..., emails: _Optional[_Iterable[str]] = ..., phones: _Optional[_Iterable[str]] = ..., custom_fields: _Optional[_Mapping[str, str]] = ..., owner_user_id: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ContactsChanged(_message.Message):
    __slots__ = ("contacts", "batch_id", "origin", "part")
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    BATCH_ID_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    PART_FIELD_NUMBER: _ClassVar[int]
    contacts: _containers.RepeatedCompositeFieldContainer[ContactChanged]
    batch_id: str
    origin: str
    part: int
    def __init__(self, contacts: _Optional[_Iterable[_Union[ContactChanged, _Mapping]]] = ..., batch_id: _Optional[str] = ..., origin: _Optional[str] = ..., part: _Optional[int] = ...) -> None: ...

class AccountChanged(_message.Message):
    __slots__ = ("party_id", "account_id", "name", "company_number", "custom_fields", "owner_user_id", "changed_at")
    class CustomFieldsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELDS_FIELD_NUMBER: _ClassVar[int]
    OWNER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGED_AT_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    account_id: str
    name: str
    company_number: str
    custom_fields: _containers.ScalarMap[str, str]
    owner_user_id: str
    changed_at: _timestamp_pb2.Timestamp
    def __init__(self, party_id: _Optional[str] = ..., account_id: _Optional[str] = ..., name: _Optional[str] = ..., company_number: _Optional[str] = ..., custom_fields: _Optional[_Mapping[str, str]] = ..., owner_user_id: _Optional[str] = ..., changed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
