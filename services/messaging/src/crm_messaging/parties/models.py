from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin
from crm_messaging.models import Base


class Party(TenantMixin, Base):
    """A customer as messaging knows it; ``updated_at`` is when contacts last changed it."""

    __tablename__ = "parties"

    party_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    updated_at: Mapped[dt.datetime]

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "party_id"),)
