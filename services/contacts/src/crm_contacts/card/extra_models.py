"""Segments (C7), attachments (C5), import jobs (C9) and birthday greetings sent (C8)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, TimestampMixin, UUIDPrimaryKeyMixin
from crm_contacts.models import Base


class Segment(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    """A saved filter (C7); messaging uses it as a mailing group."""

    __tablename__ = "segments"

    name: Mapped[str] = mapped_column(String(200))
    filter: Mapped[dict[str, Any]] = mapped_column(JSONB)


class Attachment(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "attachments"

    party_id: Mapped[uuid.UUID] = mapped_column(index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20))  # uploading | ready
    uploaded_by: Mapped[uuid.UUID | None]
    created_at: Mapped[dt.datetime]


class ImportJob(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "import_jobs"

    # running | events_pending (rows committed, contacts.changed still being written) | done
    status: Mapped[str] = mapped_column(String(20))
    duplicate_policy: Mapped[str] = mapped_column(String(10))  # skip | update | create
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    processed_rows: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    # contacts.changed events written so far for this job (their ``part`` numbers go on from here)
    event_parts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class GreetingSent(UUIDPrimaryKeyMixin, TenantMixin, Base):
    """One BirthdayDue per contact, occasion and year: the daily job is safe to re-run."""

    __tablename__ = "greetings_sent"

    contact_id: Mapped[uuid.UUID]
    occasion: Mapped[str] = mapped_column(String(20))  # birthday | anniversary
    year: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("tenant_id", "contact_id", "occasion", "year"),)
