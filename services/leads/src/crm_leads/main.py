"""``crm-leads serve|relay|consume|migrate``."""

from pathlib import Path

from crm_common.app import ServiceApp
from crm_leads.api.servicer import SERVICE_NAMES, register
from crm_leads.settings import LeadsSettings

app = ServiceApp(
    name="leads",
    settings_factory=LeadsSettings,
    register=register,
    grpc_service_names=SERVICE_NAMES,
    migrations=Path(__file__).parent / "migrations",
)


def main() -> int:
    return app.main()


if __name__ == "__main__":
    raise SystemExit(main())
