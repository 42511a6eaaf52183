from crm_common.settings import ServiceSettings, service_config


class MessagingSettings(ServiceSettings):
    """``CRM_MESSAGING_*`` environment variables."""

    model_config = service_config("MESSAGING")
