from crm_common.settings import ServiceSettings, service_config


class LeadsSettings(ServiceSettings):
    """``CRM_LEADS_*`` environment variables."""

    model_config = service_config("LEADS")
