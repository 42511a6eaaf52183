"""The customer card: accounts, contacts, phones, dynamic fields, custom sections."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Boolean, Date, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, TimestampMixin, UUIDPrimaryKeyMixin, uuid7
from crm_contacts.models import Base


class Account(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    """A company (C1). Its ``party_id`` is what other services and the timeline use."""

    __tablename__ = "accounts"
    __owner_column__ = "owner_user_id"  # record scope (crm_common.scope)

    party_id: Mapped[uuid.UUID] = mapped_column(default=uuid7)
    name: Mapped[str] = mapped_column(String(200))
    company_number: Mapped[str | None] = mapped_column(String(9))  # ח.פ.
    primary_contact_id: Mapped[uuid.UUID | None]
    owner_user_id: Mapped[uuid.UUID | None]
    addresses: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    custom: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)

    __table_args__ = (UniqueConstraint("tenant_id", "party_id"),)


class Contact(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    """A person (C1), optionally working for an account."""

    __tablename__ = "contacts"
    __owner_column__ = "owner_user_id"  # record scope (crm_common.scope)

    party_id: Mapped[uuid.UUID] = mapped_column(default=uuid7)
    account_id: Mapped[uuid.UUID | None]
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100), default="")
    id_number: Mapped[str | None] = mapped_column(String(9))  # ת.ז.
    phones: Mapped[list[str]] = mapped_column(ARRAY(String(20)), default=list)
    emails: Mapped[list[str]] = mapped_column(ARRAY(String(320)), default=list)
    birthday: Mapped[dt.date | None] = mapped_column(Date)
    anniversary: Mapped[dt.date | None] = mapped_column(Date)
    owner_user_id: Mapped[uuid.UUID | None]
    addresses: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    custom: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)

    __table_args__ = (UniqueConstraint("tenant_id", "party_id"),)


class FieldDefinition(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    """A dynamic field (C2) of contacts, accounts or one custom section (C3)."""

    __tablename__ = "field_definitions"

    entity: Mapped[str] = mapped_column(String(20))  # contact | account | section
    section_id: Mapped[uuid.UUID | None]
    key: Mapped[str] = mapped_column(String(63))
    label_he: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200), default="")
    type: Mapped[str] = mapped_column(String(20))
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    options: Mapped[list[str]] = mapped_column(JSONB, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    visible: Mapped[bool] = mapped_column(Boolean, default=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class Section(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    """A custom section of the card (C3, seed 004): always open or collapsed under a banner."""

    __tablename__ = "sections"

    name: Mapped[str] = mapped_column(String(200))
    always_open: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class SectionRecord(UUIDPrimaryKeyMixin, TenantMixin, Base):
    """One appended record of a section; never updated (a DB trigger refuses it)."""

    __tablename__ = "section_records"

    section_id: Mapped[uuid.UUID]
    party_id: Mapped[uuid.UUID]
    values: Mapped[dict[str, Any]] = mapped_column(JSONB)
    corrects_id: Mapped[uuid.UUID | None]
    author_user_id: Mapped[uuid.UUID | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime]

    __table_args__ = (Index("ix_section_records_section", "tenant_id", "section_id", "id"),)


class ContactPhone(Base):
    """Screen-pop index: one row per (contact, E.164 phone), looked up by btree equality.

    Under FORCE ROW LEVEL SECURITY only leakproof operators may use an index before the
    tenant policy runs; array ``@>`` is not leakproof, so a GIN index on ``contacts.phones``
    is never used. Text equality is leakproof (ADR contacts-dynamic-fields).
    """

    __tablename__ = "contact_phones"

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), primary_key=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)

    __table_args__ = (Index("ix_contact_phones_contact", "contact_id"),)
