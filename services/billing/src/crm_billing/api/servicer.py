"""gRPC servicer: proto in, use case, proto out. No queries, no commits."""

from __future__ import annotations

import uuid

import grpc

from crm.billing.v1 import billing_service_pb2 as pb
from crm.billing.v1 import billing_service_pb2_grpc as pb_grpc
from crm_billing.api import mappers as m
from crm_billing.catalog import service as catalog
from crm_billing.documents import fulfilment
from crm_billing.documents import service as documents
from crm_billing.documents.models import DocType, LineStatus
from crm_billing.handoff import service as handoff
from crm_billing.ledger import service as ledger
from crm_billing.models import load_all_models
from crm_billing.parties import service
from crm_billing.payments import schedules
from crm_billing.payments import service as payments
from crm_common.context import current_tenant
from crm_common.db import current_session
from crm_common.errors import FieldViolation, InvalidArgument
from crm_common.normalize import encode_page_token
from crm_common.pagination import PageRequest
from crm_common.protoutil import parse_uuid

load_all_models()


def _opt_uuid(raw: str, field: str) -> uuid.UUID | None:
    return parse_uuid(raw, field) if raw else None


def _enum(value: int, table: dict, field: str, *, required: bool = True):
    if value in table:
        return table[value]
    if not required and value == 0:
        return None
    raise InvalidArgument(f"{field} is required", violations=[FieldViolation(field, "is required")])


def _payment_input(p: pb.PaymentInput, field: str) -> documents.PaymentInput:
    return documents.PaymentInput(
        method=_enum(p.method, m.METHOD_FROM_PB, f"{field}.method").value,
        amount_agorot=p.amount_agorot,
        reference=p.reference or None,
        cheque_number=p.cheque_number or None,
        bank_code=p.bank_code or None,
        branch_code=p.branch_code or None,
        account_number=p.account_number or None,
        due_date=m.parse_date(p.due_date, f"{field}.due_date"),
    )


def _allocations(items) -> list[tuple[uuid.UUID, int]]:
    return [
        (parse_uuid(a.document_id, f"allocations[{i}].document_id"), a.amount_agorot)
        for i, a in enumerate(items)
    ]


async def _doc_pb(session, doc) -> pb.Document:
    carried = await documents.open_quantities(session, doc.tenant_id, [ln.id for ln in doc.lines])
    return m.document_to_pb(
        doc,
        carried=carried,
        open_agorot=await documents.open_amount(session, doc),
        sha256=await documents.pdf_checksum(session, doc),
    )


class BillingServicer(pb_grpc.BillingServiceServicer):
    async def GetParty(self, request: pb.GetPartyRequest, context) -> pb.GetPartyResponse:
        party = await service.get_party(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
        )
        return pb.GetPartyResponse(party=m.party_to_pb(party))

    async def SetBusinessProfile(self, request, context) -> pb.SetBusinessProfileResponse:
        await catalog.set_business_profile(
            session=current_session(),
            tenant_id=current_tenant(),
            name=request.name,
            tax_id=request.tax_id or None,
            address=request.address or None,
            phone=request.phone or None,
            email=request.email or None,
            logo=request.logo or None,
        )
        return pb.SetBusinessProfileResponse()

    async def CreateProduct(self, request, context) -> pb.CreateProductResponse:
        vat = m.VAT_FROM_PB.get(request.vat_category)
        product = await catalog.create_product(
            session=current_session(),
            tenant_id=current_tenant(),
            data=catalog.ProductCreate(
                sku=request.sku,
                name_he=request.name_he,
                name_en=request.name_en or None,
                unit=request.unit,
                price_agorot=request.price_agorot,
                vat_category=vat.value if vat else "",
            ),
        )
        return pb.CreateProductResponse(product=m.product_to_pb(product))

    async def ListProducts(self, request, context) -> pb.ListProductsResponse:
        products = await catalog.list_products(
            session=current_session(), tenant_id=current_tenant()
        )
        return pb.ListProductsResponse(products=[m.product_to_pb(p) for p in products])

    async def CreatePriceList(self, request, context) -> pb.CreatePriceListResponse:
        price_list = await catalog.create_price_list(
            session=current_session(),
            tenant_id=current_tenant(),
            name=request.name,
            items=[
                (parse_uuid(i.product_id, f"items[{n}].product_id"), i.price_agorot)
                for n, i in enumerate(request.items)
            ],
        )
        return pb.CreatePriceListResponse(price_list_id=str(price_list.id))

    async def SetCustomerTerms(self, request, context) -> pb.SetCustomerTermsResponse:
        await catalog.set_customer_terms(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
            price_list_id=_opt_uuid(request.price_list_id, "price_list_id"),
            discount_bp=request.discount_bp,
            prices=[
                (parse_uuid(i.product_id, f"prices[{n}].product_id"), i.price_agorot)
                for n, i in enumerate(request.prices)
            ],
        )
        return pb.SetCustomerTermsResponse()

    async def IssueDocument(self, request, context) -> pb.IssueDocumentResponse:
        session = current_session()
        data = documents.DocumentInput(
            doc_type=_enum(request.type, m.DOC_FROM_PB, "type"),
            party_id=_opt_uuid(request.party_id, "party_id"),
            lead_id=_opt_uuid(request.lead_id, "lead_id"),
            customer_name=request.customer_name,
            customer_tax_id=request.customer_tax_id,
            base_document_id=_opt_uuid(request.base_document_id, "base_document_id"),
            lines=[
                documents.LineInput(
                    product_id=_opt_uuid(ln.product_id, f"lines[{i}].product_id"),
                    base_line_id=_opt_uuid(ln.base_line_id, f"lines[{i}].base_line_id"),
                    quantity=ln.quantity,
                    discount_bp=ln.discount_bp,
                    description=ln.description,
                    unit_price_agorot=ln.unit_price_agorot,
                    vat_category=(
                        m.VAT_FROM_PB[ln.vat_category].value
                        if ln.vat_category in m.VAT_FROM_PB
                        else ""
                    ),
                )
                for i, ln in enumerate(request.lines)
            ],
            issue_date=m.parse_date(request.issue_date, "issue_date"),
            due_date=m.parse_date(request.due_date, "due_date"),
            payments=[_payment_input(p, f"payments[{i}]") for i, p in enumerate(request.payments)],
            notes=request.notes,
        )
        doc = await documents.issue_document(session=session, tenant_id=current_tenant(), data=data)
        return pb.IssueDocumentResponse(document=await _doc_pb(session, doc))

    async def AcceptQuote(self, request, context) -> pb.AcceptQuoteResponse:
        session = current_session()
        doc = await documents.accept_quote(
            session=session,
            tenant_id=current_tenant(),
            document_id=parse_uuid(request.document_id, "document_id"),
        )
        return pb.AcceptQuoteResponse(document=await _doc_pb(session, doc))

    async def GetDocument(self, request, context) -> pb.GetDocumentResponse:
        session = current_session()
        doc = await documents.get_document(
            session=session,
            tenant_id=current_tenant(),
            document_id=parse_uuid(request.document_id, "document_id"),
        )
        return pb.GetDocumentResponse(document=await _doc_pb(session, doc))

    async def ListDocuments(self, request, context) -> pb.ListDocumentsResponse:
        session = current_session()
        docs = await documents.list_documents(
            session=session,
            tenant_id=current_tenant(),
            party_id=_opt_uuid(request.party_id, "party_id"),
            doc_type=_enum(request.type, m.DOC_FROM_PB, "type", required=False),
        )
        return pb.ListDocumentsResponse(documents=[await _doc_pb(session, d) for d in docs])

    async def GetDocumentPdf(self, request, context) -> pb.GetDocumentPdfResponse:
        data, original, sha, doc = await documents.get_pdf(
            session=current_session(),
            tenant_id=current_tenant(),
            document_id=parse_uuid(request.document_id, "document_id"),
        )
        kind = DocType(doc.doc_type).value
        suffix = "" if original else "-copy"
        return pb.GetDocumentPdfResponse(
            pdf=data, original=original, sha256=sha, filename=f"{kind}-{doc.number}{suffix}.pdf"
        )

    async def _payment_pb(self, payment) -> pb.Payment:
        allocations = await payments.payment_allocations(current_session(), payment)
        return m.payment_to_pb(payment, allocations)

    async def RecordPayment(self, request, context) -> pb.RecordPaymentResponse:
        payment = await payments.record_payment(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
            payment=_payment_input(request.payment, "payment"),
            allocations=_allocations(request.allocations),
            customer_name=request.customer_name,
        )
        return pb.RecordPaymentResponse(payment=await self._payment_pb(payment))

    async def ChargeCard(self, request, context) -> pb.ChargeCardResponse:
        payment = await payments.charge_card(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
            card_token=request.card_token,
            amount_agorot=request.amount_agorot,
            idempotency_key=request.idempotency_key,
            allocations=_allocations(request.allocations),
            customer_name=request.customer_name,
        )
        return pb.ChargeCardResponse(payment=await self._payment_pb(payment))

    async def HandleCardWebhook(self, request, context) -> pb.HandleCardWebhookResponse:
        payment, duplicate = await payments.handle_card_webhook(
            session=current_session(),
            tenant_id=current_tenant(),
            payload=request.payload,
            signature=request.signature,
        )
        return pb.HandleCardWebhookResponse(
            payment=await self._payment_pb(payment) if payment else None, duplicate=duplicate
        )

    async def CreateCardSchedule(self, request, context) -> pb.CreateCardScheduleResponse:
        schedule = await schedules.create_schedule(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
            customer_name=request.customer_name,
            card_token=request.card_token,
            amount_agorot=request.amount_agorot,
            interval_months=request.interval_months,
            first_charge_on=m.parse_date(request.first_charge_on, "first_charge_on"),
            today=documents.today(),
        )
        return pb.CreateCardScheduleResponse(schedule=m.schedule_to_pb(schedule))

    async def RunDueCharges(self, request, context) -> pb.RunDueChargesResponse:
        charges = await schedules.run_due_charges(
            session=current_session(),
            tenant_id=current_tenant(),
            today=m.parse_date(request.as_of, "as_of") or documents.today(),
        )
        return pb.RunDueChargesResponse(charges=[await self._payment_pb(p) for p in charges])

    async def GetLedger(self, request, context) -> pb.GetLedgerResponse:
        session = current_session()
        result = await ledger.ledger(
            session=session,
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
            as_of=m.parse_date(request.as_of, "as_of") or documents.today(),
            from_date=m.parse_date(request.from_date, "from_date"),
        )
        return pb.GetLedgerResponse(
            open_items=[
                pb.OpenItem(
                    document_id=str(i.document.id),
                    type=m.DOC[DocType(i.document.doc_type)],
                    number=i.document.number,
                    issue_date=i.document.issue_date.isoformat(),
                    due_date=(i.document.due_date or i.document.issue_date).isoformat(),
                    total_agorot=i.document.total_agorot,
                    open_agorot=i.open_agorot,
                    days_overdue=i.days_overdue,
                )
                for i in result.open_items
            ],
            balance_agorot=result.balance,
            statement=[
                pb.StatementLine(
                    date=s.date.isoformat(),
                    description=s.description,
                    debit_agorot=s.debit,
                    credit_agorot=s.credit,
                    balance_agorot=s.balance,
                )
                for s in result.statement
            ],
            unallocated_credit_agorot=result.unallocated_credit,
        )

    async def GetAging(self, request, context) -> pb.GetAgingResponse:
        rows, total = await ledger.aging(
            session=current_session(),
            tenant_id=current_tenant(),
            as_of=m.parse_date(request.as_of, "as_of") or documents.today(),
            party_id=_opt_uuid(request.party_id, "party_id"),
        )

        def row(r: ledger.AgingRow) -> pb.AgingRow:
            return pb.AgingRow(
                party_id=str(r.party_id) if r.party_id else "",
                customer_name=r.customer_name,
                bucket_0_30_agorot=r.buckets[0],
                bucket_31_60_agorot=r.buckets[1],
                bucket_61_90_agorot=r.buckets[2],
                bucket_over_90_agorot=r.buckets[3],
                total_agorot=r.total,
                phone=r.phone,
            )

        return pb.GetAgingResponse(rows=[row(r) for r in rows], total=row(total))

    async def ShipOrder(self, request, context) -> pb.ShipOrderResponse:
        session = current_session()
        doc = await fulfilment.ship_order(
            session=session,
            tenant_id=current_tenant(),
            document_id=parse_uuid(request.document_id, "document_id"),
            line_ids=[parse_uuid(x, f"line_ids[{i}]") for i, x in enumerate(request.line_ids)],
            expected_arrival=m.parse_date(request.expected_arrival, "expected_arrival"),
            carrier=request.carrier,
            tracking_number=request.tracking_number,
        )
        return pb.ShipOrderResponse(document=await _doc_pb(session, doc))

    async def SetOrderLineStatus(self, request, context) -> pb.SetOrderLineStatusResponse:
        session = current_session()
        status: LineStatus = _enum(request.status, m.STATUS_FROM_PB, "status")
        doc = await fulfilment.set_line_status(
            session=session,
            tenant_id=current_tenant(),
            document_id=parse_uuid(request.document_id, "document_id"),
            line_id=parse_uuid(request.line_id, "line_id"),
            status=status,
        )
        return pb.SetOrderLineStatusResponse(document=await _doc_pb(session, doc))

    async def GetPurchaseHistory(self, request, context) -> pb.GetPurchaseHistoryResponse:
        h = await ledger.purchase_history(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
        )
        return pb.GetPurchaseHistoryResponse(
            items=[
                pb.PurchasedItem(
                    sku=i.sku,
                    name_he=i.name_he,
                    quantity=m.qty(i.quantity),
                    net_agorot=i.net,
                    discount_agorot=i.discount,
                    last_bought=i.last_bought.isoformat(),
                    invoices=i.invoices,
                )
                for i in h.items
            ],
            invoiced_agorot=h.invoiced,
            discount_agorot=h.discount,
            paid_agorot=h.paid,
            average_days_to_pay=h.average_days_to_pay,
        )

    async def ListLapsedCustomers(self, request, context) -> pb.ListLapsedCustomersResponse:
        if not request.sku or request.days <= 0:
            raise InvalidArgument(
                "sku and days are required",
                violations=[
                    *([FieldViolation("sku", "is required")] if not request.sku else []),
                    *([FieldViolation("days", "must be positive")] if request.days <= 0 else []),
                ],
            )
        rows = await ledger.lapsed_customers(
            session=current_session(),
            tenant_id=current_tenant(),
            sku=request.sku,
            days=request.days,
            as_of=m.parse_date(request.as_of, "as_of") or documents.today(),
        )
        return pb.ListLapsedCustomersResponse(
            customers=[
                pb.LapsedCustomer(
                    party_id=str(r.party_id),
                    customer_name=r.customer_name,
                    phone=r.phone,
                    last_bought=r.last_bought.isoformat(),
                    quantity=m.qty(r.quantity),
                )
                for r in rows
            ]
        )

    async def ListWonDeals(self, request, context) -> pb.ListWonDealsResponse:
        if request.status and request.status not in m.WON_DEAL_STATUS_FROM_PB:
            raise InvalidArgument(
                "status is not valid",
                violations=[FieldViolation("status", "must be parked, ordered or unspecified")],
            )
        status = m.WON_DEAL_STATUS_FROM_PB.get(request.status)
        page = PageRequest.parse(request.page_size, request.page_token)
        rows = await handoff.list_won_deals(
            current_session(), current_tenant(), status=status, size=page.size, before=page.before
        )
        return pb.ListWonDealsResponse(
            won_deals=[m.won_deal_to_pb(w) for w in rows[: page.size]],
            next_page_token=encode_page_token(rows[page.size - 1].deal_id)
            if len(rows) > page.size
            else "",
        )


def register(server: grpc.aio.Server) -> None:
    pb_grpc.add_BillingServiceServicer_to_server(BillingServicer(), server)


SERVICE_NAMES = [pb.DESCRIPTOR.services_by_name["BillingService"].full_name]
