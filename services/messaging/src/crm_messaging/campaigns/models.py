from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, UUIDPrimaryKeyMixin
from crm_messaging.models import Base


class Campaign(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "campaigns"

    name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(20))
    template_name: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(5))
    # scheduled -> running -> completed
    status: Mapped[str] = mapped_column(String(20))
    rate_per_second: Mapped[int] = mapped_column(Integer)
    scheduled_at: Mapped[dt.datetime]
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    completed_at: Mapped[dt.datetime | None]
    # Throttle: the campaign may enqueue rate_per_second * seconds since this moment.
    last_advanced_at: Mapped[dt.datetime | None]
    # A contacts segment (C7): resolved into recipients once, when the campaign starts.
    segment_id: Mapped[uuid.UUID | None]
    resolved_at: Mapped[dt.datetime | None]
    skipped_no_address: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failure_reason: Mapped[str | None] = mapped_column(String(500))


class CampaignRecipient(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "campaign_recipients"

    campaign_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    party_id: Mapped[uuid.UUID | None]
    address: Mapped[str] = mapped_column(String(320))
    variables: Mapped[dict] = mapped_column(JSONB, default=dict)
    # pending -> queued | opted_out | failed
    state: Mapped[str] = mapped_column(String(20), default="pending")
    reason: Mapped[str | None] = mapped_column(String(300))
    message_id: Mapped[uuid.UUID | None]

    __table_args__ = (UniqueConstraint("campaign_id", "address"),)
