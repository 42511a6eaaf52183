"""What the messaging service consumes (the shared wiring is in tests/wiring)."""

from __future__ import annotations

from crm.events.billing.v1 import billing_events_pb2 as billing_ev
from crm.events.contacts.v1 import contact_events_pb2 as contact_ev
from crm.events.contacts.v1 import customer_events_pb2 as customer_ev
from crm.events.contacts.v1 import task_events_pb2 as task_ev
from crm_common.outbox import event_type_of
from crm_messaging.main import app


def test_foundation_app_consumes_customer_created_the_notice_events_and_task_actions():
    subs = app.subscriptions()
    assert [(s.topic, s.event_type, s.message) for s in subs] == [
        ("crm.contacts.customer", "customer.created", customer_ev.CustomerCreated),
        ("crm.contacts.contact", "birthday.due", contact_ev.BirthdayDue),
        ("crm.contacts.task", "task.created", task_ev.TaskCreated),
        ("crm.contacts.task", "task.action_requested", task_ev.TaskActionRequested),
        ("crm.billing.order", "order.shipped", billing_ev.OrderShipped),
    ]
    for sub in subs:
        assert event_type_of(sub.message()) == sub.event_type
