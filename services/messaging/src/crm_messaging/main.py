"""``crm-messaging serve|relay|consume|migrate|work``.

``work`` runs the dispatcher (:mod:`crm_messaging.worker`): the outbound queue,
retries and campaigns. It is its own process (its own Deployment), like the relay.
"""

from __future__ import annotations

import sys
from pathlib import Path

from crm.events.billing.v1 import billing_events_pb2 as billing_ev
from crm.events.contacts.v1 import contact_events_pb2 as contact_ev
from crm.events.contacts.v1 import customer_events_pb2 as customer_ev
from crm.events.contacts.v1 import task_events_pb2 as task_ev
from crm_common.app import ServiceApp
from crm_common.kafka.consumer import Subscription
from crm_messaging.api.servicer import SERVICE_NAMES, register
from crm_messaging.consumers import actions, contacts, notices
from crm_messaging.settings import MessagingSettings

app = ServiceApp(
    name="messaging",
    settings_factory=MessagingSettings,
    register=register,
    grpc_service_names=SERVICE_NAMES,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=lambda: [
        Subscription(
            topic=contacts.CUSTOMER_TOPIC,
            event_type="customer.created",
            message=customer_ev.CustomerCreated,
            handler=contacts.on_customer_created,
        ),
        Subscription(
            topic=notices.CONTACT_TOPIC,
            event_type="birthday.due",
            message=contact_ev.BirthdayDue,
            handler=notices.on_birthday_due,
        ),
        Subscription(
            topic=notices.TASK_TOPIC,
            event_type="task.created",
            message=task_ev.TaskCreated,
            handler=notices.on_task_created,
        ),
        Subscription(
            topic=actions.TASK_TOPIC,
            event_type="task.action_requested",
            message=task_ev.TaskActionRequested,
            handler=actions.on_task_action_requested,
        ),
        Subscription(
            topic=notices.ORDER_TOPIC,
            event_type="order.shipped",
            message=billing_ev.OrderShipped,
            handler=notices.on_order_shipped,
        ),
    ],
)


def work() -> int:
    import asyncio

    from crm_common.telemetry import setup_telemetry, shutdown_telemetry
    from crm_messaging.worker import serve_worker

    settings = MessagingSettings()
    setup_telemetry("crm-messaging-worker", settings)
    try:
        asyncio.run(serve_worker(settings))
        return 0
    finally:
        shutdown_telemetry()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["work"]:
        return work()
    return app.main(args)


if __name__ == "__main__":
    raise SystemExit(main())
