from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Enum, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, TimestampMixin, UUIDPrimaryKeyMixin, uuid7
from crm_leads.models import Base


class LeadStatus(enum.StrEnum):
    NEW = "new"
    CONVERTED = "converted"


class Lead(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "leads"

    party_id: Mapped[uuid.UUID] = mapped_column(default=uuid7, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    company_name: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(50))
    campaign: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[LeadStatus] = mapped_column(
        Enum(LeadStatus, name="lead_status", values_callable=lambda e: [m.value for m in e]),
        default=LeadStatus.NEW,
    )
    converted_at: Mapped[dt.datetime | None]

    __table_args__ = (
        Index("ix_leads_tenant_id_id", "tenant_id", "id"),
        Index("ix_leads_tenant_id_status_id", "tenant_id", "status", "id"),
        Index("ix_leads_tenant_id_phone", "tenant_id", "phone"),
        Index("ix_leads_tenant_id_email", "tenant_id", "email"),
    )
