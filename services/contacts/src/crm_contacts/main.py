"""``crm-contacts serve|relay|consume|migrate``."""

from pathlib import Path

from crm_common.app import ServiceApp
from crm_contacts.api.servicer import SERVICE_NAMES, register
from crm_contacts.consumers import registry
from crm_contacts.defaults import tenant_defaults
from crm_contacts.jobs import jobs
from crm_contacts.settings import ContactsSettings

app = ServiceApp(
    name="contacts",
    settings_factory=ContactsSettings,
    register=register,
    grpc_service_names=SERVICE_NAMES,
    migrations=Path(__file__).parent / "migrations",
    # Every consumed event: timeline entries (C4), rules (T4), L5 customers. See FEEDS.
    subscriptions=lambda: registry.subscriptions(),
    tenant_defaults=tenant_defaults,
    jobs=jobs,  # `schedule`: birthdays (C8, daily), SLA check (T3, every 5 min)
)


def main() -> int:
    return app.main()


if __name__ == "__main__":
    raise SystemExit(main())
