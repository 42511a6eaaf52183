import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class IssuedDocument(_message.Message):
    __slots__ = ("document_id", "document_type", "number", "party_id", "lead_id", "customer_name", "base_document_id", "issue_date", "subtotal_agorot", "vat_agorot", "total_agorot", "allocation_number", "issued_at")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    BASE_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    SUBTOTAL_AGOROT_FIELD_NUMBER: _ClassVar[int]
    VAT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_AGOROT_FIELD_NUMBER: _ClassVar[int]
    ALLOCATION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUED_AT_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    document_type: str
    number: int
    party_id: str
    lead_id: str
    customer_name: str
    base_document_id: str
    issue_date: str
    subtotal_agorot: int
    vat_agorot: int
    total_agorot: int
    allocation_number: str
    issued_at: _timestamp_pb2.Timestamp
    def __init__(self, document_id: _Optional[str] = ..., document_type: _Optional[str] = ..., number: _Optional[int] = ..., party_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., base_document_id: _Optional[str] = ..., issue_date: _Optional[str] = ..., subtotal_agorot: _Optional[int] = ..., vat_agorot: _Optional[int] = ..., total_agorot: _Optional[int] = ..., allocation_number: _Optional[str] = ..., issued_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class QuoteIssued(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: IssuedDocument
    def __init__(self, document: _Optional[_Union[IssuedDocument, _Mapping]] = ...) -> None: ...

class QuoteAccepted(_message.Message):
    __slots__ = ("document", "accepted_at")
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_AT_FIELD_NUMBER: _ClassVar[int]
    document: IssuedDocument
    accepted_at: _timestamp_pb2.Timestamp
    def __init__(self, document: _Optional[_Union[IssuedDocument, _Mapping]] = ..., accepted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OrderIssued(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: IssuedDocument
    def __init__(self, document: _Optional[_Union[IssuedDocument, _Mapping]] = ...) -> None: ...

class OrderShipped(_message.Message):
    __slots__ = ("document_id", "number", "party_id", "customer_name", "phone", "line_ids", "expected_arrival", "carrier", "tracking_number", "shipped_at")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    LINE_IDS_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    SHIPPED_AT_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    number: int
    party_id: str
    customer_name: str
    phone: str
    line_ids: _containers.RepeatedScalarFieldContainer[str]
    expected_arrival: str
    carrier: str
    tracking_number: str
    shipped_at: _timestamp_pb2.Timestamp
    def __init__(self, document_id: _Optional[str] = ..., number: _Optional[int] = ..., party_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., phone: _Optional[str] = ..., line_ids: _Optional[_Iterable[str]] = ..., expected_arrival: _Optional[str] = ..., carrier: _Optional[str] = ..., tracking_number: _Optional[str] = ..., shipped_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class DeliveryIssued(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: IssuedDocument
    def __init__(self, document: _Optional[_Union[IssuedDocument, _Mapping]] = ...) -> None: ...

class InvoiceIssued(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: IssuedDocument
    def __init__(self, document: _Optional[_Union[IssuedDocument, _Mapping]] = ...) -> None: ...

class ReceiptIssued(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: IssuedDocument
    def __init__(self, document: _Optional[_Union[IssuedDocument, _Mapping]] = ...) -> None: ...

class CreditIssued(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: IssuedDocument
    def __init__(self, document: _Optional[_Union[IssuedDocument, _Mapping]] = ...) -> None: ...

class PaymentReceived(_message.Message):
    __slots__ = ("payment_id", "party_id", "method", "amount_agorot", "receipt_document_id", "received_at")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    party_id: str
    method: str
    amount_agorot: int
    receipt_document_id: str
    received_at: _timestamp_pb2.Timestamp
    def __init__(self, payment_id: _Optional[str] = ..., party_id: _Optional[str] = ..., method: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., receipt_document_id: _Optional[str] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class PaymentFailed(_message.Message):
    __slots__ = ("payment_id", "party_id", "amount_agorot", "reason", "failed_at", "schedule_id", "attempt", "retry_on")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    FAILED_AT_FIELD_NUMBER: _ClassVar[int]
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    ATTEMPT_FIELD_NUMBER: _ClassVar[int]
    RETRY_ON_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    party_id: str
    amount_agorot: int
    reason: str
    failed_at: _timestamp_pb2.Timestamp
    schedule_id: str
    attempt: int
    retry_on: str
    def __init__(self, payment_id: _Optional[str] = ..., party_id: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., reason: _Optional[str] = ..., failed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., schedule_id: _Optional[str] = ..., attempt: _Optional[int] = ..., retry_on: _Optional[str] = ...) -> None: ...
