from __future__ import annotations

import uuid

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, TimestampMixin, UUIDPrimaryKeyMixin, uuid7
from crm_contacts.models import Base


class Customer(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    """A party that bought or converted; ``party_id`` is shared with the lead it came from."""

    __tablename__ = "customers"

    party_id: Mapped[uuid.UUID] = mapped_column(default=uuid7)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    company_name: Mapped[str | None] = mapped_column(String(200))
    source_lead_id: Mapped[uuid.UUID | None]

    __table_args__ = (
        UniqueConstraint("tenant_id", "party_id"),
        Index("ix_customers_tenant_id_id", "tenant_id", "id"),
    )
