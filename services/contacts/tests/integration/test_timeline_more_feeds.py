"""C4: the card's timeline also gets delivery notes, receipts, shipments, failed charges and
the interactions recorded on a lead (a meeting stays a meeting)."""

from __future__ import annotations

import datetime as dt

from crm.contacts.v1 import card_service_pb2 as pb
from crm.events.billing.v1 import billing_events_pb2 as bill
from crm.events.leads.v1 import lead_events_pb2 as lead
from crm_common.db import uuid7

from .test_tasks_timeline_grpc import deliver


async def test_c4_delivery_receipt_shipment_failed_charge_and_lead_activities(contacts, caller):
    party = str(uuid7())
    t0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)

    def doc(type_: str, number: int) -> bill.IssuedDocument:
        return bill.IssuedDocument(
            document_id=str(uuid7()),
            document_type=type_,
            number=number,
            party_id=party,
            total_agorot=11_800,
        )

    events = [
        (
            "crm.billing.delivery",
            "delivery.issued",
            bill.DeliveryIssued(document=doc("delivery_note", 3)),
        ),
        ("crm.billing.receipt", "receipt.issued", bill.ReceiptIssued(document=doc("receipt", 4))),
        (
            "crm.billing.order",
            "order.shipped",
            bill.OrderShipped(
                document_id=str(uuid7()),
                number=7,
                party_id=party,
                expected_arrival="2026-11-05",
                carrier="דואר ישראל",
                tracking_number="RR123",
            ),
        ),
        (
            "crm.billing.payment",
            "payment.failed",
            bill.PaymentFailed(
                payment_id=str(uuid7()), party_id=party, amount_agorot=5_000, reason="declined"
            ),
        ),
        (
            "crm.leads.lead",
            "lead.activity_added",
            lead.LeadActivityAdded(
                lead_id=str(uuid7()),
                party_id=party,
                activity_id=str(uuid7()),
                kind="meeting",
                body="פגישת היכרות",
            ),
        ),
    ]
    for i, (topic, type_, payload) in enumerate(events):
        await deliver(
            contacts, caller.tenant, topic, type_, payload, at=t0 + dt.timedelta(minutes=i)
        )
    tl = await contacts.card.ListTimeline(
        pb.ListTimelineRequest(party_id=party), metadata=caller.md, timeout=5
    )
    got = [(e.kind, e.title) for e in tl.entries]
    assert got == [
        ("meeting", "פגישה"),
        ("payment", "חיוב נכשל ₪50.00"),
        ("order", "הזמנה 7 נשלחה; הגעה צפויה 2026-11-05"),
        ("payment", "קבלה 4: ₪118.00"),
        ("order", "תעודת משלוח 3: ₪118.00"),
    ]
    assert tl.entries[0].body == "פגישת היכרות"
    assert tl.entries[2].body == "דואר ישראל RR123"
