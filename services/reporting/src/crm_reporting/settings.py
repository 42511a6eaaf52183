from pydantic import Field

from crm_common.settings import ServiceSettings, service_config


class ReportingSettings(ServiceSettings):
    """``CRM_REPORTING_*`` environment variables."""

    model_config = service_config("REPORTING")

    # Messaging's gRPC address: scheduled reports (R7) are e-mailed through SendMessage.
    messaging_addr: str = "localhost:50054"
    messaging_deadline_s: float = Field(default=30.0, gt=0)
