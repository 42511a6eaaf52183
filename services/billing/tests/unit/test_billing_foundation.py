"""What the billing service consumes (the shared wiring is in tests/wiring)."""

from __future__ import annotations

from crm.events.contacts.v1 import customer_events_pb2 as customer_ev
from crm.events.leads.v1 import deal_events_pb2 as deal_ev
from crm_billing.main import app
from crm_common.outbox import event_type_of


def test_foundation_app_consumes_customer_created_and_deal_won():
    subs = app.subscriptions()
    assert [(s.topic, s.event_type, s.message) for s in subs] == [
        ("crm.contacts.customer", "customer.created", customer_ev.CustomerCreated),
        ("crm.leads.deal", "deal.won", deal_ev.DealWon),
    ]
    for sub in subs:
        assert event_type_of(sub.message()) == sub.event_type
