"""B4-B8 on a real PostgreSQL through gRPC: payments, card webhooks, ledger, aging,
fulfilment, purchase history and lapsed buyers."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import uuid

import grpc
import pytest

from crm.billing.v1 import billing_service_pb2 as pb
from crm.events.billing.v1 import billing_events_pb2 as ev
from crm_billing.documents.service import today as israel_today
from crm_billing.payments.provider import simulated, webhook_secret
from crm_billing.payments.stripe import payment_intent_event, signed_event
from crm_common.grpc.errors import from_rpc_error

INVOICE = pb.DOCUMENT_TYPE_TAX_INVOICE


def line(amount: int, **kw) -> pb.DocumentLineInput:
    return pb.DocumentLineInput(
        description=kw.pop("description", "שירות"), unit_price_agorot=amount, **kw
    )


async def rpc_error(coro):
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await coro
    return exc.value


async def ledger(t, party: str, as_of: str = "") -> pb.GetLedgerResponse:
    return await t.GetLedger(pb.GetLedgerRequest(party_id=party, as_of=as_of))


class TestPayments:
    async def test_b4_cheque_payment_issues_a_receipt_and_pays_oldest_first(self, server):
        t = server.tenant()
        party = str(uuid.uuid4())
        old = await t.issue(INVOICE, party_id=party, issue_date="2025-01-10", lines=[line(10_000)])
        new = await t.issue(INVOICE, party_id=party, issue_date="2025-02-10", lines=[line(10_000)])
        resp = await t.RecordPayment(
            pb.RecordPaymentRequest(
                party_id=party,
                payment=pb.PaymentInput(
                    method=pb.PAYMENT_METHOD_CHEQUE,
                    amount_agorot=15_000,
                    cheque_number="123456",
                    bank_code="12",
                    branch_code="600",
                    account_number="4455",
                    due_date="2025-03-01",
                ),
            )
        )
        p = resp.payment
        assert p.status == "succeeded"
        assert [(a.document_id, a.amount_agorot) for a in p.allocations] == [
            (old.document_id, 11_800),
            (new.document_id, 3_200),
        ]
        receipt = (
            await t.GetDocument(pb.GetDocumentRequest(document_id=p.receipt_document_id))
        ).document
        assert receipt.type == pb.DOCUMENT_TYPE_RECEIPT and receipt.number == 1
        assert receipt.total_agorot == 15_000
        led = await ledger(t, party)
        assert [(i.document_id, i.open_agorot) for i in led.open_items] == [
            (new.document_id, 8_600)
        ]
        assert led.balance_agorot == 8_600
        types = [r.type for r in await server.events(t.id)]
        assert types[-2:] == ["receipt.issued", "payment.received"]

    async def test_b4_cheque_without_its_details_is_refused_and_changes_nothing(self, server):
        t = server.tenant()
        party = str(uuid.uuid4())
        err = from_rpc_error(
            await rpc_error(
                t.RecordPayment(
                    pb.RecordPaymentRequest(
                        party_id=party,
                        customer_name="x",
                        payment=pb.PaymentInput(method=pb.PAYMENT_METHOD_CHEQUE, amount_agorot=100),
                    )
                )
            )
        )
        fields = {v.field for v in err.violations}
        assert {
            "payment.cheque_number",
            "payment.bank_code",
            "payment.branch_code",
            "payment.due_date",
        } <= fields
        assert await server.events(t.id) == []

    async def test_b4_invoice_receipt_is_paid_in_full_on_issue(self, server):
        t = server.tenant()
        party = str(uuid.uuid4())
        err = await rpc_error(
            t.issue(
                pb.DOCUMENT_TYPE_INVOICE_RECEIPT,
                party_id=party,
                lines=[line(1_000)],
                payments=[pb.PaymentInput(method=pb.PAYMENT_METHOD_CASH, amount_agorot=1_000)],
            )
        )
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
        doc = await t.issue(
            pb.DOCUMENT_TYPE_INVOICE_RECEIPT,
            party_id=party,
            lines=[line(1_000)],
            payments=[
                pb.PaymentInput(method=pb.PAYMENT_METHOD_CASH, amount_agorot=180),
                pb.PaymentInput(
                    method=pb.PAYMENT_METHOD_BANK_TRANSFER, amount_agorot=1_000, reference="TR-9"
                ),
            ],
        )
        assert doc.open_agorot == 0
        assert (await ledger(t, party)).balance_agorot == 0

    async def test_b4_card_charge_is_settled_by_the_signed_webhook(self, server):
        t = server.tenant()
        party = str(uuid.uuid4())
        inv = await t.issue(INVOICE, party_id=party, lines=[line(10_000)])
        provider = simulated()
        sent = len(provider.requests)
        req = pb.ChargeCardRequest(
            party_id=party,
            card_token="pm_card_visa",
            amount_agorot=11_800,
            idempotency_key="order-77",
            allocations=[pb.Allocation(document_id=inv.document_id, amount_agorot=11_800)],
        )
        charge = (await t.ChargeCard(req)).payment
        again = (await t.ChargeCard(req)).payment
        assert again.payment_id == charge.payment_id
        assert len(provider.requests) == sent + 1
        method, path, headers, body = provider.requests[-1]
        assert (method, path) == ("POST", "/v1/payment_intents")
        assert headers["Idempotency-Key"] == f"{t.id}:order-77"
        assert b"amount=11800" in body and b"currency=ils" in body and b"4580" not in body
        assert charge.status == "pending" and charge.provider_reference.startswith("pi_")
        assert (await ledger(t, party)).balance_agorot == 11_800

        payload, signature = provider.outbox[-1]
        forged = payload.replace(b"succeeded", b"succeedee")
        err = await rpc_error(
            t.HandleCardWebhook(pb.HandleCardWebhookRequest(payload=forged, signature=signature))
        )
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
        stale_body, stale_sig = signed_event(
            json.loads(payload), webhook_secret(), int(time.time()) - 3600
        )
        err = await rpc_error(
            t.HandleCardWebhook(
                pb.HandleCardWebhookRequest(payload=stale_body, signature=stale_sig)
            )
        )
        assert err.code() == grpc.StatusCode.INVALID_ARGUMENT

        done = await t.HandleCardWebhook(
            pb.HandleCardWebhookRequest(payload=payload, signature=signature)
        )
        assert not done.duplicate and done.payment.status == "succeeded"
        assert done.payment.receipt_document_id
        replay = await t.HandleCardWebhook(
            pb.HandleCardWebhookRequest(payload=payload, signature=signature)
        )
        assert replay.duplicate
        led = await ledger(t, party)
        assert led.balance_agorot == 0 and list(led.open_items) == []
        assert len(await server.events(t.id, "payment.received")) == 1

    async def test_b4_concurrent_charges_with_one_idempotency_key_charge_once(self, server):
        t = server.tenant()
        provider = simulated()
        sent = len(provider.requests)
        req = pb.ChargeCardRequest(
            party_id=str(uuid.uuid4()),
            customer_name="x",
            card_token="pm_card_visa",
            amount_agorot=700,
            idempotency_key="same-key",
        )
        results = await asyncio.gather(*(t.ChargeCard(req) for _ in range(5)))
        assert len({r.payment.payment_id for r in results}) == 1
        assert len(provider.requests) == sent + 1

    async def test_b4_declined_card_is_reported_and_leaves_the_debt_open(self, server):
        t = server.tenant()
        party = str(uuid.uuid4())
        await t.issue(INVOICE, party_id=party, lines=[line(1_000)])
        charge = (
            await t.ChargeCard(
                pb.ChargeCardRequest(
                    party_id=party,
                    card_token="pm_card_chargeDeclined",
                    amount_agorot=1_180,
                    idempotency_key=str(uuid.uuid4()),
                )
            )
        ).payment
        payload, signature = simulated().outbox[-1]
        assert json.loads(payload)["type"] == "payment_intent.payment_failed"
        done = await t.HandleCardWebhook(
            pb.HandleCardWebhookRequest(payload=payload, signature=signature)
        )
        assert done.payment.status == "failed" and "card_declined" in done.payment.failure_reason
        failed = await server.events(t.id, "payment.failed")
        assert ev.PaymentFailed.FromString(failed[0].payload).payment_id == charge.payment_id
        assert (await ledger(t, party)).balance_agorot == 1_180

    async def test_b4_event_for_another_amount_is_refused(self, server):
        t = server.tenant()
        party = str(uuid.uuid4())
        charge = (
            await t.ChargeCard(
                pb.ChargeCardRequest(
                    party_id=party,
                    customer_name="x",
                    card_token="pm_card_visa",
                    amount_agorot=500,
                    idempotency_key=str(uuid.uuid4()),
                )
            )
        ).payment
        intent = dict(simulated().intents[charge.provider_reference], amount=1)
        body, sig = signed_event(
            payment_intent_event(intent, succeeded=True, event_id="evt_x1", created=0),
            webhook_secret(),
        )
        err = await rpc_error(
            t.HandleCardWebhook(pb.HandleCardWebhookRequest(payload=body, signature=sig))
        )
        assert err.code() == grpc.StatusCode.FAILED_PRECONDITION


def got(r) -> tuple[int, int, int, int]:
    return (
        r.bucket_0_30_agorot,
        r.bucket_31_60_agorot,
        r.bucket_61_90_agorot,
        r.bucket_over_90_agorot,
    )


class TestLedger:
    async def test_b3_b5_credit_note_against_a_partly_paid_invoice(self, server):
        t = server.tenant()
        party = str(uuid.uuid4())
        inv = await t.issue(
            INVOICE,
            party_id=party,
            issue_date="2025-04-01",
            lines=[line(5_000, description="א"), line(5_000, description="ב")],
        )
        await t.RecordPayment(
            pb.RecordPaymentRequest(
                party_id=party,
                payment=pb.PaymentInput(method=pb.PAYMENT_METHOD_CASH, amount_agorot=7_000),
            )
        )
        credit = await t.issue(
            pb.DOCUMENT_TYPE_CREDIT_NOTE,
            base_document_id=inv.document_id,
            issue_date="2025-04-02",
            lines=[pb.DocumentLineInput(base_line_id=inv.lines[1].line_id)],
        )
        assert credit.total_agorot == 5_900
        # 4,800 was open: the credit closes it and 1,100 stays as the customer's credit
        assert credit.open_agorot == 1_100
        led = await ledger(t, party)
        assert list(led.open_items) == []
        assert led.balance_agorot == -1_100 and led.unallocated_credit_agorot == 1_100
        assert [(s.debit_agorot, s.credit_agorot, s.balance_agorot) for s in led.statement] == [
            (11_800, 0, 11_800),
            (0, 5_900, 5_900),
            (0, 7_000, -1_100),
        ]
        period = await t.GetLedger(pb.GetLedgerRequest(party_id=party, from_date="2025-04-02"))
        assert [(s.description, s.balance_agorot) for s in period.statement][:2] == [
            ("יתרת פתיחה", 11_800),
            (f"חשבונית זיכוי {credit.number}", 5_900),
        ]
        err = from_rpc_error(
            await rpc_error(
                t.issue(
                    pb.DOCUMENT_TYPE_CREDIT_NOTE,
                    base_document_id=inv.document_id,
                    lines=[pb.DocumentLineInput(base_line_id=inv.lines[1].line_id)],
                )
            )
        )
        assert [v.field for v in err.violations] == ["lines[0].quantity"]

    async def test_b5_aging_buckets_on_a_fixed_clock(self, server):
        t = server.tenant()
        dana, moshe = str(uuid.uuid4()), str(uuid.uuid4())
        for party, name, date, amount in (
            (dana, "דנה", "2025-01-01", 10_000),  # 120 days on 2025-05-01
            (moshe, "משה", "2025-02-15", 20_000),  # 75
            (dana, "דנה", "2025-03-20", 30_000),  # 42
            (moshe, "משה", "2025-04-20", 40_000),  # 11
            (dana, "דנה", "2025-04-25", 50_000),  # due 2025-05-25: not due yet
        ):
            due = "2025-05-25" if date == "2025-04-25" else ""
            await t.issue(
                INVOICE,
                party_id=party,
                customer_name=name,
                issue_date=date,
                due_date=due,
                lines=[line(amount)],
            )
        aging = await t.GetAging(pb.GetAgingRequest(as_of="2025-05-01"))
        rows = {r.customer_name: r for r in aging.rows}
        assert got(rows["דנה"]) == (59_000, 35_400, 0, 11_800)
        assert got(rows["משה"]) == (47_200, 0, 23_600, 0)
        assert got(aging.total) == (106_200, 35_400, 23_600, 11_800)
        assert aging.rows[0].customer_name == "דנה"  # the oldest debt first: the collections list
        one = await t.GetAging(pb.GetAgingRequest(as_of="2025-05-01", party_id=moshe))
        assert [r.customer_name for r in one.rows] == ["משה"]
        # a later clock moves money to older buckets
        later = await t.GetAging(pb.GetAgingRequest(as_of="2025-07-01", party_id=moshe))
        assert got(later.rows[0]) == (0, 0, 47_200, 23_600)


class TestFulfilment:
    async def test_b6_shipping_sets_line_status_and_announces_the_arrival_date(self, server):
        t = server.tenant()
        order = await t.issue(pb.DOCUMENT_TYPE_ORDER, lines=[line(100), line(200)])
        a, b = order.lines
        picked = await t.SetOrderLineStatus(
            pb.SetOrderLineStatusRequest(
                document_id=order.document_id, line_id=a.line_id, status=pb.LINE_STATUS_PICKED
            )
        )
        assert picked.document.lines[0].status == pb.LINE_STATUS_PICKED
        await t.SetOrderLineStatus(
            pb.SetOrderLineStatusRequest(
                document_id=order.document_id, line_id=b.line_id, status=pb.LINE_STATUS_CANCELLED
            )
        )
        arrival = (dt.date.today() + dt.timedelta(days=3)).isoformat()
        shipped = await t.ShipOrder(
            pb.ShipOrderRequest(
                document_id=order.document_id,
                expected_arrival=arrival,
                carrier="דואר ישראל",
                tracking_number="RR123IL",
            )
        )
        assert [ln.status for ln in shipped.document.lines] == [
            pb.LINE_STATUS_SHIPPED,
            pb.LINE_STATUS_CANCELLED,
        ]
        rows = await server.events(t.id, "order.shipped")
        event = ev.OrderShipped.FromString(rows[0].payload)
        assert rows[0].topic == "crm.billing.order"
        assert (event.expected_arrival, list(event.line_ids), event.tracking_number) == (
            arrival,
            [a.line_id],
            "RR123IL",
        )
        err = await rpc_error(
            t.SetOrderLineStatus(
                pb.SetOrderLineStatusRequest(
                    document_id=order.document_id, line_id=a.line_id, status=pb.LINE_STATUS_OPEN
                )
            )
        )
        assert err.code() == grpc.StatusCode.FAILED_PRECONDITION
        err = from_rpc_error(
            await rpc_error(t.ShipOrder(pb.ShipOrderRequest(document_id=order.document_id)))
        )
        assert "expected_arrival" in {v.field for v in err.violations}


class TestHistory:
    async def test_b7_purchase_history_with_discounts_and_days_to_pay(self, server):
        t = server.tenant()
        party = str(uuid.uuid4())
        p = await t.product("COFFEE", 5_000)
        inv1 = await t.issue(
            INVOICE,
            party_id=party,
            issue_date="2025-01-01",
            lines=[pb.DocumentLineInput(product_id=p.product_id, quantity="2", discount_bp=1000)],
        )
        await t.issue(
            INVOICE,
            party_id=party,
            issue_date="2025-02-01",
            lines=[pb.DocumentLineInput(product_id=p.product_id)],
        )
        await t.RecordPayment(
            pb.RecordPaymentRequest(
                party_id=party,
                payment=pb.PaymentInput(
                    method=pb.PAYMENT_METHOD_BANK_TRANSFER, amount_agorot=inv1.total_agorot
                ),
            )
        )
        h = await t.GetPurchaseHistory(pb.GetPurchaseHistoryRequest(party_id=party))
        (item,) = h.items
        assert (item.sku, item.quantity, item.net_agorot, item.discount_agorot) == (
            "COFFEE",
            "3",
            14_000,
            1_000,
        )
        assert (item.last_bought, item.invoices) == ("2025-02-01", 2)
        assert h.invoiced_agorot == 10_620 + 5_900 and h.paid_agorot == 10_620
        today = israel_today()  # the service dates documents and schedules in Israel time
        assert abs(h.average_days_to_pay - (today - dt.date(2025, 1, 1)).days) <= 1

    async def test_b8_customers_who_stopped_buying_an_item(self, server):
        t = server.tenant()
        p = await t.product("TONER", 10_000)
        other = await t.product("PAPER", 1_000)
        lapsed, active, never = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
        await t.issue(
            INVOICE,
            party_id=lapsed,
            customer_name="ישן",
            issue_date="2025-01-05",
            lines=[pb.DocumentLineInput(product_id=p.product_id)],
        )
        await t.issue(
            INVOICE,
            party_id=active,
            customer_name="פעיל",
            issue_date="2025-01-06",
            lines=[pb.DocumentLineInput(product_id=p.product_id)],
        )
        await t.issue(
            INVOICE,
            party_id=active,
            customer_name="פעיל",
            issue_date="2025-05-20",
            lines=[pb.DocumentLineInput(product_id=p.product_id)],
        )
        await t.issue(
            INVOICE,
            party_id=never,
            customer_name="אחר",
            issue_date="2025-05-21",
            lines=[pb.DocumentLineInput(product_id=other.product_id)],
        )
        resp = await t.ListLapsedCustomers(
            pb.ListLapsedCustomersRequest(sku="TONER", days=90, as_of="2025-06-01")
        )
        assert [(c.party_id, c.last_bought) for c in resp.customers] == [(lapsed, "2025-01-05")]
        err = from_rpc_error(
            await rpc_error(t.ListLapsedCustomers(pb.ListLapsedCustomersRequest()))
        )
        assert {v.field for v in err.violations} == {"sku", "days"}


class TestRecurringCharges:
    async def test_b4_recurring_charge_moves_on_after_success(self, server):
        t = server.tenant()
        party = str(uuid.uuid4())
        today = israel_today()  # the service dates documents and schedules in Israel time
        s = (
            await t.CreateCardSchedule(
                pb.CreateCardScheduleRequest(
                    party_id=party,
                    customer_name="מנוי",
                    card_token="pm_card_visa",
                    amount_agorot=9_900,
                    interval_months=1,
                )
            )
        ).schedule
        run = await t.RunDueCharges(pb.RunDueChargesRequest(as_of=today.isoformat()))
        again = await t.RunDueCharges(pb.RunDueChargesRequest(as_of=today.isoformat()))
        assert [p.payment_id for p in run.charges] == [p.payment_id for p in again.charges]
        (charge,) = run.charges
        payload, signature = simulated().outbox[-1]
        await t.HandleCardWebhook(pb.HandleCardWebhookRequest(payload=payload, signature=signature))
        nothing = await t.RunDueCharges(pb.RunDueChargesRequest(as_of=today.isoformat()))
        assert list(nothing.charges) == []
        from crm_billing.payments.schedules import add_months

        next_period = add_months(dt.date.fromisoformat(s.next_charge_on), 1)
        due = await t.RunDueCharges(pb.RunDueChargesRequest(as_of=next_period.isoformat()))
        assert len(due.charges) == 1 and due.charges[0].payment_id != charge.payment_id

    async def test_b4_failed_recurring_charge_is_retried_then_suspended_and_reported(self, server):
        t = server.tenant()
        party = str(uuid.uuid4())
        day = israel_today()  # the service dates documents and schedules in Israel time
        await t.CreateCardSchedule(
            pb.CreateCardScheduleRequest(
                party_id=party,
                customer_name="מנוי",
                card_token="pm_card_chargeDeclined",
                amount_agorot=5_000,
                interval_months=1,
            )
        )
        retries = []
        for _ in range(3):
            (charge,) = (
                await t.RunDueCharges(pb.RunDueChargesRequest(as_of=day.isoformat()))
            ).charges
            payload, signature = simulated().outbox[-1]
            await t.HandleCardWebhook(
                pb.HandleCardWebhookRequest(payload=payload, signature=signature)
            )
            failed = ev.PaymentFailed.FromString(
                (await server.events(t.id, "payment.failed"))[-1].payload
            )
            assert failed.payment_id == charge.payment_id
            retries.append((failed.attempt, failed.retry_on))
            if failed.retry_on:
                day = dt.date.fromisoformat(failed.retry_on)
        today = israel_today()  # the service dates documents and schedules in Israel time
        assert retries == [
            (1, (today + dt.timedelta(days=1)).isoformat()),
            (2, (today + dt.timedelta(days=3)).isoformat()),
            (3, ""),
        ]
        later = day + dt.timedelta(days=40)
        assert (
            list((await t.RunDueCharges(pb.RunDueChargesRequest(as_of=later.isoformat()))).charges)
            == []
        )

    async def test_b4_invalid_schedule_is_refused(self, server):
        t = server.tenant()
        err = from_rpc_error(
            await rpc_error(
                t.CreateCardSchedule(
                    pb.CreateCardScheduleRequest(
                        party_id=str(uuid.uuid4()),
                        customer_name="x",
                        card_token="4580123412341234",
                        amount_agorot=0,
                        interval_months=13,
                    )
                )
            )
        )
        assert {v.field for v in err.violations} == {
            "card_token",
            "amount_agorot",
            "interval_months",
        }
