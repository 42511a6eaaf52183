"""Task, reminder and rule use cases (T1-T7). They flush; the edge or the consumer commits."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.contacts.v1 import task_events_pb2 as ev
from crm_common.db import uuid7
from crm_common.errors import (
    AlreadyExists,
    FailedPrecondition,
    NotFound,
    PermissionDenied,
    Validator,
)
from crm_common.protoutil import timestamp
from crm_contacts.tasks import events
from crm_contacts.tasks.models import Reminder, Rule, Task, TaskDelegation, TaskType
from crm_contacts.tasks.rules import (
    RULE_KINDS,
    check_conditions,
    check_template,
    matches,
    render,
)
from crm_contacts.timeline.service import EntryData, add_entry

_KEY_OK = set("abcdefghijklmnopqrstuvwxyz0123456789_")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# ---------------------------------------------------------------- task types (T3)


async def create_task_type(
    session: AsyncSession, tenant_id: uuid.UUID, *, key: str, name: str, sla_minutes: int
) -> TaskType:
    v = Validator()
    if not key or not set(key) <= _KEY_OK or len(key) > 63:
        v.add("key", "must be lower-case latin letters, digits and _")
    if not name.strip():
        v.add("name", "is required")
    if sla_minutes < 0:
        v.add("sla_minutes", "must not be negative")
    v.raise_if_any("the task type is not valid")
    row = TaskType(tenant_id=tenant_id, key=key, name=name.strip(), sla_minutes=sla_minutes or None)
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        raise AlreadyExists(f"task type {key} exists already") from None
    return row


async def task_type_by_key(
    session: AsyncSession, tenant_id: uuid.UUID, key: str
) -> TaskType | None:
    return (
        await session.execute(
            select(TaskType).where(TaskType.tenant_id == tenant_id, TaskType.key == key)
        )
    ).scalar_one_or_none()


async def _type_keys(session: AsyncSession, tenant_id: uuid.UUID) -> dict[uuid.UUID, str]:
    rows = await session.execute(
        select(TaskType.id, TaskType.key).where(TaskType.tenant_id == tenant_id)
    )
    return {r.id: r.key for r in rows}


# ---------------------------------------------------------------- tasks (T2)


@dataclass
class TaskInput:
    title: str
    assignee_user_id: uuid.UUID
    creator_user_id: uuid.UUID | None
    description: str = ""
    task_type_key: str = ""
    parent_id: uuid.UUID | None = None
    party_id: uuid.UUID | None = None
    deal_id: uuid.UUID | None = None
    order_id: uuid.UUID | None = None
    priority: int = 2
    due_at: dt.datetime | None = None
    rule_id: uuid.UUID | None = None
    source_event_id: uuid.UUID | None = None
    team: str | None = None


async def create_task(session: AsyncSession, tenant_id: uuid.UUID, data: TaskInput) -> Task | None:
    """Create a task and its TaskCreated event. None when a rule already made it for this event."""
    v = Validator()
    title = data.title.strip()
    if not title:
        v.add("title", "is required")
    elif len(title) > 300:
        v.add("title", "must be at most 300 characters")
    if data.priority not in (1, 2, 3):
        v.add("priority", "must be 1 (high), 2 (normal) or 3 (low)")
    task_type = None
    if data.task_type_key:
        task_type = await task_type_by_key(session, tenant_id, data.task_type_key)
        if task_type is None:
            v.add("task_type_key", "no such task type")
    v.raise_if_any("the task is not valid")
    if data.parent_id is not None:
        await get_task(session, tenant_id, data.parent_id)
    now = _now()
    sla_due = (
        now + dt.timedelta(minutes=task_type.sla_minutes)
        if task_type is not None and task_type.sla_minutes
        else None
    )
    values = {
        "id": uuid7(),
        "tenant_id": tenant_id,
        "title": title,
        "description": data.description,
        "task_type_id": task_type.id if task_type else None,
        "parent_id": data.parent_id,
        "party_id": data.party_id,
        "deal_id": data.deal_id,
        "order_id": data.order_id,
        "assignee_user_id": data.assignee_user_id,
        "creator_user_id": data.creator_user_id,
        "priority": data.priority,
        "status": "open",
        "due_at": data.due_at,
        "sla_due_at": sla_due,
        "rule_id": data.rule_id,
        "source_event_id": data.source_event_id,
        "team": data.team,
        "created_at": now,
        "updated_at": now,
    }
    stmt = pg_insert(Task).values(**values).on_conflict_do_nothing().returning(Task)
    task = (await session.execute(stmt)).scalar_one_or_none()
    if task is None:
        return None
    await events.emit(session, task, events.created(task, data.task_type_key))
    if task.party_id is not None:
        await add_entry(
            session,
            tenant_id,
            EntryData(
                party_id=task.party_id,
                kind="task",
                title=f"משימה: {task.title}",
                occurred_at=now,
                data={"task_id": str(task.id), "status": "open"},
                actor_user_id=data.creator_user_id,
            ),
            source="contacts",
        )
    return task


async def get_task(session: AsyncSession, tenant_id: uuid.UUID, task_id: uuid.UUID) -> Task:
    task = (
        await session.execute(select(Task).where(Task.tenant_id == tenant_id, Task.id == task_id))
    ).scalar_one_or_none()
    if task is None:
        raise NotFound(f"task {task_id} not found")
    return task


async def task_details(
    session: AsyncSession, tenant_id: uuid.UUID, task_id: uuid.UUID
) -> tuple[Task, list[Task], list[TaskDelegation]]:
    task = await get_task(session, tenant_id, task_id)
    subtasks = list(
        (
            await session.execute(
                select(Task)
                .where(Task.tenant_id == tenant_id, Task.parent_id == task_id)
                .order_by(Task.id)
            )
        ).scalars()
    )
    delegations = list(
        (
            await session.execute(
                select(TaskDelegation)
                .where(TaskDelegation.tenant_id == tenant_id, TaskDelegation.task_id == task_id)
                .order_by(TaskDelegation.id)
            )
        ).scalars()
    )
    return task, subtasks, delegations


async def list_my_tasks(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    status: str,
    size: int,
    before: uuid.UUID | None,
    include_team: bool = False,
    scope: str | None = None,
    team: str | None = None,
) -> list[Task]:
    """T6: the caller's own tasks (assignee), newest first; with ``include_team`` also their
    team's (record scope ``team``) or everyone's (scope ``all``)."""
    status = status or "open"
    if status not in ("open", "done", "cancelled"):
        v = Validator()
        v.add("status", "must be open, done or cancelled")
        v.raise_if_any()
    who = Task.assignee_user_id == user_id
    if include_team:
        if scope == "all":
            who = Task.tenant_id == tenant_id
        elif scope == "team" and team:
            who = (Task.assignee_user_id == user_id) | (Task.team == team)
        else:
            raise PermissionDenied("your role shows only your own tasks")
    stmt = select(Task).where(Task.tenant_id == tenant_id, who, Task.status == status)
    if before is not None:
        stmt = stmt.where(Task.id < before)
    stmt = stmt.order_by(Task.id.desc()).limit(size + 1)
    return list((await session.execute(stmt)).scalars())


async def list_party_tasks(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    *,
    type_key: str,
    status: str,
    size: int,
    before: uuid.UUID | None,
) -> list[Task]:
    """The tasks on one party, newest first (A4: a customer's service requests)."""
    v = Validator()
    if status and status not in ("open", "done", "cancelled"):
        v.add("status", "must be open, done or cancelled")
    task_type = None
    if type_key:
        task_type = await task_type_by_key(session, tenant_id, type_key)
    v.raise_if_any()
    if type_key and task_type is None:
        return []  # no such type yet: no task of it either
    stmt = select(Task).where(Task.tenant_id == tenant_id, Task.party_id == party_id)
    if task_type is not None:
        stmt = stmt.where(Task.task_type_id == task_type.id)
    if status:
        stmt = stmt.where(Task.status == status)
    if before is not None:
        stmt = stmt.where(Task.id < before)
    stmt = stmt.order_by(Task.id.desc()).limit(size + 1)
    return list((await session.execute(stmt)).scalars())


def _may_act(task: Task, user_id: uuid.UUID | None) -> None:
    if user_id is None or user_id not in (task.assignee_user_id, task.creator_user_id):
        raise PermissionDenied("only the task's assignee or creator may change it")


async def delegate_task(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    task_id: uuid.UUID,
    *,
    to_user_id: uuid.UUID,
    by_user_id: uuid.UUID | None,
    note: str = "",
) -> Task:
    task = await get_task(session, tenant_id, task_id)
    _may_act(task, by_user_id)
    if task.status != "open":
        raise FailedPrecondition("only an open task can be delegated")
    if to_user_id == task.assignee_user_id:
        raise FailedPrecondition("the task is already assigned to this user")
    now = _now()
    session.add(
        TaskDelegation(
            tenant_id=tenant_id,
            task_id=task.id,
            from_user_id=task.assignee_user_id,
            to_user_id=to_user_id,
            by_user_id=by_user_id,
            note=note,
            created_at=now,
        )
    )
    previous = task.assignee_user_id
    task.assignee_user_id = to_user_id
    task.updated_at = now
    await session.flush()
    await events.emit(
        session,
        task,
        ev.TaskAssigned(
            task_id=str(task.id),
            from_user_id=str(previous),
            to_user_id=str(to_user_id),
            by_user_id=str(by_user_id) if by_user_id else "",
            assigned_at=timestamp(now),
        ),
    )
    return task


async def complete_task(
    session: AsyncSession, tenant_id: uuid.UUID, task_id: uuid.UUID, *, user_id: uuid.UUID | None
) -> tuple[Task, int]:
    """Complete the task, emit TaskCompleted, then run the on_task_completed rules (T5)."""
    task = await get_task(session, tenant_id, task_id)
    _may_act(task, user_id)
    if task.status != "open":
        raise FailedPrecondition(f"the task is {task.status}")
    open_subtasks = (
        await session.execute(
            select(func.count()).where(
                Task.tenant_id == tenant_id, Task.parent_id == task.id, Task.status == "open"
            )
        )
    ).scalar_one()
    if open_subtasks:
        raise FailedPrecondition(f"{open_subtasks} subtask(s) still open")
    now = _now()
    task.status = "done"
    task.completed_at = now
    task.updated_at = now
    await session.flush()
    keys = await _type_keys(session, tenant_id)
    type_key = keys.get(task.task_type_id, "") if task.task_type_id else ""
    await events.emit(
        session,
        task,
        ev.TaskCompleted(
            task_id=str(task.id),
            task_type_key=type_key,
            party_id=str(task.party_id) if task.party_id else "",
            assignee_user_id=str(task.assignee_user_id),
            created_at=timestamp(task.created_at),
            completed_at=timestamp(now),
            sla_due_at=timestamp(task.sla_due_at),
            sla_met=task.sla_due_at is None or now <= task.sla_due_at,
            duration_seconds=int((now - task.created_at).total_seconds()),
        ),
    )
    actions = 0
    if task.task_type_id is not None:
        rules = (
            await session.execute(
                select(Rule).where(
                    Rule.tenant_id == tenant_id,
                    Rule.kind == "on_task_completed",
                    Rule.task_type_id == task.task_type_id,
                    Rule.enabled.is_(True),
                )
            )
        ).scalars()
        context = {
            "task_id": str(task.id),
            "title": task.title,
            "party_id": str(task.party_id) if task.party_id else "",
            "assignee_user_id": str(task.assignee_user_id),
        }
        for rule in rules:
            params = {
                str(k): render(str(val), context)
                for k, val in (rule.action.get("params") or {}).items()
            }
            await events.emit(
                session,
                task,
                ev.TaskActionRequested(
                    task_id=str(task.id),
                    rule_id=str(rule.id),
                    action=str(rule.action.get("action", "")),
                    party_id=context["party_id"],
                    params=params,
                    requested_at=timestamp(now),
                ),
            )
            actions += 1
    return task, actions


async def check_sla(
    session: AsyncSession, tenant_id: uuid.UUID, *, now: dt.datetime | None = None
) -> int:
    """Mark every open task past its SLA once and emit TaskSlaBreached for it (T3)."""
    now = now or _now()
    breached = list(
        (
            await session.execute(
                update(Task)
                .where(
                    Task.tenant_id == tenant_id,
                    Task.status == "open",
                    Task.sla_due_at < now,
                    Task.sla_breached_at.is_(None),
                )
                .values(sla_breached_at=now)
                .returning(Task)
            )
        ).scalars()
    )
    keys = await _type_keys(session, tenant_id) if breached else {}
    for task in breached:
        await events.emit(
            session,
            task,
            ev.TaskSlaBreached(
                task_id=str(task.id),
                task_type_key=keys.get(task.task_type_id, "") if task.task_type_id else "",
                party_id=str(task.party_id) if task.party_id else "",
                assignee_user_id=str(task.assignee_user_id),
                sla_due_at=timestamp(task.sla_due_at),
                detected_at=timestamp(now),
            ),
        )
    return len(breached)


async def tenants_with_open_sla(session: AsyncSession, now: dt.datetime) -> list[uuid.UUID]:
    """For the periodic job (runs without a tenant: needs a role that bypasses RLS)."""
    rows = await session.execute(
        select(Task.tenant_id)
        .where(Task.status == "open", Task.sla_due_at < now, Task.sla_breached_at.is_(None))
        .distinct()
    )
    return [r[0] for r in rows]


async def sla_report(session: AsyncSession, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    now = _now()
    late = and_(Task.sla_due_at.is_not(None), Task.completed_at > Task.sla_due_at)
    stmt = (
        select(
            TaskType.key,
            func.count(case((and_(Task.status == "done", ~late), 1))).label("done_within_sla"),
            func.count(case((and_(Task.status == "done", late), 1))).label("done_late"),
            func.count(case((and_(Task.status == "open", Task.sla_due_at < now), 1))).label(
                "open_breached"
            ),
            func.count(case((and_(Task.status == "open", Task.sla_due_at >= now), 1))).label(
                "open_within_sla"
            ),
        )
        .join(TaskType, TaskType.id == Task.task_type_id)
        .where(Task.tenant_id == tenant_id)
        .group_by(TaskType.key)
        .order_by(TaskType.key)
    )
    return [dict(r._mapping) for r in await session.execute(stmt)]


# ---------------------------------------------------------------- reminders (T1)


async def create_reminder(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    user_id: uuid.UUID,
    party_id: uuid.UUID | None,
    remind_at: dt.datetime | None,
    note: str,
    follow_up: bool,
) -> Reminder:
    v = Validator()
    if not note.strip():
        v.add("note", "is required")
    if remind_at is None:
        v.add("remind_at", "is required")
    elif remind_at <= _now():
        v.add("remind_at", "must be in the future")
    v.raise_if_any("the reminder is not valid")
    r = Reminder(
        tenant_id=tenant_id,
        user_id=user_id,
        party_id=party_id,
        remind_at=remind_at,
        note=note.strip(),
        follow_up=follow_up,
    )
    session.add(r)
    await session.flush()
    return r


async def list_reminders(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    *,
    follow_up: bool,
    now: dt.datetime | None = None,
) -> list[Reminder]:
    """Due reminders (remind_at passed, not done), or every open follow-up, oldest first."""
    stmt = select(Reminder).where(
        Reminder.tenant_id == tenant_id, Reminder.user_id == user_id, Reminder.done_at.is_(None)
    )
    if follow_up:
        stmt = stmt.where(Reminder.follow_up.is_(True))
    else:
        stmt = stmt.where(Reminder.remind_at <= (now or _now()))
    return list((await session.execute(stmt.order_by(Reminder.remind_at))).scalars())


async def dismiss_reminder(
    session: AsyncSession, tenant_id: uuid.UUID, user_id: uuid.UUID, reminder_id: uuid.UUID
) -> None:
    res = await session.execute(
        update(Reminder)
        .where(
            Reminder.tenant_id == tenant_id,
            Reminder.user_id == user_id,
            Reminder.id == reminder_id,
        )
        .values(done_at=_now())
        .returning(Reminder.id)
    )
    if res.first() is None:
        raise NotFound(f"reminder {reminder_id} not found")


# ---------------------------------------------------------------- rules (T4, T5)


@dataclass
class RuleInput:
    name: str
    kind: str
    topic: str = ""
    event_type: str = ""
    conditions: list[Any] | None = None
    task_template: dict[str, Any] | None = None
    task_type_key: str = ""
    action: dict[str, Any] | None = None
    enabled: bool = True


async def create_rule(session: AsyncSession, tenant_id: uuid.UUID, data: RuleInput) -> Rule:
    from crm_contacts.consumers.registry import subscribed

    v = Validator()
    if not data.name.strip():
        v.add("name", "is required")
    if data.kind not in RULE_KINDS:
        v.add("kind", f"must be one of: {', '.join(RULE_KINDS)}")
    type_id = None
    if data.kind == "on_event":
        if (data.topic, data.event_type) not in subscribed():
            v.add("event_type", "contacts does not consume this topic/event type")
        check_conditions(v, data.conditions or [])
        check_template(v, data.task_template or {})
        key = (data.task_template or {}).get("task_type_key")
        if key and await task_type_by_key(session, tenant_id, key) is None:
            v.add("task_template.task_type_key", "no such task type")
    elif data.kind == "on_task_completed":
        t = await task_type_by_key(session, tenant_id, data.task_type_key)
        if t is None:
            v.add("task_type_key", "no such task type")
        else:
            type_id = t.id
        if not str((data.action or {}).get("action") or "").strip():
            v.add("action.action", "is required")
    v.raise_if_any("the rule is not valid")
    rule = Rule(
        tenant_id=tenant_id,
        name=data.name.strip(),
        kind=data.kind,
        topic=data.topic or None,
        event_type=data.event_type or None,
        conditions=data.conditions or [],
        task_template=data.task_template or {},
        task_type_id=type_id,
        action=data.action or {},
        enabled=data.enabled,
    )
    session.add(rule)
    await session.flush()
    return rule


async def list_rules(session: AsyncSession, tenant_id: uuid.UUID) -> list[Rule]:
    stmt = select(Rule).where(Rule.tenant_id == tenant_id).order_by(Rule.id)
    return list((await session.execute(stmt)).scalars())


async def apply_event_rules(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    topic: str,
    event_type: str,
    event_id: uuid.UUID,
    payload: dict[str, Any],
) -> list[Task]:
    """T4: every enabled rule on this event whose conditions match creates its task (once)."""
    rules = (
        await session.execute(
            select(Rule).where(
                Rule.tenant_id == tenant_id,
                Rule.kind == "on_event",
                Rule.topic == topic,
                Rule.event_type == event_type,
                Rule.enabled.is_(True),
            )
        )
    ).scalars()
    made = []
    for rule in rules:
        if not matches(rule.conditions, payload):
            continue
        t = rule.task_template
        due_in = t.get("due_in_minutes")

        def as_uuid(name: str) -> uuid.UUID | None:
            raw = payload.get(name)
            try:
                return uuid.UUID(raw) if raw else None
            except ValueError:
                return None

        task = await create_task(
            session,
            tenant_id,
            TaskInput(
                title=render(t["title"], payload)[:300] or rule.name,
                description=render(str(t.get("description", "")), payload),
                assignee_user_id=uuid.UUID(t["assignee_user_id"]),
                creator_user_id=None,
                task_type_key=t.get("task_type_key", ""),
                party_id=as_uuid("party_id"),
                deal_id=as_uuid("deal_id"),
                order_id=as_uuid("order_id"),
                priority=int(t.get("priority", 2)),
                due_at=_now() + dt.timedelta(minutes=due_in) if due_in is not None else None,
                rule_id=rule.id,
                source_event_id=event_id,
            ),
        )
        if task is not None:
            made.append(task)
    return made
