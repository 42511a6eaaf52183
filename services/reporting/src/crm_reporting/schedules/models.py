"""``report_schedule`` (R7): what to e-mail, to whom, how often, and the last day it went out."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, PrimaryKeyConstraint, SmallInteger, String, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import uuid7
from crm_reporting.models import Base


class ReportSchedule(Base):
    __tablename__ = "report_schedule"

    tenant_id: Mapped[uuid.UUID]
    id: Mapped[uuid.UUID] = mapped_column(default=uuid7)
    kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[uuid.UUID]
    format: Mapped[str] = mapped_column(String(10))
    cadence: Mapped[str] = mapped_column(String(10))
    recipients: Mapped[list[str]] = mapped_column(ARRAY(Text))
    subject: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[uuid.UUID | None]
    last_sent_on: Mapped[dt.date | None]
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
    # Tenant-local send time (migration 0008): the hour, the weekday of a weekly schedule
    # (date.weekday(): 0 Monday .. 6 Sunday) and the day of a monthly one (1-28).
    send_hour: Mapped[int] = mapped_column(SmallInteger, server_default=text("7"))
    weekday: Mapped[int] = mapped_column(SmallInteger, server_default=text("6"))
    day_of_month: Mapped[int] = mapped_column(SmallInteger, server_default=text("1"))

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "id"),)
