from crm_common.settings import ServiceSettings, service_config


class BillingSettings(ServiceSettings):
    """``CRM_BILLING_*`` environment variables."""

    model_config = service_config("BILLING")
