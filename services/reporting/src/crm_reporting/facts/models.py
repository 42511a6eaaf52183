"""The analytical tables of REPORTING_SCHEMA.md (migration 0003).

Every row is keyed by tenant first. Times are UTC instants; reports bucket them in the
tenant's time zone. Money is integer agorot. Handlers upsert partial rows, so a late event
(e.g. ``lead.qualified`` before ``lead.captured``) is never lost.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Text,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_reporting.models import Base


class PartyDim(Base):
    __tablename__ = "party_dim"

    tenant_id: Mapped[uuid.UUID]
    party_id: Mapped[uuid.UUID]
    lead_id: Mapped[uuid.UUID | None]
    name: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    campaign: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[uuid.UUID | None]
    team_id: Mapped[uuid.UUID | None]
    is_customer: Mapped[bool] = mapped_column(Boolean, server_default=false())
    captured_at: Mapped[dt.datetime | None]
    converted_at: Mapped[dt.datetime | None]
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    # when the card state in ``attributes`` changed (contact/account events' changed_at): an
    # older card event never overwrites a newer one (migration 0007)
    attributes_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "party_id"),)


class LeadFact(Base):
    __tablename__ = "lead_fact"

    tenant_id: Mapped[uuid.UUID]
    lead_id: Mapped[uuid.UUID]
    party_id: Mapped[uuid.UUID | None]
    source: Mapped[str | None] = mapped_column(Text)
    campaign: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(Text)
    product_interest: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[uuid.UUID | None]
    team_id: Mapped[uuid.UUID | None]
    captured_at: Mapped[dt.datetime]
    first_assigned_at: Mapped[dt.datetime | None]
    first_response_at: Mapped[dt.datetime | None]
    qualified_at: Mapped[dt.datetime | None]
    disqualified_at: Mapped[dt.datetime | None]
    disqualify_reason: Mapped[str | None] = mapped_column(Text)
    converted_at: Mapped[dt.datetime | None]
    deal_id: Mapped[uuid.UUID | None]
    merged_into_lead_id: Mapped[uuid.UUID | None]
    is_duplicate: Mapped[bool] = mapped_column(Boolean, server_default=false())

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "lead_id"),
        Index("ix_lead_fact_tenant_captured", "tenant_id", "captured_at"),
        Index("ix_lead_fact_tenant_source_captured", "tenant_id", "source", "captured_at"),
        Index("ix_lead_fact_tenant_owner_captured", "tenant_id", "owner_id", "captured_at"),
    )


class DealFact(Base):
    __tablename__ = "deal_fact"

    tenant_id: Mapped[uuid.UUID]
    deal_id: Mapped[uuid.UUID]
    lead_id: Mapped[uuid.UUID | None]
    party_id: Mapped[uuid.UUID | None]
    pipeline_id: Mapped[uuid.UUID | None]
    stage_id: Mapped[uuid.UUID | None]
    stage_name: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[uuid.UUID | None]
    amount_agorot: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(Text, server_default="open")
    created_at: Mapped[dt.datetime | None]
    won_at: Mapped[dt.datetime | None]
    lost_at: Mapped[dt.datetime | None]
    lost_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "deal_id"),
        CheckConstraint("status IN ('open', 'won', 'lost')", name="status"),
        Index("ix_deal_fact_tenant_owner_won", "tenant_id", "owner_id", "won_at"),
        Index("ix_deal_fact_tenant_created", "tenant_id", "created_at"),
    )


class DealStageFact(Base):
    __tablename__ = "deal_stage_fact"

    tenant_id: Mapped[uuid.UUID]
    deal_id: Mapped[uuid.UUID]
    entered_at: Mapped[dt.datetime]
    to_stage_id: Mapped[uuid.UUID]
    from_stage_id: Mapped[uuid.UUID | None]
    to_stage_name: Mapped[str | None] = mapped_column(Text)
    probability: Mapped[int | None] = mapped_column(Integer)
    left_at: Mapped[dt.datetime | None]

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "deal_id", "entered_at", "to_stage_id"),)


class TargetFact(Base):
    __tablename__ = "target_fact"

    tenant_id: Mapped[uuid.UUID]
    target_id: Mapped[uuid.UUID]
    owner_id: Mapped[uuid.UUID | None]
    team_id: Mapped[uuid.UUID | None]
    period: Mapped[str] = mapped_column(Text)
    period_start: Mapped[dt.date] = mapped_column(Date)
    amount_agorot: Mapped[int | None] = mapped_column(BigInteger)
    deal_count: Mapped[int | None] = mapped_column(Integer)
    set_at: Mapped[dt.datetime]

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "target_id"),
        CheckConstraint("period IN ('month', 'quarter', 'year')", name="period"),
    )


class DocumentFact(Base):
    __tablename__ = "document_fact"

    tenant_id: Mapped[uuid.UUID]
    document_id: Mapped[uuid.UUID]
    document_type: Mapped[str] = mapped_column(Text)
    number: Mapped[int | None] = mapped_column(BigInteger)
    party_id: Mapped[uuid.UUID | None]
    base_document_id: Mapped[uuid.UUID | None]
    issue_date: Mapped[dt.date | None] = mapped_column(Date)
    subtotal_agorot: Mapped[int | None] = mapped_column(BigInteger)
    vat_agorot: Mapped[int | None] = mapped_column(BigInteger)
    total_agorot: Mapped[int | None] = mapped_column(BigInteger)
    issued_at: Mapped[dt.datetime | None]

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "document_id"),
        CheckConstraint(
            "document_type IN ('quote', 'order', 'delivery', 'invoice', 'invoice_receipt',"
            " 'receipt', 'credit')",
            name="document_type",
        ),
        Index("ix_document_fact_tenant_type_issue", "tenant_id", "document_type", "issue_date"),
        Index("ix_document_fact_tenant_party", "tenant_id", "party_id"),
    )


class PaymentFact(Base):
    __tablename__ = "payment_fact"

    tenant_id: Mapped[uuid.UUID]
    payment_id: Mapped[uuid.UUID]
    party_id: Mapped[uuid.UUID | None]
    method: Mapped[str | None] = mapped_column(Text)
    amount_agorot: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[dt.datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "payment_id"),
        CheckConstraint("status IN ('received', 'failed')", name="status"),
        Index("ix_payment_fact_tenant_party", "tenant_id", "party_id"),
        Index("ix_payment_fact_tenant_occurred", "tenant_id", "occurred_at"),
    )


class MessageFact(Base):
    __tablename__ = "message_fact"

    tenant_id: Mapped[uuid.UUID]
    message_id: Mapped[uuid.UUID]
    party_id: Mapped[uuid.UUID | None]
    channel: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(Text)
    direction: Mapped[str | None] = mapped_column(Text)
    campaign_id: Mapped[uuid.UUID | None]
    queued_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]
    delivered_at: Mapped[dt.datetime | None]
    read_at: Mapped[dt.datetime | None]
    failed_at: Mapped[dt.datetime | None]
    status: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    segments: Mapped[int | None] = mapped_column(Integer)
    cost_agorot: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "message_id"),
        CheckConstraint("direction IN ('out', 'in')", name="direction"),
        Index("ix_message_fact_tenant_sent", "tenant_id", "sent_at"),
        Index("ix_message_fact_tenant_campaign", "tenant_id", "campaign_id"),
    )


class CallFact(Base):
    __tablename__ = "call_fact"

    tenant_id: Mapped[uuid.UUID]
    call_id: Mapped[uuid.UUID]
    party_id: Mapped[uuid.UUID | None]
    direction: Mapped[str | None] = mapped_column(Text)
    agent_extension: Mapped[str | None] = mapped_column(Text)
    from_number: Mapped[str | None] = mapped_column(Text)
    to_number: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[dt.datetime | None]
    ended_at: Mapped[dt.datetime | None]
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    answered: Mapped[bool | None] = mapped_column(Boolean)

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "call_id"),)


class TaskFact(Base):
    __tablename__ = "task_fact"

    tenant_id: Mapped[uuid.UUID]
    task_id: Mapped[uuid.UUID]
    task_type_key: Mapped[str | None] = mapped_column(Text)
    party_id: Mapped[uuid.UUID | None]
    assignee_user_id: Mapped[uuid.UUID | None]
    creator_user_id: Mapped[uuid.UUID | None]
    created_at: Mapped[dt.datetime | None]
    due_at: Mapped[dt.datetime | None]
    sla_due_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    sla_met: Mapped[bool | None] = mapped_column(Boolean)
    sla_breached_at: Mapped[dt.datetime | None]

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "task_id"),
        Index("ix_task_fact_tenant_created", "tenant_id", "created_at"),
    )


class CampaignCost(Base):
    """A campaign's cost over a period, entered through the API (R2 cost per lead / ROI)."""

    __tablename__ = "campaign_cost"

    tenant_id: Mapped[uuid.UUID]
    cost_id: Mapped[uuid.UUID]
    source: Mapped[str] = mapped_column(Text)
    campaign: Mapped[str] = mapped_column(Text, server_default="")
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    cost_agorot: Mapped[int] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "cost_id"),
        CheckConstraint("period_end >= period_start", name="period_order"),
        CheckConstraint("cost_agorot >= 0", name="cost_non_negative"),
        Index("ix_campaign_cost_tenant_source_campaign", "tenant_id", "source", "campaign"),
    )


FACT_TABLES = (
    "party_dim",
    "lead_fact",
    "deal_fact",
    "deal_stage_fact",
    "target_fact",
    "document_fact",
    "payment_fact",
    "message_fact",
    "call_fact",
    "task_fact",
    "campaign_cost",
)
