"""Dashboards and their items (each item one saved report drawn as a chart)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    CheckConstraint,
    ForeignKeyConstraint,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import uuid7
from crm_reporting.models import Base

CHART_KINDS = ("bar", "line", "pie", "number", "table")


class Dashboard(Base):
    __tablename__ = "dashboard"

    tenant_id: Mapped[uuid.UUID]
    id: Mapped[uuid.UUID] = mapped_column(default=uuid7)
    name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[uuid.UUID | None]
    shared_roles: Mapped[list[str]] = mapped_column(
        ARRAY(Text), server_default=text("'{}'::text[]")
    )
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "id"),)


class DashboardItem(Base):
    __tablename__ = "dashboard_item"

    tenant_id: Mapped[uuid.UUID]
    id: Mapped[uuid.UUID] = mapped_column(default=uuid7)
    dashboard_id: Mapped[uuid.UUID]
    report_id: Mapped[uuid.UUID]
    title: Mapped[str | None] = mapped_column(String(200))
    chart: Mapped[str] = mapped_column(String(20))
    # Grid position (12 columns): x, y of the top-left cell, width and height in cells.
    x: Mapped[int] = mapped_column(Integer, server_default="0")
    y: Mapped[int] = mapped_column(Integer, server_default="0")
    w: Mapped[int] = mapped_column(Integer, server_default="6")
    h: Mapped[int] = mapped_column(Integer, server_default="4")

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "id"),
        ForeignKeyConstraint(
            ["tenant_id", "dashboard_id"],
            ["dashboard.tenant_id", "dashboard.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(
            ["tenant_id", "report_id"],
            ["saved_report.tenant_id", "saved_report.id"],
            ondelete="RESTRICT",
        ),
        CheckConstraint("chart IN ('bar', 'line', 'pie', 'number', 'table')", name="chart"),
        Index("ix_dashboard_item_tenant_dashboard", "tenant_id", "dashboard_id"),
        Index("ix_dashboard_item_tenant_report", "tenant_id", "report_id"),
    )
