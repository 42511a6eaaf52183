"""``crm-billing serve|relay|consume|migrate``."""

from pathlib import Path

from crm.events.contacts.v1 import customer_events_pb2 as customer_ev
from crm.events.leads.v1 import deal_events_pb2 as deal_ev
from crm_billing.api.servicer import SERVICE_NAMES, register
from crm_billing.consumers import contacts, leads
from crm_billing.defaults import tenant_defaults
from crm_billing.jobs import jobs
from crm_billing.settings import BillingSettings
from crm_common.app import ServiceApp
from crm_common.kafka.consumer import Subscription

app = ServiceApp(
    name="billing",
    settings_factory=BillingSettings,
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
            topic=leads.DEAL_TOPIC,
            event_type="deal.won",
            message=deal_ev.DealWon,
            handler=leads.on_deal_won,
        ),
    ],
    tenant_defaults=tenant_defaults,
    jobs=jobs,  # `schedule`: recurring card charges and their retries (B4, daily)
)


def main() -> int:
    return app.main()


if __name__ == "__main__":
    raise SystemExit(main())
