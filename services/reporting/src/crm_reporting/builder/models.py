"""Saved report definitions (R1)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Index, PrimaryKeyConstraint, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import uuid7
from crm_reporting.models import Base


class SavedReport(Base):
    """A report definition saved by its owner and shared with role keys."""

    __tablename__ = "saved_report"

    tenant_id: Mapped[uuid.UUID]
    id: Mapped[uuid.UUID] = mapped_column(default=uuid7)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONB)
    owner_id: Mapped[uuid.UUID | None]
    shared_roles: Mapped[list[str]] = mapped_column(
        ARRAY(Text), server_default=text("'{}'::text[]")
    )
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "id"),
        Index("ix_saved_report_tenant_owner", "tenant_id", "owner_id"),
    )
