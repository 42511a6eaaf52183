"""gRPC TasksService: proto in, use case, proto out. No queries, no commits."""

from __future__ import annotations

import datetime as dt
import uuid

from crm.contacts.v1 import tasks_service_pb2 as pb
from crm.contacts.v1 import tasks_service_pb2_grpc as pb_grpc
from crm_common.context import current_context, current_tenant, current_user
from crm_common.db import current_session
from crm_common.errors import InvalidArgument
from crm_common.pagination import PageRequest, next_token
from crm_common.protoutil import parse_uuid, timestamp
from crm_contacts.api import mappers as m
from crm_contacts.tasks import service as tasks


def _user() -> uuid.UUID:
    user = current_user()
    if user is None:
        raise InvalidArgument("x-user-id metadata is required for tasks")
    return user


def _opt(raw: str, field: str) -> uuid.UUID | None:
    return parse_uuid(raw, field) if raw else None


async def _keys() -> dict[uuid.UUID, str]:
    return await tasks._type_keys(current_session(), current_tenant())


def _task(t, keys: dict[uuid.UUID, str]) -> pb.Task:
    return m.task_to_pb(t, keys.get(t.task_type_id, "") if t.task_type_id else "")


def _rule(r, keys: dict[uuid.UUID, str]) -> pb.Rule:
    return pb.Rule(
        id=str(r.id),
        name=r.name,
        kind=r.kind,
        topic=r.topic or "",
        event_type=r.event_type or "",
        conditions=m.listvalue(r.conditions),
        task_template=m.struct(r.task_template),
        task_type_key=keys.get(r.task_type_id, "") if r.task_type_id else "",
        action=m.struct(r.action),
        enabled=r.enabled,
    )


class TasksServicer(pb_grpc.TasksServiceServicer):
    async def CreateTaskType(self, request, context):
        t = await tasks.create_task_type(
            current_session(),
            current_tenant(),
            key=request.key,
            name=request.name,
            sla_minutes=request.sla_minutes,
        )
        return pb.CreateTaskTypeResponse(
            task_type=pb.TaskType(
                id=str(t.id), key=t.key, name=t.name, sla_minutes=t.sla_minutes or 0
            )
        )

    async def CreateTask(self, request, context):
        user = _user()
        assignee = _opt(request.assignee_user_id, "assignee_user_id") or user
        ctx = current_context()
        team = request.team_id or (str(ctx.team_id) if ctx.team_id and assignee == user else None)
        task = await tasks.create_task(
            current_session(),
            current_tenant(),
            tasks.TaskInput(
                title=request.title,
                description=request.description,
                assignee_user_id=assignee,
                creator_user_id=user,
                team=team,
                task_type_key=request.task_type_key,
                parent_id=_opt(request.parent_id, "parent_id"),
                party_id=_opt(request.party_id, "party_id"),
                deal_id=_opt(request.deal_id, "deal_id"),
                order_id=_opt(request.order_id, "order_id"),
                priority=request.priority or 2,
                due_at=request.due_at.ToDatetime(tzinfo=dt.UTC)
                if request.HasField("due_at")
                else None,
            ),
        )
        return pb.CreateTaskResponse(task=_task(task, await _keys()))

    async def GetTask(self, request, context):
        task, subtasks, delegations = await tasks.task_details(
            current_session(), current_tenant(), parse_uuid(request.task_id, "task_id")
        )
        keys = await _keys()
        return pb.GetTaskResponse(
            task=_task(task, keys),
            subtasks=[_task(t, keys) for t in subtasks],
            delegations=[
                pb.Delegation(
                    from_user_id=str(d.from_user_id or ""),
                    to_user_id=str(d.to_user_id),
                    by_user_id=str(d.by_user_id or ""),
                    note=d.note,
                    at=timestamp(d.created_at),
                )
                for d in delegations
            ],
        )

    async def ListMyTasks(self, request, context):
        page = PageRequest.parse(request.page_size, request.page_token)
        rows = await tasks.list_my_tasks(
            current_session(),
            current_tenant(),
            _user(),
            status=request.status,
            size=page.size,
            before=page.before,
            include_team=request.include_team,
            scope=current_context().record_scope,
            team=str(current_context().team_id) if current_context().team_id else None,
        )
        keys = await _keys()
        return pb.ListMyTasksResponse(
            tasks=[_task(t, keys) for t in rows[: page.size]],
            next_page_token=next_token(rows, page.size),
        )

    async def ListPartyTasks(self, request, context):
        page = PageRequest.parse(request.page_size, request.page_token)
        rows = await tasks.list_party_tasks(
            current_session(),
            current_tenant(),
            parse_uuid(request.party_id, "party_id"),
            type_key=request.task_type_key,
            status=request.status,
            size=page.size,
            before=page.before,
        )
        keys = await _keys()
        return pb.ListPartyTasksResponse(
            tasks=[_task(t, keys) for t in rows[: page.size]],
            next_page_token=next_token(rows, page.size),
        )

    async def DelegateTask(self, request, context):
        task = await tasks.delegate_task(
            current_session(),
            current_tenant(),
            parse_uuid(request.task_id, "task_id"),
            to_user_id=parse_uuid(request.to_user_id, "to_user_id"),
            by_user_id=_user(),
            note=request.note,
        )
        return pb.DelegateTaskResponse(task=_task(task, await _keys()))

    async def CompleteTask(self, request, context):
        task, actions = await tasks.complete_task(
            current_session(),
            current_tenant(),
            parse_uuid(request.task_id, "task_id"),
            user_id=_user(),
        )
        return pb.CompleteTaskResponse(task=_task(task, await _keys()), actions_requested=actions)

    async def CheckSla(self, request, context):
        n = await tasks.check_sla(current_session(), current_tenant())
        return pb.CheckSlaResponse(breached=n)

    async def SlaReport(self, request, context):
        rows = await tasks.sla_report(current_session(), current_tenant())
        return pb.SlaReportResponse(rows=[pb.SlaRow(task_type_key=r.pop("key"), **r) for r in rows])

    async def CreateReminder(self, request, context):
        r = await tasks.create_reminder(
            current_session(),
            current_tenant(),
            user_id=_user(),
            party_id=_opt(request.party_id, "party_id"),
            remind_at=request.remind_at.ToDatetime(tzinfo=dt.UTC)
            if request.HasField("remind_at")
            else None,
            note=request.note,
            follow_up=request.follow_up,
        )
        return pb.CreateReminderResponse(reminder=_reminder(r))

    async def ListReminders(self, request, context):
        rows = await tasks.list_reminders(
            current_session(), current_tenant(), _user(), follow_up=request.follow_up
        )
        return pb.ListRemindersResponse(reminders=[_reminder(r) for r in rows])

    async def DismissReminder(self, request, context):
        await tasks.dismiss_reminder(
            current_session(),
            current_tenant(),
            _user(),
            parse_uuid(request.reminder_id, "reminder_id"),
        )
        return pb.DismissReminderResponse()

    async def CreateRule(self, request, context):
        r = request.rule
        rule = await tasks.create_rule(
            current_session(),
            current_tenant(),
            tasks.RuleInput(
                name=r.name,
                kind=r.kind,
                topic=r.topic,
                event_type=r.event_type,
                conditions=m.from_listvalue(r.conditions),
                task_template=m.from_struct(r.task_template),
                task_type_key=r.task_type_key,
                action=m.from_struct(r.action),
                enabled=r.enabled,
            ),
        )
        return pb.CreateRuleResponse(rule=_rule(rule, await _keys()))

    async def ListRules(self, request, context):
        keys = await _keys()
        rows = await tasks.list_rules(current_session(), current_tenant())
        return pb.ListRulesResponse(rules=[_rule(r, keys) for r in rows])


def _reminder(r) -> pb.Reminder:
    return pb.Reminder(
        id=str(r.id),
        party_id=str(r.party_id or ""),
        remind_at=timestamp(r.remind_at),
        note=r.note,
        follow_up=r.follow_up,
        done_at=timestamp(r.done_at),
    )
