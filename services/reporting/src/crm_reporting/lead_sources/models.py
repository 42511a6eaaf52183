from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin
from crm_reporting.models import Base


class LeadSourceCount(TenantMixin, Base):
    """How many leads a source brought the tenant (R2), kept from LeadCaptured events."""

    __tablename__ = "lead_source_counts"

    source: Mapped[str] = mapped_column(String(50))
    leads: Mapped[int] = mapped_column(BigInteger)
    last_captured_at: Mapped[dt.datetime]

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "source"),)
