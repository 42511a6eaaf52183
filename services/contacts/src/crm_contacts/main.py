"""``crm-contacts serve|relay|consume|migrate``."""

from pathlib import Path

from crm_common.app import ServiceApp
from crm_contacts.api.servicer import SERVICE_NAMES, register
from crm_contacts.consumers import registry
from crm_contacts.settings import ContactsSettings

app = ServiceApp(
    name="contacts",
    settings_factory=ContactsSettings,
    register=register,
    grpc_service_names=SERVICE_NAMES,
    migrations=Path(__file__).parent / "migrations",
    # Every consumed event: timeline entries (C4), rules (T4), L5 customers. See FEEDS.
    subscriptions=lambda: registry.subscriptions(),
)


def main() -> int:
    return app.main()


if __name__ == "__main__":
    raise SystemExit(main())
