"""What the reporting service consumes (the shared wiring is in tests/wiring)."""

from __future__ import annotations

from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm_common.outbox import event_type_of
from crm_reporting.main import app


def test_r2_app_consumes_lead_captured():
    subs = app.subscriptions()
    assert [(s.topic, s.event_type, s.message) for s in subs] == [
        ("crm.leads.lead", "lead.captured", lead_ev.LeadCaptured)
    ]
    for sub in subs:
        assert event_type_of(sub.message()) == sub.event_type
