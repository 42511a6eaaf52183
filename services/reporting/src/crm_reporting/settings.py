from crm_common.settings import ServiceSettings, service_config


class ReportingSettings(ServiceSettings):
    """``CRM_REPORTING_*`` environment variables."""

    model_config = service_config("REPORTING")
