from __future__ import annotations

import datetime as dt

from sqlalchemy import PrimaryKeyConstraint, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin
from crm_messaging.models import Base


class Template(TenantMixin, Base):
    __tablename__ = "templates"

    channel: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    provider_template: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "channel", "name", "language"),)
