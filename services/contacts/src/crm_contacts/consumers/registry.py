"""Every event contacts consumes: what goes on the timeline (C4) and which rules may fire (T4).

Plugging in another service's event is one :class:`Feed` here: its topic, event type, message
class and how it reads as a timeline entry. Rules (T4) can listen to any subscribed event.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from google.protobuf.json_format import MessageToDict
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.billing.v1 import billing_events_pb2 as bill
from crm.events.contacts.v1 import customer_events_pb2 as cust
from crm.events.leads.v1 import deal_events_pb2 as deal
from crm.events.leads.v1 import lead_events_pb2 as lead
from crm.events.messaging.v1 import message_events_pb2 as msg
from crm_common.kafka.consumer import Event, Subscription
from crm_contacts.consumers import leads as lead_handlers
from crm_contacts.tasks.service import apply_event_rules
from crm_contacts.timeline.service import EntryData, add_entry

ToEntry = Callable[[Event, dict[str, Any]], EntryData | None]
Extra = Callable[[AsyncSession, Event], Awaitable[None]]


@dataclass(frozen=True)
class Feed:
    topic: str
    event_type: str
    message: type
    source: str
    to_entry: ToEntry | None = None
    extra: Extra | None = None  # a domain handler that runs first (e.g. L5 makes the customer)


def _party(p: dict[str, Any], key: str = "party_id") -> uuid.UUID | None:
    try:
        return uuid.UUID(p[key]) if p.get(key) else None
    except ValueError:
        return None


def _entry(
    kind: str,
    title: Callable[[dict[str, Any]], str],
    *,
    party_key: str = "party_id",
    body: Callable[[dict[str, Any]], str] | None = None,
) -> ToEntry:
    def make(event: Event, p: dict[str, Any]) -> EntryData | None:
        party = _party(p, party_key)
        if party is None:
            return None
        return EntryData(
            party_id=party,
            kind=kind,
            title=title(p),
            body=body(p) if body else "",
            occurred_at=event.occurred_at,
            data=p,
        )

    return make


def _doc(kind: str, name: str) -> ToEntry:
    def make(event: Event, p: dict[str, Any]) -> EntryData | None:
        d = p.get("document", {})
        party = _party(d)
        if party is None:
            return None
        total = int(d.get("total_agorot", 0)) / 100
        return EntryData(
            party_id=party,
            kind=kind,
            title=f"{name} {d.get('number', '')}: ₪{total:,.2f}",
            occurred_at=event.occurred_at,
            data=p,
        )

    return make


_ACTIVITY_KIND = {
    "call": "call",
    "meeting": "meeting",
    "note": "note",
    "email": "email",
    "whatsapp": "whatsapp",
    "sms": "sms",
    "message": "sms",
    "task": "task",
}
_ACTIVITY_TITLE = {
    "call": "שיחה",
    "meeting": "פגישה",
    "note": "הערה",
    "email": "דוא״ל",
    "whatsapp": "וואטסאפ",
    "sms": "SMS",
    "message": "הודעה",
    "task": "משימה",
}


def _activity(event: Event, p: dict[str, Any]) -> EntryData | None:
    """lead.activity_added: the interaction keeps its kind (a meeting is a meeting)."""
    party = _party(p)
    if party is None:
        return None
    kind = str(p.get("kind", "note")).lower()
    return EntryData(
        party_id=party,
        kind=_ACTIVITY_KIND.get(kind, "note"),
        title=_ACTIVITY_TITLE.get(kind, "פעילות"),
        body=p.get("body", ""),
        occurred_at=event.occurred_at,
        data=p,
    )


def _ils(p: dict[str, Any]) -> str:
    return f"₪{int(p.get('amount_agorot', 0)) / 100:,.2f}"


FEEDS: list[Feed] = [
    Feed(
        "crm.leads.lead",
        "lead.captured",
        lead.LeadCaptured,
        "leads",
        _entry("lead", lambda p: f"ליד חדש: {p.get('name', '')} ({p.get('source', '')})"),
    ),
    Feed(
        "crm.leads.lead",
        "lead.converted",
        lead.LeadConverted,
        "leads",
        _entry("lead", lambda p: f"הליד הפך ללקוח: {p.get('name', '')}"),
        extra=lead_handlers.on_lead_converted,
    ),
    Feed(
        "crm.leads.deal",
        "deal.won",
        deal.DealWon,
        "leads",
        _entry("order", lambda p: f"עסקה נסגרה: {p.get('title', '')} {_ils(p)}"),
    ),
    Feed(
        "crm.leads.deal",
        "deal.lost",
        deal.DealLost,
        "leads",
        _entry("order", lambda p: f"עסקה אבדה: {p.get('lost_reason', '')}"),
    ),
    Feed(
        "crm.contacts.customer",
        "customer.created",
        cust.CustomerCreated,
        "contacts",
        _entry("customer", lambda p: f"נפתח כרטיס לקוח: {p.get('name', '')}"),
    ),
    Feed(
        "crm.billing.quote", "quote.issued", bill.QuoteIssued, "billing", _doc("quote", "הצעת מחיר")
    ),
    Feed("crm.billing.order", "order.issued", bill.OrderIssued, "billing", _doc("order", "הזמנה")),
    Feed(
        "crm.billing.invoice",
        "invoice.issued",
        bill.InvoiceIssued,
        "billing",
        _doc("invoice", "חשבונית"),
    ),
    Feed(
        "crm.billing.credit",
        "credit.issued",
        bill.CreditIssued,
        "billing",
        _doc("invoice", "חשבונית זיכוי"),
    ),
    # C4 gaps closed 25 Nov: delivery notes, receipts, shipments, failed charges, and the
    # interactions recorded on a lead (calls, notes, meetings) now reach the card too.
    Feed(
        "crm.billing.delivery",
        "delivery.issued",
        bill.DeliveryIssued,
        "billing",
        _doc("order", "תעודת משלוח"),
    ),
    Feed(
        "crm.billing.receipt",
        "receipt.issued",
        bill.ReceiptIssued,
        "billing",
        _doc("payment", "קבלה"),
    ),
    Feed(
        "crm.billing.order",
        "order.shipped",
        bill.OrderShipped,
        "billing",
        _entry(
            "order",
            lambda p: (
                f"הזמנה {p.get('number', '')} נשלחה; הגעה צפויה {p.get('expected_arrival', '')}"
            ),
            body=lambda p: " ".join(x for x in (p.get("carrier"), p.get("tracking_number")) if x),
        ),
    ),
    Feed(
        "crm.billing.payment",
        "payment.failed",
        bill.PaymentFailed,
        "billing",
        _entry(
            "payment",
            lambda p: f"חיוב נכשל {_ils(p)}",
            body=lambda p: p.get("reason", ""),
        ),
    ),
    Feed(
        "crm.leads.lead",
        "lead.activity_added",
        lead.LeadActivityAdded,
        "leads",
        lambda event, p: _activity(event, p),
    ),
    Feed(
        "crm.billing.payment",
        "payment.received",
        bill.PaymentReceived,
        "billing",
        _entry("payment", lambda p: f"התקבל תשלום {_ils(p)} ({p.get('method', '')})"),
    ),
    Feed(
        "crm.messaging.message",
        "message.sent",
        msg.MessageSent,
        "messaging",
        _entry(
            "sms",
            lambda p: f"נשלחה הודעה ({p.get('channel', '')}): {p.get('subject', '')}",
            body=lambda p: p.get("preview", ""),
        ),
    ),
    Feed(
        "crm.messaging.message",
        "message.received",
        msg.MessageReceived,
        "messaging",
        _entry(
            "sms",
            lambda p: f"התקבלה הודעה ({p.get('channel', '')})",
            body=lambda p: p.get("text", ""),
        ),
    ),
    Feed(
        "crm.messaging.call",
        "call.ended",
        msg.CallEnded,
        "messaging",
        _entry(
            "call", lambda p: f"שיחה {p.get('direction', '')}, {p.get('duration_seconds', 0)} שניות"
        ),
    ),
    Feed(
        "crm.messaging.call",
        "call.recorded",
        msg.CallRecorded,
        "messaging",
        _entry("recording", lambda p: "הקלטת שיחה", body=lambda p: p.get("recording_url", "")),
    ),
]

# Message channels map to timeline kinds; the generic "sms" above is refined here.
_CHANNEL_KIND = {"email": "email", "whatsapp": "whatsapp", "sms": "sms"}


def subscribed() -> set[tuple[str, str]]:
    return {(f.topic, f.event_type) for f in FEEDS}


def payload_dict(event: Event) -> dict[str, Any]:
    return MessageToDict(event.payload, preserving_proto_field_name=True)


def handler_for(feed: Feed):
    async def handle(session: AsyncSession, event: Event) -> None:
        if feed.extra is not None:
            await feed.extra(session, event)
        payload = payload_dict(event)
        if feed.to_entry is not None:
            entry = feed.to_entry(event, payload)
            if entry is not None:
                if entry.kind == "sms":
                    entry.kind = _CHANNEL_KIND.get(str(payload.get("channel", "")), "sms")
                await add_entry(
                    session, event.tenant_id, entry, source=feed.source, source_event_id=event.id
                )
        await apply_event_rules(
            session,
            event.tenant_id,
            topic=feed.topic,
            event_type=feed.event_type,
            event_id=event.id,
            payload=payload,
        )

    return handle


def subscriptions() -> list[Subscription]:
    return [
        Subscription(
            topic=f.topic, event_type=f.event_type, message=f.message, handler=handler_for(f)
        )
        for f in FEEDS
    ]
