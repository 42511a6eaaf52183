from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin
from crm_messaging.models import Base


class Consent(TenantMixin, Base):
    """The latest decision of one address for one channel and purpose."""

    __tablename__ = "consents"

    channel: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(320))
    purpose: Mapped[str] = mapped_column(String(20))
    party_id: Mapped[uuid.UUID | None]
    granted: Mapped[bool]
    source: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime]

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "channel", "address", "purpose"),)
