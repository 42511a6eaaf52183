"""/v1/billing: price list, tax documents and their PDFs, payments, ledger, fulfilment, history.

Money is integer agorot, quantities decimal strings, dates ISO. Responses are the
billing service's messages as JSON (field names as in proto/crm/billing/v1).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from google.protobuf import json_format
from google.protobuf.descriptor import FieldDescriptor
from pydantic import BaseModel, ConfigDict, Field

from crm.billing.v1 import billing_service_pb2 as pb
from crm.billing.v1 import billing_service_pb2_grpc as pb_grpc
from crm_gateway.backends import Call, Services

router = APIRouter(prefix="/v1/billing", tags=["billing"])


def stub(services: Services) -> pb_grpc.BillingServiceStub:
    return services.stub("billing", pb_grpc.BillingServiceStub)


_INT64 = {
    FieldDescriptor.TYPE_INT64,
    FieldDescriptor.TYPE_UINT64,
    FieldDescriptor.TYPE_SINT64,
    FieldDescriptor.TYPE_FIXED64,
    FieldDescriptor.TYPE_SFIXED64,
}


def _ints(message, data: dict[str, Any]) -> dict[str, Any]:
    """int64 as JSON numbers (agorot are far below 2^53) and enums as the short names
    the requests use (``tax_invoice``), not proto3 JSON's strings."""
    for fd in message.DESCRIPTOR.fields:
        if fd.name not in data:
            continue
        repeated = fd.is_repeated
        value = getattr(message, fd.name)
        if fd.type == FieldDescriptor.TYPE_ENUM and not repeated:
            name = fd.enum_type.values_by_number[value].name
            prefix = _ENUM_PREFIX.get(fd.enum_type.name, "") + "_"
            short = name.removeprefix(prefix).lower()
            data[fd.name] = None if short == "unspecified" else short
        elif fd.type in _INT64:
            data[fd.name] = [int(v) for v in value] if repeated else int(value)
        elif fd.type == FieldDescriptor.TYPE_MESSAGE and fd.message_type.name != "Timestamp":
            if repeated:
                data[fd.name] = [_ints(v, d) for v, d in zip(value, data[fd.name], strict=True)]
            else:
                data[fd.name] = _ints(value, data[fd.name])
    return data


def out(message) -> dict[str, Any]:
    return _ints(
        message,
        json_format.MessageToDict(
            message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
        ),
    )


class DocType(StrEnum):
    quote = "quote"
    order = "order"
    delivery_note = "delivery_note"
    tax_invoice = "tax_invoice"
    invoice_receipt = "invoice_receipt"
    receipt = "receipt"
    credit_note = "credit_note"


class Vat(StrEnum):
    standard = "standard"
    exempt = "exempt"
    zero_rated = "zero_rated"


class Method(StrEnum):
    card = "card"
    bank_transfer = "bank_transfer"
    cash = "cash"
    cheque = "cheque"
    standing_order = "standing_order"


class LineStatus(StrEnum):
    open = "open"
    picked = "picked"
    shipped = "shipped"
    delivered = "delivered"
    cancelled = "cancelled"


def _enum(prefix: str, value: StrEnum | None) -> int:
    return (
        0
        if value is None
        else pb.DESCRIPTOR.enum_types_by_name[prefix]
        .values_by_name[f"{_ENUM_PREFIX[prefix]}_{value.value.upper()}"]
        .number
    )


_ENUM_PREFIX = {
    "DocumentType": "DOCUMENT_TYPE",
    "VatCategory": "VAT_CATEGORY",
    "PaymentMethod": "PAYMENT_METHOD",
    "LineStatus": "LINE_STATUS",
    "WonDealStatus": "WON_DEAL_STATUS",
}


class WonDealStatus(StrEnum):
    parked = "parked"
    ordered = "ordered"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProductIn(Strict):
    sku: str = Field(min_length=1, max_length=64)
    name_he: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    unit: str = Field(min_length=1, max_length=20)
    price_agorot: int = Field(ge=0)
    vat_category: Vat = Vat.standard


class PriceItem(Strict):
    product_id: str
    price_agorot: int = Field(ge=0)


class PriceListIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    items: list[PriceItem] = []


class TermsIn(Strict):
    price_list_id: str | None = None
    discount_bp: int = Field(default=0, ge=0, le=10_000)
    prices: list[PriceItem] = []


class BusinessIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    tax_id: str | None = Field(default=None, max_length=9)
    address: str | None = Field(default=None, max_length=300)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=320)


class LineIn(Strict):
    product_id: str | None = None
    base_line_id: str | None = None
    quantity: str | None = Field(default=None, max_length=20)
    discount_bp: int = Field(default=0, ge=0, lt=10_000)
    description: str | None = Field(default=None, max_length=300)
    unit_price_agorot: int = 0
    vat_category: Vat | None = None


class PaymentIn(Strict):
    method: Method
    amount_agorot: int
    reference: str | None = None
    cheque_number: str | None = None
    bank_code: str | None = None
    branch_code: str | None = None
    account_number: str | None = None
    due_date: dt.date | None = None


class DocumentIn(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "type": "quote",
                    "lead_id": "0194f7a0-0000-7000-8000-000000000010",
                    "party_id": "0194f7a0-0000-7000-8000-000000000011",
                    "customer_name": "דנה לוי",
                    "lines": [{"product_id": "0194f7a0-...", "quantity": "2"}],
                }
            ]
        },
    )

    type: DocType
    party_id: str | None = None
    lead_id: str | None = None
    customer_name: str | None = Field(default=None, max_length=200)
    customer_tax_id: str | None = Field(default=None, max_length=9)
    base_document_id: str | None = None
    lines: list[LineIn] = []
    issue_date: dt.date | None = None
    due_date: dt.date | None = None
    payments: list[PaymentIn] = []
    notes: str | None = Field(default=None, max_length=1000)


class Allocation(Strict):
    document_id: str
    amount_agorot: int


class RecordPaymentIn(Strict):
    party_id: str
    customer_name: str | None = None
    payment: PaymentIn
    allocations: list[Allocation] = []


class ChargeIn(Strict):
    party_id: str
    customer_name: str | None = None
    card_token: str = Field(min_length=1, max_length=100, description="the provider's pm_... token")
    amount_agorot: int = Field(gt=0)
    idempotency_key: str = Field(min_length=1, max_length=100)
    allocations: list[Allocation] = []


class ShipIn(Strict):
    line_ids: list[str] = []
    expected_arrival: dt.date
    carrier: str = Field(default="", max_length=100)
    tracking_number: str = Field(default="", max_length=100)


class LineStatusIn(Strict):
    status: LineStatus


def _payment_pb(p: PaymentIn) -> pb.PaymentInput:
    return pb.PaymentInput(
        method=_enum("PaymentMethod", p.method),
        amount_agorot=p.amount_agorot,
        reference=p.reference or "",
        cheque_number=p.cheque_number or "",
        bank_code=p.bank_code or "",
        branch_code=p.branch_code or "",
        account_number=p.account_number or "",
        due_date=p.due_date.isoformat() if p.due_date else "",
    )


@router.put("/business-profile", status_code=204, summary="The business's details on documents")
async def set_business(body: BusinessIn, call: Call, services: Services) -> Response:
    await stub(services).SetBusinessProfile(
        pb.SetBusinessProfileRequest(**body.model_dump(exclude_none=True)),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return Response(status_code=204)


@router.post("/products", status_code=201, summary="Add a product or service to the price list")
async def create_product(body: ProductIn, call: Call, services: Services) -> dict:
    data = body.model_dump(exclude_none=True)
    data["vat_category"] = _enum("VatCategory", body.vat_category)
    resp = await stub(services).CreateProduct(
        pb.CreateProductRequest(**data), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.product)


@router.get("/products", summary="The price list")
async def list_products(call: Call, services: Services) -> dict:
    resp = await stub(services).ListProducts(
        pb.ListProductsRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp)


@router.post("/price-lists", status_code=201, summary="A named price list")
async def create_price_list(body: PriceListIn, call: Call, services: Services) -> dict:
    resp = await stub(services).CreatePriceList(
        pb.CreatePriceListRequest(
            name=body.name, items=[pb.PriceListItem(**i.model_dump()) for i in body.items]
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp)


@router.put("/customers/{party_id}/terms", status_code=204, summary="Customer prices/discount")
async def set_terms(party_id: str, body: TermsIn, call: Call, services: Services) -> Response:
    await stub(services).SetCustomerTerms(
        pb.SetCustomerTermsRequest(
            party_id=party_id,
            price_list_id=body.price_list_id or "",
            discount_bp=body.discount_bp,
            prices=[pb.PriceListItem(**i.model_dump()) for i in body.prices],
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return Response(status_code=204)


@router.post(
    "/documents",
    status_code=201,
    summary="Issue a document (numbered and final at once)",
    openapi_extra={"x-permission": "billing:issue_invoice"},
)
async def issue_document(body: DocumentIn, call: Call, services: Services, response: Response):
    resp = await stub(services).IssueDocument(
        pb.IssueDocumentRequest(
            type=_enum("DocumentType", body.type),
            party_id=body.party_id or "",
            lead_id=body.lead_id or "",
            customer_name=body.customer_name or "",
            customer_tax_id=body.customer_tax_id or "",
            base_document_id=body.base_document_id or "",
            lines=[
                pb.DocumentLineInput(
                    product_id=ln.product_id or "",
                    base_line_id=ln.base_line_id or "",
                    quantity=ln.quantity or "",
                    discount_bp=ln.discount_bp,
                    description=ln.description or "",
                    unit_price_agorot=ln.unit_price_agorot,
                    vat_category=_enum("VatCategory", ln.vat_category),
                )
                for ln in body.lines
            ],
            issue_date=body.issue_date.isoformat() if body.issue_date else "",
            due_date=body.due_date.isoformat() if body.due_date else "",
            payments=[_payment_pb(p) for p in body.payments],
            notes=body.notes or "",
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    response.headers["Location"] = f"/v1/billing/documents/{resp.document.document_id}"
    return out(resp.document)


@router.get("/documents", summary="Documents of a customer or of a type")
async def list_documents(
    call: Call,
    services: Services,
    party_id: Annotated[str | None, Query(max_length=36)] = None,
    type: DocType | None = None,
) -> dict:
    resp = await stub(services).ListDocuments(
        pb.ListDocumentsRequest(party_id=party_id or "", type=_enum("DocumentType", type)),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp)


@router.get("/documents/{document_id}", summary="A document with its lines and open amount")
async def get_document(document_id: str, call: Call, services: Services) -> dict:
    resp = await stub(services).GetDocument(
        pb.GetDocumentRequest(document_id=document_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.document)


@router.post("/documents/{document_id}:accept", summary="The customer accepted the quote")
async def accept_quote(document_id: str, call: Call, services: Services) -> dict:
    resp = await stub(services).AcceptQuote(
        pb.AcceptQuoteRequest(document_id=document_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.document)


@router.get(
    "/documents/{document_id}/pdf",
    summary="The PDF: the first print is the original (מקור), later ones copies (העתק)",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}},
)
async def document_pdf(document_id: str, call: Call, services: Services) -> Response:
    resp = await stub(services).GetDocumentPdf(
        pb.GetDocumentPdfRequest(document_id=document_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return Response(
        resp.pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{resp.filename}"',
            "X-Document-Original": "true" if resp.original else "false",
            "X-Document-SHA256": resp.sha256,
        },
    )


@router.post(
    "/documents/{document_id}:ship",
    summary="Ship order lines with an expected arrival date",
    openapi_extra={"x-permission": "billing:change_order_status"},
)
async def ship(document_id: str, body: ShipIn, call: Call, services: Services) -> dict:
    resp = await stub(services).ShipOrder(
        pb.ShipOrderRequest(
            document_id=document_id,
            line_ids=body.line_ids,
            expected_arrival=body.expected_arrival.isoformat(),
            carrier=body.carrier,
            tracking_number=body.tracking_number,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.document)


@router.put(
    "/documents/{document_id}/lines/{line_id}/status",
    summary="Fulfilment status of an order line",
    openapi_extra={"x-permission": "billing:change_order_status"},
)
async def line_status(
    document_id: str, line_id: str, body: LineStatusIn, call: Call, services: Services
) -> dict:
    resp = await stub(services).SetOrderLineStatus(
        pb.SetOrderLineStatusRequest(
            document_id=document_id, line_id=line_id, status=_enum("LineStatus", body.status)
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.document)


@router.post(
    "/payments",
    status_code=201,
    summary="Record a payment (transfer, cash, cheque, standing order); issues a receipt",
    openapi_extra={"x-permission": "billing:change_payment_status"},
)
async def record_payment(body: RecordPaymentIn, call: Call, services: Services) -> dict:
    resp = await stub(services).RecordPayment(
        pb.RecordPaymentRequest(
            party_id=body.party_id,
            customer_name=body.customer_name or "",
            payment=_payment_pb(body.payment),
            allocations=[pb.Allocation(**a.model_dump()) for a in body.allocations],
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.payment)


@router.post(
    "/card-charges",
    status_code=202,
    summary="Charge a tokenised card; the provider's webhook settles it",
    openapi_extra={"x-permission": "billing:change_payment_status"},
)
async def charge_card(body: ChargeIn, call: Call, services: Services) -> dict:
    resp = await stub(services).ChargeCard(
        pb.ChargeCardRequest(
            party_id=body.party_id,
            customer_name=body.customer_name or "",
            card_token=body.card_token,
            amount_agorot=body.amount_agorot,
            idempotency_key=body.idempotency_key,
            allocations=[pb.Allocation(**a.model_dump()) for a in body.allocations],
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.payment)


@router.get("/customers/{party_id}/ledger", summary="Open items, balance and statement")
async def get_ledger(
    party_id: str,
    call: Call,
    services: Services,
    as_of: dt.date | None = None,
    from_date: dt.date | None = None,
) -> dict:
    resp = await stub(services).GetLedger(
        pb.GetLedgerRequest(
            party_id=party_id,
            as_of=as_of.isoformat() if as_of else "",
            from_date=from_date.isoformat() if from_date else "",
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp)


@router.get("/aging", summary="Aging per customer and for the tenant (the collections list)")
async def get_aging(
    call: Call, services: Services, party_id: str | None = None, as_of: dt.date | None = None
) -> dict:
    resp = await stub(services).GetAging(
        pb.GetAgingRequest(party_id=party_id or "", as_of=as_of.isoformat() if as_of else ""),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp)


@router.get("/customers/{party_id}/purchase-history", summary="Items, discounts, payment habits")
async def purchase_history(party_id: str, call: Call, services: Services) -> dict:
    resp = await stub(services).GetPurchaseHistory(
        pb.GetPurchaseHistoryRequest(party_id=party_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp)


@router.get("/lapsed-customers", summary="Who bought an item and has not for N days")
async def lapsed(
    call: Call,
    services: Services,
    sku: Annotated[str, Query(min_length=1, max_length=64)],
    days: Annotated[int, Query(ge=1, le=3650)],
    as_of: dt.date | None = None,
) -> dict:
    resp = await stub(services).ListLapsedCustomers(
        pb.ListLapsedCustomersRequest(sku=sku, days=days, as_of=as_of.isoformat() if as_of else ""),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp)


@router.get(
    "/won-deals",
    summary="Won deals billing was told of; parked ones wait for their customer",
)
async def list_won_deals(
    call: Call,
    services: Services,
    status: WonDealStatus | None = None,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=100)] = None,
) -> dict:
    """L8 hand-off: a won deal whose customer billing cannot name yet is ``parked`` until
    contacts' ``customer.created`` arrives; ``ordered`` ones carry their ``order_id``."""
    resp = await stub(services).ListWonDeals(
        pb.ListWonDealsRequest(
            status=_enum("WonDealStatus", status),
            page_size=page_size,
            page_token=page_token or "",
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp)


class ScheduleIn(Strict):
    party_id: str
    customer_name: str | None = None
    card_token: str = Field(min_length=1, max_length=100)
    amount_agorot: int = Field(gt=0)
    interval_months: int = Field(default=1, ge=1, le=12)
    first_charge_on: dt.date | None = None


@router.post(
    "/card-schedules",
    status_code=201,
    summary="A recurring card charge (every N months)",
    openapi_extra={"x-permission": "billing:change_payment_status"},
)
async def create_schedule(body: ScheduleIn, call: Call, services: Services) -> dict:
    resp = await stub(services).CreateCardSchedule(
        pb.CreateCardScheduleRequest(
            party_id=body.party_id,
            customer_name=body.customer_name or "",
            card_token=body.card_token,
            amount_agorot=body.amount_agorot,
            interval_months=body.interval_months,
            first_charge_on=body.first_charge_on.isoformat() if body.first_charge_on else "",
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.schedule)


@router.post(
    "/card-schedules:run",
    summary="Charge every schedule due (daily, from a CronJob); idempotent per day",
    openapi_extra={"x-permission": "billing:change_payment_status"},
)
async def run_schedules(call: Call, services: Services, as_of: dt.date | None = None) -> dict:
    resp = await stub(services).RunDueCharges(
        pb.RunDueChargesRequest(as_of=as_of.isoformat() if as_of else ""),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp)
