import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FieldDefinition(_message.Message):
    __slots__ = ("id", "entity", "section_id", "key", "label_he", "label_en", "type", "required", "options", "position", "visible")
    ID_FIELD_NUMBER: _ClassVar[int]
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    SECTION_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    LABEL_HE_FIELD_NUMBER: _ClassVar[int]
    LABEL_EN_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    VISIBLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    entity: str
    section_id: str
    key: str
    label_he: str
    label_en: str
    type: str
    required: bool
    options: _containers.RepeatedScalarFieldContainer[str]
    position: int
    visible: bool
    def __init__(self, id: _Optional[str] = ..., entity: _Optional[str] = ..., section_id: _Optional[str] = ..., key: _Optional[str] = ..., label_he: _Optional[str] = ..., label_en: _Optional[str] = ..., type: _Optional[str] = ..., required: _Optional[bool] = ..., options: _Optional[_Iterable[str]] = ..., position: _Optional[int] = ..., visible: _Optional[bool] = ...) -> None: ...

class DefineFieldRequest(_message.Message):
    __slots__ = ("field",)
    FIELD_FIELD_NUMBER: _ClassVar[int]
    field: FieldDefinition
    def __init__(self, field: _Optional[_Union[FieldDefinition, _Mapping]] = ...) -> None: ...

class DefineFieldResponse(_message.Message):
    __slots__ = ("field",)
    FIELD_FIELD_NUMBER: _ClassVar[int]
    field: FieldDefinition
    def __init__(self, field: _Optional[_Union[FieldDefinition, _Mapping]] = ...) -> None: ...

class ListFieldsRequest(_message.Message):
    __slots__ = ("entity", "section_id")
    ENTITY_FIELD_NUMBER: _ClassVar[int]
    SECTION_ID_FIELD_NUMBER: _ClassVar[int]
    entity: str
    section_id: str
    def __init__(self, entity: _Optional[str] = ..., section_id: _Optional[str] = ...) -> None: ...

class ListFieldsResponse(_message.Message):
    __slots__ = ("fields",)
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    fields: _containers.RepeatedCompositeFieldContainer[FieldDefinition]
    def __init__(self, fields: _Optional[_Iterable[_Union[FieldDefinition, _Mapping]]] = ...) -> None: ...

class ArchiveFieldRequest(_message.Message):
    __slots__ = ("field_id",)
    FIELD_ID_FIELD_NUMBER: _ClassVar[int]
    field_id: str
    def __init__(self, field_id: _Optional[str] = ...) -> None: ...

class ArchiveFieldResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Address(_message.Message):
    __slots__ = ("kind", "street", "city", "zip", "country")
    KIND_FIELD_NUMBER: _ClassVar[int]
    STREET_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    ZIP_FIELD_NUMBER: _ClassVar[int]
    COUNTRY_FIELD_NUMBER: _ClassVar[int]
    kind: str
    street: str
    city: str
    zip: str
    country: str
    def __init__(self, kind: _Optional[str] = ..., street: _Optional[str] = ..., city: _Optional[str] = ..., zip: _Optional[str] = ..., country: _Optional[str] = ...) -> None: ...

class Account(_message.Message):
    __slots__ = ("id", "party_id", "name", "company_number", "primary_contact_id", "owner_user_id", "addresses", "custom", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    party_id: str
    name: str
    company_number: str
    primary_contact_id: str
    owner_user_id: str
    addresses: _containers.RepeatedCompositeFieldContainer[Address]
    custom: _struct_pb2.Struct
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., party_id: _Optional[str] = ..., name: _Optional[str] = ..., company_number: _Optional[str] = ..., primary_contact_id: _Optional[str] = ..., owner_user_id: _Optional[str] = ..., addresses: _Optional[_Iterable[_Union[Address, _Mapping]]] = ..., custom: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Contact(_message.Message):
    __slots__ = ("id", "party_id", "account_id", "first_name", "last_name", "id_number", "phones", "emails", "birthday", "anniversary", "owner_user_id", "addresses", "custom", "created_at", "updated_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PHONES_FIELD_NUMBER: _ClassVar[int]
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    BIRTHDAY_FIELD_NUMBER: _ClassVar[int]
    ANNIVERSARY_FIELD_NUMBER: _ClassVar[int]
    OWNER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    party_id: str
    account_id: str
    first_name: str
    last_name: str
    id_number: str
    phones: _containers.RepeatedScalarFieldContainer[str]
    emails: _containers.RepeatedScalarFieldContainer[str]
    birthday: str
    anniversary: str
    owner_user_id: str
    addresses: _containers.RepeatedCompositeFieldContainer[Address]
    custom: _struct_pb2.Struct
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., party_id: _Optional[str] = ..., account_id: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., id_number: _Optional[str] = ..., phones: _Optional[_Iterable[str]] = ..., emails: _Optional[_Iterable[str]] = ..., birthday: _Optional[str] = ..., anniversary: _Optional[str] = ..., owner_user_id: _Optional[str] = ..., addresses: _Optional[_Iterable[_Union[Address, _Mapping]]] = ..., custom: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateAccountRequest(_message.Message):
    __slots__ = ("name", "company_number", "owner_user_id", "addresses", "custom")
    NAME_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NUMBER_FIELD_NUMBER: _ClassVar[int]
    OWNER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELD_NUMBER: _ClassVar[int]
    name: str
    company_number: str
    owner_user_id: str
    addresses: _containers.RepeatedCompositeFieldContainer[Address]
    custom: _struct_pb2.Struct
    def __init__(self, name: _Optional[str] = ..., company_number: _Optional[str] = ..., owner_user_id: _Optional[str] = ..., addresses: _Optional[_Iterable[_Union[Address, _Mapping]]] = ..., custom: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class CreateAccountResponse(_message.Message):
    __slots__ = ("account",)
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    account: Account
    def __init__(self, account: _Optional[_Union[Account, _Mapping]] = ...) -> None: ...

class GetAccountRequest(_message.Message):
    __slots__ = ("account_id",)
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    def __init__(self, account_id: _Optional[str] = ...) -> None: ...

class GetAccountResponse(_message.Message):
    __slots__ = ("account", "contacts")
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    account: Account
    contacts: _containers.RepeatedCompositeFieldContainer[Contact]
    def __init__(self, account: _Optional[_Union[Account, _Mapping]] = ..., contacts: _Optional[_Iterable[_Union[Contact, _Mapping]]] = ...) -> None: ...

class SetPrimaryContactRequest(_message.Message):
    __slots__ = ("account_id", "contact_id")
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    contact_id: str
    def __init__(self, account_id: _Optional[str] = ..., contact_id: _Optional[str] = ...) -> None: ...

class SetPrimaryContactResponse(_message.Message):
    __slots__ = ("account",)
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    account: Account
    def __init__(self, account: _Optional[_Union[Account, _Mapping]] = ...) -> None: ...

class CreateContactRequest(_message.Message):
    __slots__ = ("first_name", "last_name", "account_id", "id_number", "phones", "emails", "birthday", "anniversary", "owner_user_id", "addresses", "custom")
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    ID_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PHONES_FIELD_NUMBER: _ClassVar[int]
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    BIRTHDAY_FIELD_NUMBER: _ClassVar[int]
    ANNIVERSARY_FIELD_NUMBER: _ClassVar[int]
    OWNER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESSES_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELD_NUMBER: _ClassVar[int]
    first_name: str
    last_name: str
    account_id: str
    id_number: str
    phones: _containers.RepeatedScalarFieldContainer[str]
    emails: _containers.RepeatedScalarFieldContainer[str]
    birthday: str
    anniversary: str
    owner_user_id: str
    addresses: _containers.RepeatedCompositeFieldContainer[Address]
    custom: _struct_pb2.Struct
    def __init__(self, first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., account_id: _Optional[str] = ..., id_number: _Optional[str] = ..., phones: _Optional[_Iterable[str]] = ..., emails: _Optional[_Iterable[str]] = ..., birthday: _Optional[str] = ..., anniversary: _Optional[str] = ..., owner_user_id: _Optional[str] = ..., addresses: _Optional[_Iterable[_Union[Address, _Mapping]]] = ..., custom: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class CreateContactResponse(_message.Message):
    __slots__ = ("contact",)
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    contact: Contact
    def __init__(self, contact: _Optional[_Union[Contact, _Mapping]] = ...) -> None: ...

class GetContactRequest(_message.Message):
    __slots__ = ("contact_id",)
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    def __init__(self, contact_id: _Optional[str] = ...) -> None: ...

class GetContactResponse(_message.Message):
    __slots__ = ("contact",)
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    contact: Contact
    def __init__(self, contact: _Optional[_Union[Contact, _Mapping]] = ...) -> None: ...

class UpdateContactRequest(_message.Message):
    __slots__ = ("contact_id", "first_name", "last_name", "replace_phones", "phones", "replace_emails", "emails", "birthday", "custom")
    CONTACT_ID_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    REPLACE_PHONES_FIELD_NUMBER: _ClassVar[int]
    PHONES_FIELD_NUMBER: _ClassVar[int]
    REPLACE_EMAILS_FIELD_NUMBER: _ClassVar[int]
    EMAILS_FIELD_NUMBER: _ClassVar[int]
    BIRTHDAY_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELD_NUMBER: _ClassVar[int]
    contact_id: str
    first_name: str
    last_name: str
    replace_phones: bool
    phones: _containers.RepeatedScalarFieldContainer[str]
    replace_emails: bool
    emails: _containers.RepeatedScalarFieldContainer[str]
    birthday: str
    custom: _struct_pb2.Struct
    def __init__(self, contact_id: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., replace_phones: _Optional[bool] = ..., phones: _Optional[_Iterable[str]] = ..., replace_emails: _Optional[bool] = ..., emails: _Optional[_Iterable[str]] = ..., birthday: _Optional[str] = ..., custom: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class UpdateContactResponse(_message.Message):
    __slots__ = ("contact",)
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    contact: Contact
    def __init__(self, contact: _Optional[_Union[Contact, _Mapping]] = ...) -> None: ...

class LookupByPhoneRequest(_message.Message):
    __slots__ = ("phone",)
    PHONE_FIELD_NUMBER: _ClassVar[int]
    phone: str
    def __init__(self, phone: _Optional[str] = ...) -> None: ...

class LookupByPhoneResponse(_message.Message):
    __slots__ = ("contacts",)
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    contacts: _containers.RepeatedCompositeFieldContainer[Contact]
    def __init__(self, contacts: _Optional[_Iterable[_Union[Contact, _Mapping]]] = ...) -> None: ...

class Section(_message.Message):
    __slots__ = ("id", "name", "always_open", "position", "fields")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ALWAYS_OPEN_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    always_open: bool
    position: int
    fields: _containers.RepeatedCompositeFieldContainer[FieldDefinition]
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., always_open: _Optional[bool] = ..., position: _Optional[int] = ..., fields: _Optional[_Iterable[_Union[FieldDefinition, _Mapping]]] = ...) -> None: ...

class CreateSectionRequest(_message.Message):
    __slots__ = ("name", "always_open", "position")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ALWAYS_OPEN_FIELD_NUMBER: _ClassVar[int]
    POSITION_FIELD_NUMBER: _ClassVar[int]
    name: str
    always_open: bool
    position: int
    def __init__(self, name: _Optional[str] = ..., always_open: _Optional[bool] = ..., position: _Optional[int] = ...) -> None: ...

class CreateSectionResponse(_message.Message):
    __slots__ = ("section",)
    SECTION_FIELD_NUMBER: _ClassVar[int]
    section: Section
    def __init__(self, section: _Optional[_Union[Section, _Mapping]] = ...) -> None: ...

class UpdateSectionRequest(_message.Message):
    __slots__ = ("section_id", "name", "always_open")
    SECTION_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ALWAYS_OPEN_FIELD_NUMBER: _ClassVar[int]
    section_id: str
    name: str
    always_open: bool
    def __init__(self, section_id: _Optional[str] = ..., name: _Optional[str] = ..., always_open: _Optional[bool] = ...) -> None: ...

class UpdateSectionResponse(_message.Message):
    __slots__ = ("section",)
    SECTION_FIELD_NUMBER: _ClassVar[int]
    section: Section
    def __init__(self, section: _Optional[_Union[Section, _Mapping]] = ...) -> None: ...

class ListSectionsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListSectionsResponse(_message.Message):
    __slots__ = ("sections",)
    SECTIONS_FIELD_NUMBER: _ClassVar[int]
    sections: _containers.RepeatedCompositeFieldContainer[Section]
    def __init__(self, sections: _Optional[_Iterable[_Union[Section, _Mapping]]] = ...) -> None: ...

class SectionRecord(_message.Message):
    __slots__ = ("id", "section_id", "party_id", "values", "corrects_id", "corrected_by_id", "author_user_id", "note", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    SECTION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    CORRECTS_ID_FIELD_NUMBER: _ClassVar[int]
    CORRECTED_BY_ID_FIELD_NUMBER: _ClassVar[int]
    AUTHOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    section_id: str
    party_id: str
    values: _struct_pb2.Struct
    corrects_id: str
    corrected_by_id: str
    author_user_id: str
    note: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., section_id: _Optional[str] = ..., party_id: _Optional[str] = ..., values: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., corrects_id: _Optional[str] = ..., corrected_by_id: _Optional[str] = ..., author_user_id: _Optional[str] = ..., note: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class AddSectionRecordRequest(_message.Message):
    __slots__ = ("section_id", "party_id", "values", "corrects_id", "note")
    SECTION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    CORRECTS_ID_FIELD_NUMBER: _ClassVar[int]
    NOTE_FIELD_NUMBER: _ClassVar[int]
    section_id: str
    party_id: str
    values: _struct_pb2.Struct
    corrects_id: str
    note: str
    def __init__(self, section_id: _Optional[str] = ..., party_id: _Optional[str] = ..., values: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., corrects_id: _Optional[str] = ..., note: _Optional[str] = ...) -> None: ...

class AddSectionRecordResponse(_message.Message):
    __slots__ = ("record",)
    RECORD_FIELD_NUMBER: _ClassVar[int]
    record: SectionRecord
    def __init__(self, record: _Optional[_Union[SectionRecord, _Mapping]] = ...) -> None: ...

class ListPartyRecordsRequest(_message.Message):
    __slots__ = ("section_id", "party_id")
    SECTION_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    section_id: str
    party_id: str
    def __init__(self, section_id: _Optional[str] = ..., party_id: _Optional[str] = ...) -> None: ...

class ListPartyRecordsResponse(_message.Message):
    __slots__ = ("records",)
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[SectionRecord]
    def __init__(self, records: _Optional[_Iterable[_Union[SectionRecord, _Mapping]]] = ...) -> None: ...

class ListSectionRecordsRequest(_message.Message):
    __slots__ = ("section_id", "filters", "page_size", "page_token")
    SECTION_ID_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    section_id: str
    filters: _struct_pb2.Struct
    page_size: int
    page_token: str
    def __init__(self, section_id: _Optional[str] = ..., filters: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSectionRecordsResponse(_message.Message):
    __slots__ = ("records", "next_page_token")
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    records: _containers.RepeatedCompositeFieldContainer[SectionRecord]
    next_page_token: str
    def __init__(self, records: _Optional[_Iterable[_Union[SectionRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class TimelineEntry(_message.Message):
    __slots__ = ("id", "party_id", "kind", "occurred_at", "title", "body", "source", "actor_user_id", "data")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    OCCURRED_AT_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    BODY_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    ACTOR_USER_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    id: str
    party_id: str
    kind: str
    occurred_at: _timestamp_pb2.Timestamp
    title: str
    body: str
    source: str
    actor_user_id: str
    data: _struct_pb2.Struct
    def __init__(self, id: _Optional[str] = ..., party_id: _Optional[str] = ..., kind: _Optional[str] = ..., occurred_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., title: _Optional[str] = ..., body: _Optional[str] = ..., source: _Optional[str] = ..., actor_user_id: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class ListTimelineRequest(_message.Message):
    __slots__ = ("party_id", "kinds", "page_size", "page_token")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    KINDS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    kinds: _containers.RepeatedScalarFieldContainer[str]
    page_size: int
    page_token: str
    def __init__(self, party_id: _Optional[str] = ..., kinds: _Optional[_Iterable[str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListTimelineResponse(_message.Message):
    __slots__ = ("entries", "next_page_token")
    ENTRIES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    entries: _containers.RepeatedCompositeFieldContainer[TimelineEntry]
    next_page_token: str
    def __init__(self, entries: _Optional[_Iterable[_Union[TimelineEntry, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class AddNoteRequest(_message.Message):
    __slots__ = ("party_id", "text")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    text: str
    def __init__(self, party_id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class AddNoteResponse(_message.Message):
    __slots__ = ("entry",)
    ENTRY_FIELD_NUMBER: _ClassVar[int]
    entry: TimelineEntry
    def __init__(self, entry: _Optional[_Union[TimelineEntry, _Mapping]] = ...) -> None: ...

class TransferCustomerRequest(_message.Message):
    __slots__ = ("party_id", "to_user_id", "include_open_tasks", "include_open_deals")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TO_USER_ID_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_OPEN_TASKS_FIELD_NUMBER: _ClassVar[int]
    INCLUDE_OPEN_DEALS_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    to_user_id: str
    include_open_tasks: bool
    include_open_deals: bool
    def __init__(self, party_id: _Optional[str] = ..., to_user_id: _Optional[str] = ..., include_open_tasks: _Optional[bool] = ..., include_open_deals: _Optional[bool] = ...) -> None: ...

class TransferCustomerResponse(_message.Message):
    __slots__ = ("tasks_moved",)
    TASKS_MOVED_FIELD_NUMBER: _ClassVar[int]
    tasks_moved: int
    def __init__(self, tasks_moved: _Optional[int] = ...) -> None: ...

class ContactFilter(_message.Message):
    __slots__ = ("text", "account_id", "owner_user_id", "city", "custom", "section_id", "section_values", "birthday_month")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    OWNER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    CITY_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELD_NUMBER: _ClassVar[int]
    SECTION_ID_FIELD_NUMBER: _ClassVar[int]
    SECTION_VALUES_FIELD_NUMBER: _ClassVar[int]
    BIRTHDAY_MONTH_FIELD_NUMBER: _ClassVar[int]
    text: str
    account_id: str
    owner_user_id: str
    city: str
    custom: _struct_pb2.Struct
    section_id: str
    section_values: _struct_pb2.Struct
    birthday_month: int
    def __init__(self, text: _Optional[str] = ..., account_id: _Optional[str] = ..., owner_user_id: _Optional[str] = ..., city: _Optional[str] = ..., custom: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., section_id: _Optional[str] = ..., section_values: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., birthday_month: _Optional[int] = ...) -> None: ...

class SearchContactsRequest(_message.Message):
    __slots__ = ("filter", "page_size", "page_token")
    FILTER_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    filter: ContactFilter
    page_size: int
    page_token: str
    def __init__(self, filter: _Optional[_Union[ContactFilter, _Mapping]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class SearchContactsResponse(_message.Message):
    __slots__ = ("contacts", "total", "next_page_token")
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    contacts: _containers.RepeatedCompositeFieldContainer[Contact]
    total: int
    next_page_token: str
    def __init__(self, contacts: _Optional[_Iterable[_Union[Contact, _Mapping]]] = ..., total: _Optional[int] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class Segment(_message.Message):
    __slots__ = ("id", "name", "filter")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    filter: ContactFilter
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., filter: _Optional[_Union[ContactFilter, _Mapping]] = ...) -> None: ...

class CreateSegmentRequest(_message.Message):
    __slots__ = ("name", "filter")
    NAME_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    name: str
    filter: ContactFilter
    def __init__(self, name: _Optional[str] = ..., filter: _Optional[_Union[ContactFilter, _Mapping]] = ...) -> None: ...

class CreateSegmentResponse(_message.Message):
    __slots__ = ("segment",)
    SEGMENT_FIELD_NUMBER: _ClassVar[int]
    segment: Segment
    def __init__(self, segment: _Optional[_Union[Segment, _Mapping]] = ...) -> None: ...

class ListSegmentMembersRequest(_message.Message):
    __slots__ = ("segment_id", "page_size", "page_token")
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    segment_id: str
    page_size: int
    page_token: str
    def __init__(self, segment_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSegmentMembersResponse(_message.Message):
    __slots__ = ("contacts", "total", "next_page_token")
    CONTACTS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    contacts: _containers.RepeatedCompositeFieldContainer[Contact]
    total: int
    next_page_token: str
    def __init__(self, contacts: _Optional[_Iterable[_Union[Contact, _Mapping]]] = ..., total: _Optional[int] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class BulkUpdateRequest(_message.Message):
    __slots__ = ("filter", "segment_id", "custom")
    FILTER_FIELD_NUMBER: _ClassVar[int]
    SEGMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELD_NUMBER: _ClassVar[int]
    filter: ContactFilter
    segment_id: str
    custom: _struct_pb2.Struct
    def __init__(self, filter: _Optional[_Union[ContactFilter, _Mapping]] = ..., segment_id: _Optional[str] = ..., custom: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class BulkUpdateResponse(_message.Message):
    __slots__ = ("updated",)
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    updated: int
    def __init__(self, updated: _Optional[int] = ...) -> None: ...

class ImportContactsRequest(_message.Message):
    __slots__ = ("csv", "mapping", "duplicate_policy", "xlsx")
    class MappingEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    CSV_FIELD_NUMBER: _ClassVar[int]
    MAPPING_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_POLICY_FIELD_NUMBER: _ClassVar[int]
    XLSX_FIELD_NUMBER: _ClassVar[int]
    csv: bytes
    mapping: _containers.ScalarMap[str, str]
    duplicate_policy: str
    xlsx: bytes
    def __init__(self, csv: _Optional[bytes] = ..., mapping: _Optional[_Mapping[str, str]] = ..., duplicate_policy: _Optional[str] = ..., xlsx: _Optional[bytes] = ...) -> None: ...

class ImportContactsResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: ImportJob
    def __init__(self, job: _Optional[_Union[ImportJob, _Mapping]] = ...) -> None: ...

class ImportJob(_message.Message):
    __slots__ = ("id", "status", "duplicate_policy", "total_rows", "processed_rows", "created", "updated", "skipped", "errors")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_POLICY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_ROWS_FIELD_NUMBER: _ClassVar[int]
    PROCESSED_ROWS_FIELD_NUMBER: _ClassVar[int]
    CREATED_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELD_NUMBER: _ClassVar[int]
    SKIPPED_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: str
    duplicate_policy: str
    total_rows: int
    processed_rows: int
    created: int
    updated: int
    skipped: int
    errors: _containers.RepeatedCompositeFieldContainer[RowError]
    def __init__(self, id: _Optional[str] = ..., status: _Optional[str] = ..., duplicate_policy: _Optional[str] = ..., total_rows: _Optional[int] = ..., processed_rows: _Optional[int] = ..., created: _Optional[int] = ..., updated: _Optional[int] = ..., skipped: _Optional[int] = ..., errors: _Optional[_Iterable[_Union[RowError, _Mapping]]] = ...) -> None: ...

class RowError(_message.Message):
    __slots__ = ("row", "field", "message")
    ROW_FIELD_NUMBER: _ClassVar[int]
    FIELD_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    row: int
    field: str
    message: str
    def __init__(self, row: _Optional[int] = ..., field: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class GetImportJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetImportJobResponse(_message.Message):
    __slots__ = ("job",)
    JOB_FIELD_NUMBER: _ClassVar[int]
    job: ImportJob
    def __init__(self, job: _Optional[_Union[ImportJob, _Mapping]] = ...) -> None: ...

class Attachment(_message.Message):
    __slots__ = ("id", "party_id", "filename", "content_type", "size", "sha256", "uploaded_by", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    UPLOADED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    party_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., party_id: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ..., size: _Optional[int] = ..., sha256: _Optional[str] = ..., uploaded_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class BeginAttachmentRequest(_message.Message):
    __slots__ = ("party_id", "filename", "content_type")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    filename: str
    content_type: str
    def __init__(self, party_id: _Optional[str] = ..., filename: _Optional[str] = ..., content_type: _Optional[str] = ...) -> None: ...

class BeginAttachmentResponse(_message.Message):
    __slots__ = ("attachment",)
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    attachment: Attachment
    def __init__(self, attachment: _Optional[_Union[Attachment, _Mapping]] = ...) -> None: ...

class AppendAttachmentRequest(_message.Message):
    __slots__ = ("attachment_id", "offset", "data")
    ATTACHMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    attachment_id: str
    offset: int
    data: bytes
    def __init__(self, attachment_id: _Optional[str] = ..., offset: _Optional[int] = ..., data: _Optional[bytes] = ...) -> None: ...

class AppendAttachmentResponse(_message.Message):
    __slots__ = ("size",)
    SIZE_FIELD_NUMBER: _ClassVar[int]
    size: int
    def __init__(self, size: _Optional[int] = ...) -> None: ...

class FinishAttachmentRequest(_message.Message):
    __slots__ = ("attachment_id",)
    ATTACHMENT_ID_FIELD_NUMBER: _ClassVar[int]
    attachment_id: str
    def __init__(self, attachment_id: _Optional[str] = ...) -> None: ...

class FinishAttachmentResponse(_message.Message):
    __slots__ = ("attachment",)
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    attachment: Attachment
    def __init__(self, attachment: _Optional[_Union[Attachment, _Mapping]] = ...) -> None: ...

class ListAttachmentsRequest(_message.Message):
    __slots__ = ("party_id",)
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    def __init__(self, party_id: _Optional[str] = ...) -> None: ...

class ListAttachmentsResponse(_message.Message):
    __slots__ = ("attachments",)
    ATTACHMENTS_FIELD_NUMBER: _ClassVar[int]
    attachments: _containers.RepeatedCompositeFieldContainer[Attachment]
    def __init__(self, attachments: _Optional[_Iterable[_Union[Attachment, _Mapping]]] = ...) -> None: ...

class ReadAttachmentRequest(_message.Message):
    __slots__ = ("attachment_id", "offset", "length")
    ATTACHMENT_ID_FIELD_NUMBER: _ClassVar[int]
    OFFSET_FIELD_NUMBER: _ClassVar[int]
    LENGTH_FIELD_NUMBER: _ClassVar[int]
    attachment_id: str
    offset: int
    length: int
    def __init__(self, attachment_id: _Optional[str] = ..., offset: _Optional[int] = ..., length: _Optional[int] = ...) -> None: ...

class ReadAttachmentResponse(_message.Message):
    __slots__ = ("attachment", "data")
    ATTACHMENT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    attachment: Attachment
    data: bytes
    def __init__(self, attachment: _Optional[_Union[Attachment, _Mapping]] = ..., data: _Optional[bytes] = ...) -> None: ...

class EmitBirthdaysRequest(_message.Message):
    __slots__ = ("time_zone",)
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    time_zone: str
    def __init__(self, time_zone: _Optional[str] = ...) -> None: ...

class EmitBirthdaysResponse(_message.Message):
    __slots__ = ("emitted",)
    EMITTED_FIELD_NUMBER: _ClassVar[int]
    emitted: int
    def __init__(self, emitted: _Optional[int] = ...) -> None: ...
