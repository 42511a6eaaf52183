"""Task events (T7): protobuf payloads written to the outbox."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.contacts.v1 import task_events_pb2 as ev
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp
from crm_contacts.tasks.models import Task

TASK_TOPIC = "crm.contacts.task"


def _s(value: uuid.UUID | None) -> str:
    return str(value) if value else ""


async def emit(session: AsyncSession, task: Task, event) -> None:
    await add_event(
        session,
        topic=TASK_TOPIC,
        aggregate_type="task",
        aggregate_id=task.id,
        tenant_id=task.tenant_id,
        event=event,
    )


def created(task: Task, type_key: str) -> ev.TaskCreated:
    return ev.TaskCreated(
        task_id=str(task.id),
        title=task.title,
        task_type_key=type_key,
        party_id=_s(task.party_id),
        deal_id=_s(task.deal_id),
        order_id=_s(task.order_id),
        assignee_user_id=str(task.assignee_user_id),
        creator_user_id=_s(task.creator_user_id),
        priority=task.priority,
        due_at=timestamp(task.due_at),
        sla_due_at=timestamp(task.sla_due_at),
        rule_id=_s(task.rule_id),
        parent_task_id=_s(task.parent_id),
        created_at=timestamp(task.created_at),
    )
