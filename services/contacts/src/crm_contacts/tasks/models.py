"""Tasks, reminders, task types (SLA) and automation rules (T1-T7)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import Boolean, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, TimestampMixin, UUIDPrimaryKeyMixin
from crm_contacts.models import Base


class TaskType(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "task_types"

    key: Mapped[str] = mapped_column(String(63))
    name: Mapped[str] = mapped_column(String(200))
    sla_minutes: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("tenant_id", "key"),)


class Task(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "tasks"
    __owner_column__ = "assignee_user_id"  # record scope (crm_common.scope)
    __team_column__ = "team"  # the assignee's gateway team, kept on the task

    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    task_type_id: Mapped[uuid.UUID | None]
    parent_id: Mapped[uuid.UUID | None]
    party_id: Mapped[uuid.UUID | None]
    deal_id: Mapped[uuid.UUID | None]
    order_id: Mapped[uuid.UUID | None]
    assignee_user_id: Mapped[uuid.UUID]
    creator_user_id: Mapped[uuid.UUID | None]
    team: Mapped[str | None] = mapped_column(String(63))
    priority: Mapped[int] = mapped_column(SmallInteger, default=2)  # 1 high .. 3 low
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | done | cancelled
    due_at: Mapped[dt.datetime | None]
    sla_due_at: Mapped[dt.datetime | None]
    sla_breached_at: Mapped[dt.datetime | None]
    completed_at: Mapped[dt.datetime | None]
    rule_id: Mapped[uuid.UUID | None]
    source_event_id: Mapped[uuid.UUID | None]

    __table_args__ = (
        Index("ix_tasks_assignee", "tenant_id", "assignee_user_id", "status", "due_at"),
        Index("ix_tasks_sla_open", "sla_due_at", postgresql_where="status = 'open'"),
        UniqueConstraint("tenant_id", "rule_id", "source_event_id"),
    )


class TaskDelegation(UUIDPrimaryKeyMixin, TenantMixin, Base):
    """Every hand-over of a task (T2): who gave it to whom, by whom, when."""

    __tablename__ = "task_delegations"

    task_id: Mapped[uuid.UUID] = mapped_column(index=True)
    from_user_id: Mapped[uuid.UUID | None]
    to_user_id: Mapped[uuid.UUID]
    by_user_id: Mapped[uuid.UUID | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime]


class Reminder(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "reminders"

    user_id: Mapped[uuid.UUID]
    party_id: Mapped[uuid.UUID | None]
    remind_at: Mapped[dt.datetime]
    note: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_reminders_due", "tenant_id", "user_id", "remind_at"),)


class Rule(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    """Automation as data (T4, T5).

    ``on_event``: when an event of ``topic``/``event_type`` matches ``conditions``, create a
    task from ``task_template``. ``on_task_completed``: when a task of ``task_type_id``
    completes, emit ``TaskActionRequested`` with ``action``.
    """

    __tablename__ = "rules"

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))  # on_event | on_task_completed
    topic: Mapped[str | None] = mapped_column(String(200))
    event_type: Mapped[str | None] = mapped_column(String(100))
    conditions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    task_template: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    task_type_id: Mapped[uuid.UUID | None]
    action: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
