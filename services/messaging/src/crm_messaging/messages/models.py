from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Integer, LargeBinary, PrimaryKeyConstraint, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, UUIDPrimaryKeyMixin
from crm_messaging.models import Base

CHANNELS = ("email", "sms", "whatsapp")
PURPOSES = ("transactional", "marketing")
# queued -> sending -> sent -> delivered -> read; failed from any; received for inbound.
STATUSES = ("queued", "sending", "sent", "delivered", "read", "failed", "received")
STATUS_RANK = {"queued": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4}


class Message(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "messages"

    party_id: Mapped[uuid.UUID | None]
    channel: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(3))
    to_address: Mapped[str] = mapped_column(String(320))
    from_address: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    html: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="he")
    provider_template: Mapped[str | None] = mapped_column(String(200))
    template_params: Mapped[list] = mapped_column(JSONB, default=list)
    status: Mapped[str] = mapped_column(String(20))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    claimed_at: Mapped[dt.datetime | None]
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    campaign_id: Mapped[uuid.UUID | None]
    thread_id: Mapped[str | None] = mapped_column(String(300))
    segments: Mapped[int] = mapped_column(Integer, default=0)
    cost_agorot: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    sent_at: Mapped[dt.datetime | None]


class MessageAttachment(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "message_attachments"

    message_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class WebhookReceipt(TenantMixin, Base):
    """One row per verified provider delivery: a replay hits the primary key and is refused."""

    __tablename__ = "webhook_receipts"
    __audit__ = False  # a replay guard, not a change of anyone's data

    provider: Mapped[str] = mapped_column(String(20))
    receipt_key: Mapped[str] = mapped_column(String(300))
    received_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "provider", "receipt_key"),)
