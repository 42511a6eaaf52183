"""What the reporting service consumes (the shared wiring is in tests/wiring)."""

from __future__ import annotations

from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm_common.outbox import event_type_of
from crm_reporting.facts import handlers
from crm_reporting.main import app

EXPECTED = {
    "crm.leads.lead": {
        "lead.captured", "lead.assigned", "lead.qualified", "lead.disqualified",
        "lead.converted", "lead.merged", "lead.activity_added",
    },
    "crm.leads.deal": {"deal.created", "deal.stage_changed", "deal.won", "deal.lost"},
    "crm.leads.target": {"target.set"},
    "crm.billing.quote": {"quote.issued"},
    "crm.billing.order": {"order.issued"},
    "crm.billing.delivery": {"delivery.issued"},
    "crm.billing.invoice": {"invoice.issued"},
    "crm.billing.receipt": {"receipt.issued"},
    "crm.billing.credit": {"credit.issued"},
    "crm.billing.payment": {"payment.received", "payment.failed"},
    "crm.messaging.message": {
        "message.queued", "message.sent", "message.status_changed", "message.received",
    },
    "crm.messaging.call": {"call.started", "call.ended"},
    "crm.contacts.customer": {"customer.created"},
    "crm.contacts.contact": {"contact.changed", "contacts.changed", "account.changed"},
    "crm.contacts.task": {"task.created", "task.assigned", "task.completed", "task.sla_breached"},
}  # fmt: skip


def test_r2_r6_app_consumes_every_event_of_the_reporting_schema():
    subs = app.subscriptions()
    got: dict[str, set[str]] = {}
    for sub in subs:
        got.setdefault(sub.topic, set()).add(sub.event_type)
        assert event_type_of(sub.message()) == sub.event_type
    for topic, types in EXPECTED.items():
        assert types <= got.get(topic, set()), topic
    assert len({(s.topic, s.event_type) for s in subs}) == len(subs), "one handler per event"


def test_r2_lead_captured_still_counts_leads_by_source():
    (captured,) = [s for s in app.subscriptions() if s.event_type == "lead.captured"]
    assert captured.message is lead_ev.LeadCaptured
    assert captured.handler is handlers.on_lead_captured


def test_r2_billing_document_types_map_to_the_fact_vocabulary():
    """The billing service's doc types (tax_invoice, credit_note, ...) -> document_fact types."""
    assert handlers.DOCUMENT_TYPES["tax_invoice"] == "invoice"
    assert handlers.DOCUMENT_TYPES["invoice_receipt"] == "invoice_receipt"
    assert handlers.DOCUMENT_TYPES["delivery_note"] == "delivery"
    assert handlers.DOCUMENT_TYPES["credit_note"] == "credit"
