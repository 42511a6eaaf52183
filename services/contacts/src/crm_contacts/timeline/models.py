"""The per-party timeline (C4), fed by every service's events."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, UUIDPrimaryKeyMixin
from crm_contacts.models import Base


class TimelineEntry(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "timeline_entries"

    party_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(40))
    occurred_at: Mapped[dt.datetime]
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(40))  # the service (or "contacts")
    source_event_id: Mapped[uuid.UUID | None]
    actor_user_id: Mapped[uuid.UUID | None]
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)

    __table_args__ = (
        UniqueConstraint("tenant_id", "source_event_id", "kind"),
        Index("ix_timeline_party", "tenant_id", "party_id", "occurred_at", "id"),
    )
