from __future__ import annotations

import datetime as dt

from sqlalchemy import PrimaryKeyConstraint, String, func
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin
from crm_messaging.models import Base

PROVIDERS = ("whatsapp", "twilio", "pbx", "email")


class ChannelAccount(TenantMixin, Base):
    __tablename__ = "channel_accounts"
    __audit_redact__ = ("webhook_secret", "verify_token")

    provider: Mapped[str] = mapped_column(String(20))
    webhook_secret: Mapped[str] = mapped_column(String(500))
    verify_token: Mapped[str] = mapped_column(String(200), default="")
    sender: Mapped[str] = mapped_column(String(320), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "provider"),)
