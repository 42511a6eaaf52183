import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class VatCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    VAT_CATEGORY_UNSPECIFIED: _ClassVar[VatCategory]
    VAT_CATEGORY_STANDARD: _ClassVar[VatCategory]
    VAT_CATEGORY_EXEMPT: _ClassVar[VatCategory]
    VAT_CATEGORY_ZERO_RATED: _ClassVar[VatCategory]

class DocumentType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOCUMENT_TYPE_UNSPECIFIED: _ClassVar[DocumentType]
    DOCUMENT_TYPE_QUOTE: _ClassVar[DocumentType]
    DOCUMENT_TYPE_ORDER: _ClassVar[DocumentType]
    DOCUMENT_TYPE_DELIVERY_NOTE: _ClassVar[DocumentType]
    DOCUMENT_TYPE_TAX_INVOICE: _ClassVar[DocumentType]
    DOCUMENT_TYPE_INVOICE_RECEIPT: _ClassVar[DocumentType]
    DOCUMENT_TYPE_RECEIPT: _ClassVar[DocumentType]
    DOCUMENT_TYPE_CREDIT_NOTE: _ClassVar[DocumentType]

class PaymentMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_METHOD_UNSPECIFIED: _ClassVar[PaymentMethod]
    PAYMENT_METHOD_CARD: _ClassVar[PaymentMethod]
    PAYMENT_METHOD_BANK_TRANSFER: _ClassVar[PaymentMethod]
    PAYMENT_METHOD_CASH: _ClassVar[PaymentMethod]
    PAYMENT_METHOD_CHEQUE: _ClassVar[PaymentMethod]
    PAYMENT_METHOD_STANDING_ORDER: _ClassVar[PaymentMethod]

class LineStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LINE_STATUS_UNSPECIFIED: _ClassVar[LineStatus]
    LINE_STATUS_OPEN: _ClassVar[LineStatus]
    LINE_STATUS_PICKED: _ClassVar[LineStatus]
    LINE_STATUS_SHIPPED: _ClassVar[LineStatus]
    LINE_STATUS_DELIVERED: _ClassVar[LineStatus]
    LINE_STATUS_CANCELLED: _ClassVar[LineStatus]

class WonDealStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    WON_DEAL_STATUS_UNSPECIFIED: _ClassVar[WonDealStatus]
    WON_DEAL_STATUS_PARKED: _ClassVar[WonDealStatus]
    WON_DEAL_STATUS_ORDERED: _ClassVar[WonDealStatus]
VAT_CATEGORY_UNSPECIFIED: VatCategory
VAT_CATEGORY_STANDARD: VatCategory
VAT_CATEGORY_EXEMPT: VatCategory
VAT_CATEGORY_ZERO_RATED: VatCategory
DOCUMENT_TYPE_UNSPECIFIED: DocumentType
DOCUMENT_TYPE_QUOTE: DocumentType
DOCUMENT_TYPE_ORDER: DocumentType
DOCUMENT_TYPE_DELIVERY_NOTE: DocumentType
DOCUMENT_TYPE_TAX_INVOICE: DocumentType
DOCUMENT_TYPE_INVOICE_RECEIPT: DocumentType
DOCUMENT_TYPE_RECEIPT: DocumentType
DOCUMENT_TYPE_CREDIT_NOTE: DocumentType
PAYMENT_METHOD_UNSPECIFIED: PaymentMethod
PAYMENT_METHOD_CARD: PaymentMethod
PAYMENT_METHOD_BANK_TRANSFER: PaymentMethod
PAYMENT_METHOD_CASH: PaymentMethod
PAYMENT_METHOD_CHEQUE: PaymentMethod
PAYMENT_METHOD_STANDING_ORDER: PaymentMethod
LINE_STATUS_UNSPECIFIED: LineStatus
LINE_STATUS_OPEN: LineStatus
LINE_STATUS_PICKED: LineStatus
LINE_STATUS_SHIPPED: LineStatus
LINE_STATUS_DELIVERED: LineStatus
LINE_STATUS_CANCELLED: LineStatus
WON_DEAL_STATUS_UNSPECIFIED: WonDealStatus
WON_DEAL_STATUS_PARKED: WonDealStatus
WON_DEAL_STATUS_ORDERED: WonDealStatus

class Party(_message.Message):
    __slots__ = ("party_id", "name", "phone", "email", "updated_at")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    name: str
    phone: str
    email: str
    updated_at: _timestamp_pb2.Timestamp
    def __init__(self, party_id: _Optional[str] = ..., name: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class GetPartyRequest(_message.Message):
    __slots__ = ("party_id",)
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    def __init__(self, party_id: _Optional[str] = ...) -> None: ...

class GetPartyResponse(_message.Message):
    __slots__ = ("party",)
    PARTY_FIELD_NUMBER: _ClassVar[int]
    party: Party
    def __init__(self, party: _Optional[_Union[Party, _Mapping]] = ...) -> None: ...

class Product(_message.Message):
    __slots__ = ("product_id", "sku", "name_he", "name_en", "unit", "price_agorot", "vat_category")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    NAME_HE_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    PRICE_AGOROT_FIELD_NUMBER: _ClassVar[int]
    VAT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    sku: str
    name_he: str
    name_en: str
    unit: str
    price_agorot: int
    vat_category: VatCategory
    def __init__(self, product_id: _Optional[str] = ..., sku: _Optional[str] = ..., name_he: _Optional[str] = ..., name_en: _Optional[str] = ..., unit: _Optional[str] = ..., price_agorot: _Optional[int] = ..., vat_category: _Optional[_Union[VatCategory, str]] = ...) -> None: ...

class CreateProductRequest(_message.Message):
    __slots__ = ("sku", "name_he", "name_en", "unit", "price_agorot", "vat_category")
    SKU_FIELD_NUMBER: _ClassVar[int]
    NAME_HE_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    PRICE_AGOROT_FIELD_NUMBER: _ClassVar[int]
    VAT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    sku: str
    name_he: str
    name_en: str
    unit: str
    price_agorot: int
    vat_category: VatCategory
    def __init__(self, sku: _Optional[str] = ..., name_he: _Optional[str] = ..., name_en: _Optional[str] = ..., unit: _Optional[str] = ..., price_agorot: _Optional[int] = ..., vat_category: _Optional[_Union[VatCategory, str]] = ...) -> None: ...

class CreateProductResponse(_message.Message):
    __slots__ = ("product",)
    PRODUCT_FIELD_NUMBER: _ClassVar[int]
    product: Product
    def __init__(self, product: _Optional[_Union[Product, _Mapping]] = ...) -> None: ...

class ListProductsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListProductsResponse(_message.Message):
    __slots__ = ("products",)
    PRODUCTS_FIELD_NUMBER: _ClassVar[int]
    products: _containers.RepeatedCompositeFieldContainer[Product]
    def __init__(self, products: _Optional[_Iterable[_Union[Product, _Mapping]]] = ...) -> None: ...

class PriceListItem(_message.Message):
    __slots__ = ("product_id", "price_agorot")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    PRICE_AGOROT_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    price_agorot: int
    def __init__(self, product_id: _Optional[str] = ..., price_agorot: _Optional[int] = ...) -> None: ...

class CreatePriceListRequest(_message.Message):
    __slots__ = ("name", "items")
    NAME_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    name: str
    items: _containers.RepeatedCompositeFieldContainer[PriceListItem]
    def __init__(self, name: _Optional[str] = ..., items: _Optional[_Iterable[_Union[PriceListItem, _Mapping]]] = ...) -> None: ...

class CreatePriceListResponse(_message.Message):
    __slots__ = ("price_list_id",)
    PRICE_LIST_ID_FIELD_NUMBER: _ClassVar[int]
    price_list_id: str
    def __init__(self, price_list_id: _Optional[str] = ...) -> None: ...

class SetCustomerTermsRequest(_message.Message):
    __slots__ = ("party_id", "price_list_id", "discount_bp", "prices")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    PRICE_LIST_ID_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_BP_FIELD_NUMBER: _ClassVar[int]
    PRICES_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    price_list_id: str
    discount_bp: int
    prices: _containers.RepeatedCompositeFieldContainer[PriceListItem]
    def __init__(self, party_id: _Optional[str] = ..., price_list_id: _Optional[str] = ..., discount_bp: _Optional[int] = ..., prices: _Optional[_Iterable[_Union[PriceListItem, _Mapping]]] = ...) -> None: ...

class SetCustomerTermsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DocumentLineInput(_message.Message):
    __slots__ = ("product_id", "base_line_id", "quantity", "discount_bp", "description", "unit_price_agorot", "vat_category")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_BP_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_AGOROT_FIELD_NUMBER: _ClassVar[int]
    VAT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    base_line_id: str
    quantity: str
    discount_bp: int
    description: str
    unit_price_agorot: int
    vat_category: VatCategory
    def __init__(self, product_id: _Optional[str] = ..., base_line_id: _Optional[str] = ..., quantity: _Optional[str] = ..., discount_bp: _Optional[int] = ..., description: _Optional[str] = ..., unit_price_agorot: _Optional[int] = ..., vat_category: _Optional[_Union[VatCategory, str]] = ...) -> None: ...

class PaymentInput(_message.Message):
    __slots__ = ("method", "amount_agorot", "reference", "cheque_number", "bank_code", "branch_code", "account_number", "due_date")
    METHOD_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    CHEQUE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    BANK_CODE_FIELD_NUMBER: _ClassVar[int]
    BRANCH_CODE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    method: PaymentMethod
    amount_agorot: int
    reference: str
    cheque_number: str
    bank_code: str
    branch_code: str
    account_number: str
    due_date: str
    def __init__(self, method: _Optional[_Union[PaymentMethod, str]] = ..., amount_agorot: _Optional[int] = ..., reference: _Optional[str] = ..., cheque_number: _Optional[str] = ..., bank_code: _Optional[str] = ..., branch_code: _Optional[str] = ..., account_number: _Optional[str] = ..., due_date: _Optional[str] = ...) -> None: ...

class IssueDocumentRequest(_message.Message):
    __slots__ = ("type", "party_id", "lead_id", "customer_name", "customer_tax_id", "base_document_id", "lines", "issue_date", "due_date", "payments", "notes")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_TAX_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    type: DocumentType
    party_id: str
    lead_id: str
    customer_name: str
    customer_tax_id: str
    base_document_id: str
    lines: _containers.RepeatedCompositeFieldContainer[DocumentLineInput]
    issue_date: str
    due_date: str
    payments: _containers.RepeatedCompositeFieldContainer[PaymentInput]
    notes: str
    def __init__(self, type: _Optional[_Union[DocumentType, str]] = ..., party_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., customer_tax_id: _Optional[str] = ..., base_document_id: _Optional[str] = ..., lines: _Optional[_Iterable[_Union[DocumentLineInput, _Mapping]]] = ..., issue_date: _Optional[str] = ..., due_date: _Optional[str] = ..., payments: _Optional[_Iterable[_Union[PaymentInput, _Mapping]]] = ..., notes: _Optional[str] = ...) -> None: ...

class DocumentLine(_message.Message):
    __slots__ = ("line_id", "line_no", "product_id", "sku", "name_he", "name_en", "unit", "quantity", "unit_price_agorot", "discount_bp", "net_agorot", "vat_category", "base_line_id", "status", "open_quantity")
    LINE_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_NO_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    SKU_FIELD_NUMBER: _ClassVar[int]
    NAME_HE_FIELD_NUMBER: _ClassVar[int]
    NAME_EN_FIELD_NUMBER: _ClassVar[int]
    UNIT_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_AGOROT_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_BP_FIELD_NUMBER: _ClassVar[int]
    NET_AGOROT_FIELD_NUMBER: _ClassVar[int]
    VAT_CATEGORY_FIELD_NUMBER: _ClassVar[int]
    BASE_LINE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OPEN_QUANTITY_FIELD_NUMBER: _ClassVar[int]
    line_id: str
    line_no: int
    product_id: str
    sku: str
    name_he: str
    name_en: str
    unit: str
    quantity: str
    unit_price_agorot: int
    discount_bp: int
    net_agorot: int
    vat_category: VatCategory
    base_line_id: str
    status: LineStatus
    open_quantity: str
    def __init__(self, line_id: _Optional[str] = ..., line_no: _Optional[int] = ..., product_id: _Optional[str] = ..., sku: _Optional[str] = ..., name_he: _Optional[str] = ..., name_en: _Optional[str] = ..., unit: _Optional[str] = ..., quantity: _Optional[str] = ..., unit_price_agorot: _Optional[int] = ..., discount_bp: _Optional[int] = ..., net_agorot: _Optional[int] = ..., vat_category: _Optional[_Union[VatCategory, str]] = ..., base_line_id: _Optional[str] = ..., status: _Optional[_Union[LineStatus, str]] = ..., open_quantity: _Optional[str] = ...) -> None: ...

class Document(_message.Message):
    __slots__ = ("document_id", "type", "number", "party_id", "lead_id", "customer_name", "customer_tax_id", "base_document_id", "issue_date", "due_date", "vat_rate_bp", "subtotal_agorot", "vat_agorot", "total_agorot", "allocation_number", "pdf_sha256", "accepted", "lines", "open_agorot", "created_at")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_TAX_ID_FIELD_NUMBER: _ClassVar[int]
    BASE_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    VAT_RATE_BP_FIELD_NUMBER: _ClassVar[int]
    SUBTOTAL_AGOROT_FIELD_NUMBER: _ClassVar[int]
    VAT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_AGOROT_FIELD_NUMBER: _ClassVar[int]
    ALLOCATION_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PDF_SHA256_FIELD_NUMBER: _ClassVar[int]
    ACCEPTED_FIELD_NUMBER: _ClassVar[int]
    LINES_FIELD_NUMBER: _ClassVar[int]
    OPEN_AGOROT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    type: DocumentType
    number: int
    party_id: str
    lead_id: str
    customer_name: str
    customer_tax_id: str
    base_document_id: str
    issue_date: str
    due_date: str
    vat_rate_bp: int
    subtotal_agorot: int
    vat_agorot: int
    total_agorot: int
    allocation_number: str
    pdf_sha256: str
    accepted: bool
    lines: _containers.RepeatedCompositeFieldContainer[DocumentLine]
    open_agorot: int
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, document_id: _Optional[str] = ..., type: _Optional[_Union[DocumentType, str]] = ..., number: _Optional[int] = ..., party_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., customer_tax_id: _Optional[str] = ..., base_document_id: _Optional[str] = ..., issue_date: _Optional[str] = ..., due_date: _Optional[str] = ..., vat_rate_bp: _Optional[int] = ..., subtotal_agorot: _Optional[int] = ..., vat_agorot: _Optional[int] = ..., total_agorot: _Optional[int] = ..., allocation_number: _Optional[str] = ..., pdf_sha256: _Optional[str] = ..., accepted: _Optional[bool] = ..., lines: _Optional[_Iterable[_Union[DocumentLine, _Mapping]]] = ..., open_agorot: _Optional[int] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class IssueDocumentResponse(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: Document
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ...) -> None: ...

class AcceptQuoteRequest(_message.Message):
    __slots__ = ("document_id",)
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    def __init__(self, document_id: _Optional[str] = ...) -> None: ...

class AcceptQuoteResponse(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: Document
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ...) -> None: ...

class GetDocumentRequest(_message.Message):
    __slots__ = ("document_id",)
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    def __init__(self, document_id: _Optional[str] = ...) -> None: ...

class GetDocumentResponse(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: Document
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ...) -> None: ...

class ListDocumentsRequest(_message.Message):
    __slots__ = ("party_id", "type")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    type: DocumentType
    def __init__(self, party_id: _Optional[str] = ..., type: _Optional[_Union[DocumentType, str]] = ...) -> None: ...

class ListDocumentsResponse(_message.Message):
    __slots__ = ("documents",)
    DOCUMENTS_FIELD_NUMBER: _ClassVar[int]
    documents: _containers.RepeatedCompositeFieldContainer[Document]
    def __init__(self, documents: _Optional[_Iterable[_Union[Document, _Mapping]]] = ...) -> None: ...

class GetDocumentPdfRequest(_message.Message):
    __slots__ = ("document_id",)
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    def __init__(self, document_id: _Optional[str] = ...) -> None: ...

class GetDocumentPdfResponse(_message.Message):
    __slots__ = ("pdf", "original", "sha256", "filename")
    PDF_FIELD_NUMBER: _ClassVar[int]
    ORIGINAL_FIELD_NUMBER: _ClassVar[int]
    SHA256_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    pdf: bytes
    original: bool
    sha256: str
    filename: str
    def __init__(self, pdf: _Optional[bytes] = ..., original: _Optional[bool] = ..., sha256: _Optional[str] = ..., filename: _Optional[str] = ...) -> None: ...

class Allocation(_message.Message):
    __slots__ = ("document_id", "amount_agorot")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    amount_agorot: int
    def __init__(self, document_id: _Optional[str] = ..., amount_agorot: _Optional[int] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ("payment_id", "party_id", "method", "amount_agorot", "status", "receipt_document_id", "provider_reference", "failure_reason", "allocations")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    RECEIPT_DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    party_id: str
    method: PaymentMethod
    amount_agorot: int
    status: str
    receipt_document_id: str
    provider_reference: str
    failure_reason: str
    allocations: _containers.RepeatedCompositeFieldContainer[Allocation]
    def __init__(self, payment_id: _Optional[str] = ..., party_id: _Optional[str] = ..., method: _Optional[_Union[PaymentMethod, str]] = ..., amount_agorot: _Optional[int] = ..., status: _Optional[str] = ..., receipt_document_id: _Optional[str] = ..., provider_reference: _Optional[str] = ..., failure_reason: _Optional[str] = ..., allocations: _Optional[_Iterable[_Union[Allocation, _Mapping]]] = ...) -> None: ...

class RecordPaymentRequest(_message.Message):
    __slots__ = ("party_id", "payment", "allocations", "customer_name")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    payment: PaymentInput
    allocations: _containers.RepeatedCompositeFieldContainer[Allocation]
    customer_name: str
    def __init__(self, party_id: _Optional[str] = ..., payment: _Optional[_Union[PaymentInput, _Mapping]] = ..., allocations: _Optional[_Iterable[_Union[Allocation, _Mapping]]] = ..., customer_name: _Optional[str] = ...) -> None: ...

class RecordPaymentResponse(_message.Message):
    __slots__ = ("payment",)
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ...) -> None: ...

class ChargeCardRequest(_message.Message):
    __slots__ = ("party_id", "card_token", "amount_agorot", "idempotency_key", "allocations", "customer_name")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CARD_TOKEN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    ALLOCATIONS_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    card_token: str
    amount_agorot: int
    idempotency_key: str
    allocations: _containers.RepeatedCompositeFieldContainer[Allocation]
    customer_name: str
    def __init__(self, party_id: _Optional[str] = ..., card_token: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., idempotency_key: _Optional[str] = ..., allocations: _Optional[_Iterable[_Union[Allocation, _Mapping]]] = ..., customer_name: _Optional[str] = ...) -> None: ...

class ChargeCardResponse(_message.Message):
    __slots__ = ("payment",)
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ...) -> None: ...

class HandleCardWebhookRequest(_message.Message):
    __slots__ = ("payload", "signature")
    PAYLOAD_FIELD_NUMBER: _ClassVar[int]
    SIGNATURE_FIELD_NUMBER: _ClassVar[int]
    payload: bytes
    signature: str
    def __init__(self, payload: _Optional[bytes] = ..., signature: _Optional[str] = ...) -> None: ...

class HandleCardWebhookResponse(_message.Message):
    __slots__ = ("payment", "duplicate")
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    duplicate: bool
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ..., duplicate: _Optional[bool] = ...) -> None: ...

class OpenItem(_message.Message):
    __slots__ = ("document_id", "type", "number", "issue_date", "due_date", "total_agorot", "open_agorot", "days_overdue")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    ISSUE_DATE_FIELD_NUMBER: _ClassVar[int]
    DUE_DATE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_AGOROT_FIELD_NUMBER: _ClassVar[int]
    OPEN_AGOROT_FIELD_NUMBER: _ClassVar[int]
    DAYS_OVERDUE_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    type: DocumentType
    number: int
    issue_date: str
    due_date: str
    total_agorot: int
    open_agorot: int
    days_overdue: int
    def __init__(self, document_id: _Optional[str] = ..., type: _Optional[_Union[DocumentType, str]] = ..., number: _Optional[int] = ..., issue_date: _Optional[str] = ..., due_date: _Optional[str] = ..., total_agorot: _Optional[int] = ..., open_agorot: _Optional[int] = ..., days_overdue: _Optional[int] = ...) -> None: ...

class StatementLine(_message.Message):
    __slots__ = ("date", "description", "debit_agorot", "credit_agorot", "balance_agorot")
    DATE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DEBIT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    CREDIT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    BALANCE_AGOROT_FIELD_NUMBER: _ClassVar[int]
    date: str
    description: str
    debit_agorot: int
    credit_agorot: int
    balance_agorot: int
    def __init__(self, date: _Optional[str] = ..., description: _Optional[str] = ..., debit_agorot: _Optional[int] = ..., credit_agorot: _Optional[int] = ..., balance_agorot: _Optional[int] = ...) -> None: ...

class GetLedgerRequest(_message.Message):
    __slots__ = ("party_id", "as_of", "from_date")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    FROM_DATE_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    as_of: str
    from_date: str
    def __init__(self, party_id: _Optional[str] = ..., as_of: _Optional[str] = ..., from_date: _Optional[str] = ...) -> None: ...

class GetLedgerResponse(_message.Message):
    __slots__ = ("open_items", "balance_agorot", "statement", "unallocated_credit_agorot")
    OPEN_ITEMS_FIELD_NUMBER: _ClassVar[int]
    BALANCE_AGOROT_FIELD_NUMBER: _ClassVar[int]
    STATEMENT_FIELD_NUMBER: _ClassVar[int]
    UNALLOCATED_CREDIT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    open_items: _containers.RepeatedCompositeFieldContainer[OpenItem]
    balance_agorot: int
    statement: _containers.RepeatedCompositeFieldContainer[StatementLine]
    unallocated_credit_agorot: int
    def __init__(self, open_items: _Optional[_Iterable[_Union[OpenItem, _Mapping]]] = ..., balance_agorot: _Optional[int] = ..., statement: _Optional[_Iterable[_Union[StatementLine, _Mapping]]] = ..., unallocated_credit_agorot: _Optional[int] = ...) -> None: ...

class AgingRow(_message.Message):
    __slots__ = ("party_id", "customer_name", "bucket_0_30_agorot", "bucket_31_60_agorot", "bucket_61_90_agorot", "bucket_over_90_agorot", "total_agorot", "phone")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    BUCKET_0_30_AGOROT_FIELD_NUMBER: _ClassVar[int]
    BUCKET_31_60_AGOROT_FIELD_NUMBER: _ClassVar[int]
    BUCKET_61_90_AGOROT_FIELD_NUMBER: _ClassVar[int]
    BUCKET_OVER_90_AGOROT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_AGOROT_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    customer_name: str
    bucket_0_30_agorot: int
    bucket_31_60_agorot: int
    bucket_61_90_agorot: int
    bucket_over_90_agorot: int
    total_agorot: int
    phone: str
    def __init__(self, party_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., bucket_0_30_agorot: _Optional[int] = ..., bucket_31_60_agorot: _Optional[int] = ..., bucket_61_90_agorot: _Optional[int] = ..., bucket_over_90_agorot: _Optional[int] = ..., total_agorot: _Optional[int] = ..., phone: _Optional[str] = ...) -> None: ...

class GetAgingRequest(_message.Message):
    __slots__ = ("party_id", "as_of")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    as_of: str
    def __init__(self, party_id: _Optional[str] = ..., as_of: _Optional[str] = ...) -> None: ...

class GetAgingResponse(_message.Message):
    __slots__ = ("rows", "total")
    ROWS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    rows: _containers.RepeatedCompositeFieldContainer[AgingRow]
    total: AgingRow
    def __init__(self, rows: _Optional[_Iterable[_Union[AgingRow, _Mapping]]] = ..., total: _Optional[_Union[AgingRow, _Mapping]] = ...) -> None: ...

class ShipOrderRequest(_message.Message):
    __slots__ = ("document_id", "line_ids", "expected_arrival", "carrier", "tracking_number")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_IDS_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_ARRIVAL_FIELD_NUMBER: _ClassVar[int]
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    line_ids: _containers.RepeatedScalarFieldContainer[str]
    expected_arrival: str
    carrier: str
    tracking_number: str
    def __init__(self, document_id: _Optional[str] = ..., line_ids: _Optional[_Iterable[str]] = ..., expected_arrival: _Optional[str] = ..., carrier: _Optional[str] = ..., tracking_number: _Optional[str] = ...) -> None: ...

class ShipOrderResponse(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: Document
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ...) -> None: ...

class SetOrderLineStatusRequest(_message.Message):
    __slots__ = ("document_id", "line_id", "status")
    DOCUMENT_ID_FIELD_NUMBER: _ClassVar[int]
    LINE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    document_id: str
    line_id: str
    status: LineStatus
    def __init__(self, document_id: _Optional[str] = ..., line_id: _Optional[str] = ..., status: _Optional[_Union[LineStatus, str]] = ...) -> None: ...

class SetOrderLineStatusResponse(_message.Message):
    __slots__ = ("document",)
    DOCUMENT_FIELD_NUMBER: _ClassVar[int]
    document: Document
    def __init__(self, document: _Optional[_Union[Document, _Mapping]] = ...) -> None: ...

class PurchasedItem(_message.Message):
    __slots__ = ("sku", "name_he", "quantity", "net_agorot", "discount_agorot", "last_bought", "invoices")
    SKU_FIELD_NUMBER: _ClassVar[int]
    NAME_HE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    NET_AGOROT_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    LAST_BOUGHT_FIELD_NUMBER: _ClassVar[int]
    INVOICES_FIELD_NUMBER: _ClassVar[int]
    sku: str
    name_he: str
    quantity: str
    net_agorot: int
    discount_agorot: int
    last_bought: str
    invoices: int
    def __init__(self, sku: _Optional[str] = ..., name_he: _Optional[str] = ..., quantity: _Optional[str] = ..., net_agorot: _Optional[int] = ..., discount_agorot: _Optional[int] = ..., last_bought: _Optional[str] = ..., invoices: _Optional[int] = ...) -> None: ...

class GetPurchaseHistoryRequest(_message.Message):
    __slots__ = ("party_id",)
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    def __init__(self, party_id: _Optional[str] = ...) -> None: ...

class GetPurchaseHistoryResponse(_message.Message):
    __slots__ = ("items", "invoiced_agorot", "discount_agorot", "paid_agorot", "average_days_to_pay")
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    INVOICED_AGOROT_FIELD_NUMBER: _ClassVar[int]
    DISCOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    PAID_AGOROT_FIELD_NUMBER: _ClassVar[int]
    AVERAGE_DAYS_TO_PAY_FIELD_NUMBER: _ClassVar[int]
    items: _containers.RepeatedCompositeFieldContainer[PurchasedItem]
    invoiced_agorot: int
    discount_agorot: int
    paid_agorot: int
    average_days_to_pay: float
    def __init__(self, items: _Optional[_Iterable[_Union[PurchasedItem, _Mapping]]] = ..., invoiced_agorot: _Optional[int] = ..., discount_agorot: _Optional[int] = ..., paid_agorot: _Optional[int] = ..., average_days_to_pay: _Optional[float] = ...) -> None: ...

class LapsedCustomer(_message.Message):
    __slots__ = ("party_id", "customer_name", "phone", "last_bought", "quantity")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    LAST_BOUGHT_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    customer_name: str
    phone: str
    last_bought: str
    quantity: str
    def __init__(self, party_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., phone: _Optional[str] = ..., last_bought: _Optional[str] = ..., quantity: _Optional[str] = ...) -> None: ...

class ListLapsedCustomersRequest(_message.Message):
    __slots__ = ("sku", "days", "as_of")
    SKU_FIELD_NUMBER: _ClassVar[int]
    DAYS_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    sku: str
    days: int
    as_of: str
    def __init__(self, sku: _Optional[str] = ..., days: _Optional[int] = ..., as_of: _Optional[str] = ...) -> None: ...

class ListLapsedCustomersResponse(_message.Message):
    __slots__ = ("customers",)
    CUSTOMERS_FIELD_NUMBER: _ClassVar[int]
    customers: _containers.RepeatedCompositeFieldContainer[LapsedCustomer]
    def __init__(self, customers: _Optional[_Iterable[_Union[LapsedCustomer, _Mapping]]] = ...) -> None: ...

class SetBusinessProfileRequest(_message.Message):
    __slots__ = ("name", "tax_id", "address", "phone", "email", "logo")
    NAME_FIELD_NUMBER: _ClassVar[int]
    TAX_ID_FIELD_NUMBER: _ClassVar[int]
    ADDRESS_FIELD_NUMBER: _ClassVar[int]
    PHONE_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    LOGO_FIELD_NUMBER: _ClassVar[int]
    name: str
    tax_id: str
    address: str
    phone: str
    email: str
    logo: bytes
    def __init__(self, name: _Optional[str] = ..., tax_id: _Optional[str] = ..., address: _Optional[str] = ..., phone: _Optional[str] = ..., email: _Optional[str] = ..., logo: _Optional[bytes] = ...) -> None: ...

class SetBusinessProfileResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class CardSchedule(_message.Message):
    __slots__ = ("schedule_id", "party_id", "amount_agorot", "interval_months", "next_charge_on", "retry_on", "failed_attempts", "active")
    SCHEDULE_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_MONTHS_FIELD_NUMBER: _ClassVar[int]
    NEXT_CHARGE_ON_FIELD_NUMBER: _ClassVar[int]
    RETRY_ON_FIELD_NUMBER: _ClassVar[int]
    FAILED_ATTEMPTS_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_FIELD_NUMBER: _ClassVar[int]
    schedule_id: str
    party_id: str
    amount_agorot: int
    interval_months: int
    next_charge_on: str
    retry_on: str
    failed_attempts: int
    active: bool
    def __init__(self, schedule_id: _Optional[str] = ..., party_id: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., interval_months: _Optional[int] = ..., next_charge_on: _Optional[str] = ..., retry_on: _Optional[str] = ..., failed_attempts: _Optional[int] = ..., active: _Optional[bool] = ...) -> None: ...

class CreateCardScheduleRequest(_message.Message):
    __slots__ = ("party_id", "customer_name", "card_token", "amount_agorot", "interval_months", "first_charge_on")
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOMER_NAME_FIELD_NUMBER: _ClassVar[int]
    CARD_TOKEN_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_MONTHS_FIELD_NUMBER: _ClassVar[int]
    FIRST_CHARGE_ON_FIELD_NUMBER: _ClassVar[int]
    party_id: str
    customer_name: str
    card_token: str
    amount_agorot: int
    interval_months: int
    first_charge_on: str
    def __init__(self, party_id: _Optional[str] = ..., customer_name: _Optional[str] = ..., card_token: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., interval_months: _Optional[int] = ..., first_charge_on: _Optional[str] = ...) -> None: ...

class CreateCardScheduleResponse(_message.Message):
    __slots__ = ("schedule",)
    SCHEDULE_FIELD_NUMBER: _ClassVar[int]
    schedule: CardSchedule
    def __init__(self, schedule: _Optional[_Union[CardSchedule, _Mapping]] = ...) -> None: ...

class RunDueChargesRequest(_message.Message):
    __slots__ = ("as_of",)
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    as_of: str
    def __init__(self, as_of: _Optional[str] = ...) -> None: ...

class RunDueChargesResponse(_message.Message):
    __slots__ = ("charges",)
    CHARGES_FIELD_NUMBER: _ClassVar[int]
    charges: _containers.RepeatedCompositeFieldContainer[Payment]
    def __init__(self, charges: _Optional[_Iterable[_Union[Payment, _Mapping]]] = ...) -> None: ...

class WonDeal(_message.Message):
    __slots__ = ("deal_id", "party_id", "lead_id", "title", "account_name", "amount_agorot", "status", "order_id", "won_at", "received_at", "ordered_at")
    DEAL_ID_FIELD_NUMBER: _ClassVar[int]
    PARTY_ID_FIELD_NUMBER: _ClassVar[int]
    LEAD_ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_NAME_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_AGOROT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    WON_AT_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    ORDERED_AT_FIELD_NUMBER: _ClassVar[int]
    deal_id: str
    party_id: str
    lead_id: str
    title: str
    account_name: str
    amount_agorot: int
    status: WonDealStatus
    order_id: str
    won_at: _timestamp_pb2.Timestamp
    received_at: _timestamp_pb2.Timestamp
    ordered_at: _timestamp_pb2.Timestamp
    def __init__(self, deal_id: _Optional[str] = ..., party_id: _Optional[str] = ..., lead_id: _Optional[str] = ..., title: _Optional[str] = ..., account_name: _Optional[str] = ..., amount_agorot: _Optional[int] = ..., status: _Optional[_Union[WonDealStatus, str]] = ..., order_id: _Optional[str] = ..., won_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., ordered_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListWonDealsRequest(_message.Message):
    __slots__ = ("status", "page_size", "page_token")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    status: WonDealStatus
    page_size: int
    page_token: str
    def __init__(self, status: _Optional[_Union[WonDealStatus, str]] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListWonDealsResponse(_message.Message):
    __slots__ = ("won_deals", "next_page_token")
    WON_DEALS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    won_deals: _containers.RepeatedCompositeFieldContainer[WonDeal]
    next_page_token: str
    def __init__(self, won_deals: _Optional[_Iterable[_Union[WonDeal, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...
