"""What the contacts service consumes (the shared wiring is in tests/wiring)."""

from __future__ import annotations

from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm_common.outbox import event_type_of
from crm_contacts.main import app


def test_l5_c4_app_consumes_lead_converted_and_every_timeline_feed():
    subs = app.subscriptions()
    routes = {(s.topic, s.event_type): s.message for s in subs}
    assert routes[("crm.leads.lead", "lead.converted")] is lead_ev.LeadConverted
    assert ("crm.leads.deal", "deal.won") in routes
    assert ("crm.billing.invoice", "invoice.issued") in routes
    assert ("crm.messaging.call", "call.ended") in routes
    assert len(routes) == len(subs)  # one handler per (topic, event type)
    for sub in subs:
        assert event_type_of(sub.message()) == sub.event_type
