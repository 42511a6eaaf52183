"""``crm-contacts serve|relay|consume|migrate``."""

from pathlib import Path

from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm_common.app import ServiceApp
from crm_common.kafka.consumer import Subscription
from crm_contacts.api.servicer import SERVICE_NAMES, register
from crm_contacts.consumers import leads
from crm_contacts.settings import ContactsSettings

app = ServiceApp(
    name="contacts",
    settings_factory=ContactsSettings,
    register=register,
    grpc_service_names=SERVICE_NAMES,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=lambda: [
        Subscription(
            topic=leads.LEAD_TOPIC,
            event_type="lead.converted",
            message=lead_ev.LeadConverted,
            handler=leads.on_lead_converted,
        ),
    ],
)


def main() -> int:
    return app.main()


if __name__ == "__main__":
    raise SystemExit(main())
