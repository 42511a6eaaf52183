from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Boolean, ForeignKey, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, TimestampMixin, UUIDPrimaryKeyMixin
from crm_leads.models import Base


class Pipeline(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "pipelines"

    name: Mapped[str] = mapped_column(String(200))
    product_type: Mapped[str | None] = mapped_column(String(100))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class Stage(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "pipeline_stages"

    pipeline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pipelines.id"))
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int]
    probability: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))  # open | won | lost


class LostReason(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "lost_reasons"

    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class Deal(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "deals"
    __owner_column__ = "owner_id"  # record scope (crm_common.scope)

    pipeline_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pipelines.id"))
    stage_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pipeline_stages.id"))
    lead_id: Mapped[uuid.UUID | None]
    party_id: Mapped[uuid.UUID | None]
    account_name: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200))
    amount_agorot: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3), default="ILS")
    expected_close_date: Mapped[dt.date | None]
    probability: Mapped[int]
    owner_id: Mapped[uuid.UUID | None]
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | won | lost
    lost_reason_id: Mapped[uuid.UUID | None]
    version: Mapped[int] = mapped_column(default=1)
    closed_at: Mapped[dt.datetime | None]


class StageChange(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "deal_stage_history"

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deals.id"))
    from_stage_id: Mapped[uuid.UUID | None]
    to_stage_id: Mapped[uuid.UUID]
    changed_by: Mapped[uuid.UUID | None]
    note: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class SalesTarget(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "sales_targets"

    owner_id: Mapped[uuid.UUID | None]
    team_id: Mapped[uuid.UUID | None]
    scope_key: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(10))  # month | quarter
    period_start: Mapped[dt.date]
    amount_agorot: Mapped[int] = mapped_column(BigInteger)
    deal_count: Mapped[int]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
