from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Integer, String, Text, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, UUIDPrimaryKeyMixin
from crm_messaging.models import Base


class Call(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "calls"

    provider_call_id: Mapped[str] = mapped_column(String(200))
    party_id: Mapped[uuid.UUID | None]
    direction: Mapped[str] = mapped_column(String(3))
    from_number: Mapped[str] = mapped_column(String(32))
    to_number: Mapped[str] = mapped_column(String(32))
    agent_extension: Mapped[str] = mapped_column(String(32), default="")
    # ringing -> answered -> ended
    status: Mapped[str] = mapped_column(String(20))
    duration_seconds: Mapped[int] = mapped_column(Integer, default=0)
    recording_url: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime]
    answered_at: Mapped[dt.datetime | None]
    ended_at: Mapped[dt.datetime | None]

    __table_args__ = (UniqueConstraint("tenant_id", "provider_call_id"),)


class DialerEntry(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "dialer_entries"

    queue: Mapped[str] = mapped_column(String(50))
    party_id: Mapped[uuid.UUID | None]
    phone: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(500), default="")
    # waiting -> assigned
    status: Mapped[str] = mapped_column(String(20), default="waiting")
    agent_extension: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    assigned_at: Mapped[dt.datetime | None]
