"""``crm-leads serve|relay|consume|migrate``."""

from pathlib import Path

from crm_common.app import ServiceApp
from crm_leads.api.servicer import SERVICE_NAMES, register
from crm_leads.defaults import tenant_defaults
from crm_leads.settings import LeadsSettings


def subscriptions():
    from crm.events.billing.v1 import billing_events_pb2 as bev
    from crm.events.contacts.v1 import contact_events_pb2 as contact_ev
    from crm.events.contacts.v1 import customer_events_pb2 as cev
    from crm_common.kafka.consumer import Subscription
    from crm_leads.consumers import customers, quotes, transfers

    return [
        Subscription(
            topic=customers.CUSTOMER_TOPIC,
            event_type="customer.created",
            message=cev.CustomerCreated,
            handler=customers.on_customer_created,
        ),
        Subscription(
            topic=quotes.QUOTE_TOPIC,
            event_type="quote.accepted",
            message=bev.QuoteAccepted,
            handler=quotes.on_quote_accepted,
        ),
        # C6: a customer transfer that asked for deals moves the party's open deals.
        Subscription(
            topic=transfers.CONTACT_TOPIC,
            event_type="customer.transferred",
            message=contact_ev.CustomerTransferred,
            handler=transfers.on_customer_transferred,
        ),
    ]


app = ServiceApp(
    name="leads",
    settings_factory=LeadsSettings,
    register=register,
    grpc_service_names=SERVICE_NAMES,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=subscriptions,
    tenant_defaults=tenant_defaults,
)


def main() -> int:
    return app.main()


if __name__ == "__main__":
    raise SystemExit(main())
