from crm_common.settings import ServiceSettings, service_config


class ContactsSettings(ServiceSettings):
    """``CRM_CONTACTS_*`` environment variables."""

    model_config = service_config("CONTACTS")

    # C5: where LocalStorage keeps attachment files.
    attachments_dir: str = "var/attachments"
