from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, PrimaryKeyConstraint, String, func
from sqlalchemy.orm import Mapped, mapped_column

from crm_billing.models import Base
from crm_common.db import TenantMixin, UUIDPrimaryKeyMixin


class Method(StrEnum):
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"
    CASH = "cash"
    CHEQUE = "cheque"
    STANDING_ORDER = "standing_order"


class PaymentStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Payment(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "payments"

    party_id: Mapped[uuid.UUID]
    customer_name: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(20))
    amount_agorot: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    received_on: Mapped[dt.date] = mapped_column(Date)
    reference: Mapped[str | None] = mapped_column(String(100))
    cheque_number: Mapped[str | None] = mapped_column(String(20))
    bank_code: Mapped[str | None] = mapped_column(String(5))
    branch_code: Mapped[str | None] = mapped_column(String(5))
    account_number: Mapped[str | None] = mapped_column(String(20))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    card_token: Mapped[str | None] = mapped_column(String(100))
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    provider_reference: Mapped[str | None] = mapped_column(String(100))
    failure_reason: Mapped[str | None] = mapped_column(String(300))
    planned_allocations: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    receipt_document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"))
    schedule_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("card_schedules.id"))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class CardSchedule(UUIDPrimaryKeyMixin, TenantMixin, Base):
    """A recurring card charge (הוראת קבע באשראי): every ``interval_months`` months."""

    __tablename__ = "card_schedules"

    party_id: Mapped[uuid.UUID]
    customer_name: Mapped[str] = mapped_column(String(200))
    card_token: Mapped[str] = mapped_column(String(100))
    amount_agorot: Mapped[int] = mapped_column(BigInteger)
    interval_months: Mapped[int]
    next_charge_on: Mapped[dt.date] = mapped_column(Date)
    retry_on: Mapped[dt.date | None] = mapped_column(Date)
    failed_attempts: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class Allocation(UUIDPrimaryKeyMixin, TenantMixin, Base):
    """Part of a payment or of a credit note set against an invoice."""

    __tablename__ = "allocations"

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id"))
    payment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("payments.id"))
    credit_document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"))
    amount_agorot: Mapped[int] = mapped_column(BigInteger)
    allocated_on: Mapped[dt.date] = mapped_column(Date)


class ProviderEvent(TenantMixin, Base):
    """Webhook events of the card provider already handled (dedupe)."""

    __tablename__ = "provider_events"
    __audit__ = False  # a replay guard, not a change of anyone's data
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "event_id"),)

    event_id: Mapped[str] = mapped_column(String(100))
    received_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
