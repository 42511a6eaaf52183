from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_billing.models import Base
from crm_common.db import TenantMixin


class Party(TenantMixin, Base):
    """A customer as billing knows it; ``updated_at`` is when contacts last changed it."""

    __tablename__ = "parties"

    party_id: Mapped[uuid.UUID]
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    updated_at: Mapped[dt.datetime]
    # 'contacts': contacts' customer; 'deal': provisional, made from a won deal that came
    # before customer.created (which then overwrites it, see crm_billing.handoff).
    origin: Mapped[str] = mapped_column(String(10), server_default="contacts")

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "party_id"),)
