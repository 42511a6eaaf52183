from pydantic import Field, SecretStr

from crm_common.settings import ServiceSettings, service_config


class MessagingSettings(ServiceSettings):
    """``CRM_MESSAGING_*`` environment variables.

    Provider endpoints are optional: a channel whose provider is not configured
    fails its sends permanently with a clear reason instead of retrying forever.
    """

    model_config = service_config("MESSAGING")

    # Email (SMTP, e.g. a relay such as Postfix, SES or Mailgun's SMTP endpoint).
    smtp_host: str | None = None
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    email_from: str = "CRM <no-reply@crm.example>"
    # Public base URL of the gateway, for unsubscribe links.
    public_base_url: str = "http://localhost:8080"
    unsubscribe_mailto: str = "unsubscribe@crm.example"

    # SMS: Twilio-style REST API.
    sms_api_url: str | None = None
    sms_account_sid: str = "AC00000000000000000000000000000000"
    sms_auth_token: SecretStr = SecretStr("")
    sms_from: str = "CRM"
    sms_cost_per_segment_agorot: int = Field(default=8, ge=0)

    # WhatsApp Business Cloud API (graph.facebook.com).
    whatsapp_api_url: str | None = None
    whatsapp_access_token: SecretStr = SecretStr("")
    whatsapp_phone_number_id: str = "000000000000000"

    # PBX (click-to-call).
    pbx_api_url: str | None = None
    pbx_api_token: SecretStr = SecretStr("")

    # The dispatcher (``crm-messaging work``).
    worker_batch_size: int = Field(default=200, ge=1, le=5000)
    worker_concurrency: int = Field(default=50, ge=1, le=1000)
    worker_poll_interval_ms: int = Field(default=200, ge=5)
    worker_max_attempts: int = Field(default=6, ge=1)
    worker_backoff_base_ms: int = Field(default=2000, ge=1)
    worker_backoff_max_ms: int = Field(default=15 * 60 * 1000, ge=1)
    # A message claimed ("sending") longer than this is recovered after a crash.
    worker_claim_lease_ms: int = Field(default=120_000, ge=100)
    campaign_default_rate_per_second: int = Field(default=20, ge=1)

    # Upstream gRPC services: contacts (campaign segments, C7) and billing (dialer
    # lists: lapsed customers, collections). Each call has this deadline.
    contacts_addr: str = "localhost:50052"
    billing_addr: str = "localhost:50053"
    upstream_deadline_s: float = Field(default=10.0, gt=0)
    segment_page_size: int = Field(default=200, ge=1, le=200)
