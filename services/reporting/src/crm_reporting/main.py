"""``crm-reporting serve|relay|consume|migrate``."""

from pathlib import Path

from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm_common.app import ServiceApp
from crm_common.kafka.consumer import Subscription
from crm_reporting.api.servicer import SERVICE_NAMES, register
from crm_reporting.consumers import leads
from crm_reporting.settings import ReportingSettings

app = ServiceApp(
    name="reporting",
    settings_factory=ReportingSettings,
    register=register,
    grpc_service_names=SERVICE_NAMES,
    migrations=Path(__file__).parent / "migrations",
    subscriptions=lambda: [
        Subscription(
            topic=leads.LEAD_TOPIC,
            event_type="lead.captured",
            message=lead_ev.LeadCaptured,
            handler=leads.on_lead_captured,
        ),
    ],
)


def main() -> int:
    return app.main()


if __name__ == "__main__":
    raise SystemExit(main())
