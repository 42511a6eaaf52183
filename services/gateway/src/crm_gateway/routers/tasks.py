"""/v1/tasks: tasks, task types (SLA), rules, reminders (T1-T7). The caller is the user."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from google.protobuf.struct_pb2 import ListValue
from google.protobuf.timestamp_pb2 import Timestamp
from pydantic import Field

from crm.contacts.v1 import tasks_service_pb2 as pb
from crm.contacts.v1 import tasks_service_pb2_grpc as pb_grpc
from crm_gateway.backends import Call, Services
from crm_gateway.routers.cards import _In, out, struct

router = APIRouter(tags=["tasks"])


def stub(services: Services) -> pb_grpc.TasksServiceStub:
    return services.stub("contacts", pb_grpc.TasksServiceStub)


def _ts(value: dt.datetime | None) -> Timestamp | None:
    if value is None:
        return None
    t = Timestamp()
    t.FromDatetime(value if value.tzinfo else value.replace(tzinfo=dt.UTC))
    return t


class TaskTypeIn(_In):
    key: str = Field(max_length=63)
    name: str = Field(max_length=200)
    sla_minutes: int = Field(default=0, ge=0, le=525_600)


@router.post("/v1/tasks/types", status_code=201, summary="A task type with its SLA (T3)")
async def create_type(body: TaskTypeIn, call: Call, services: Services) -> dict:
    resp = await stub(services).CreateTaskType(
        pb.CreateTaskTypeRequest(**body.model_dump()), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.task_type)


class RuleIn(_In):
    name: str = Field(max_length=200)
    kind: Literal["on_event", "on_task_completed"]
    topic: str = ""
    event_type: str = ""
    conditions: list[dict[str, Any]] = []
    task_template: dict[str, Any] = {}
    task_type_key: str = ""
    action: dict[str, Any] = {}
    enabled: bool = True


@router.post("/v1/tasks/rules", status_code=201, summary="An automation rule (T4, T5)")
async def create_rule(body: RuleIn, call: Call, services: Services) -> dict:
    conditions = ListValue()
    conditions.extend(body.conditions)
    resp = await stub(services).CreateRule(
        pb.CreateRuleRequest(
            rule=pb.Rule(
                name=body.name,
                kind=body.kind,
                topic=body.topic,
                event_type=body.event_type,
                conditions=conditions,
                task_template=struct(body.task_template),
                task_type_key=body.task_type_key,
                action=struct(body.action),
                enabled=body.enabled,
            )
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.rule)


@router.get("/v1/tasks/rules", summary="The tenant's rules")
async def list_rules(call: Call, services: Services) -> dict:
    resp = await stub(services).ListRules(
        pb.ListRulesRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return {"items": [out(r) for r in resp.rules]}


class ReminderIn(_In):
    remind_at: dt.datetime
    note: str = Field(max_length=2000)
    party_id: str = ""
    follow_up: bool = False


@router.post("/v1/tasks/reminders", status_code=201, summary="Set a reminder (T1)")
async def create_reminder(body: ReminderIn, call: Call, services: Services) -> dict:
    resp = await stub(services).CreateReminder(
        pb.CreateReminderRequest(
            remind_at=_ts(body.remind_at),
            note=body.note,
            party_id=body.party_id,
            follow_up=body.follow_up,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.reminder)


@router.get("/v1/tasks/reminders", summary="My due reminders, or my follow-ups")
async def list_reminders(
    call: Call, services: Services, follow_up: Annotated[bool, Query()] = False
) -> dict:
    resp = await stub(services).ListReminders(
        pb.ListRemindersRequest(follow_up=follow_up), metadata=call.metadata, timeout=call.timeout
    )
    return {"items": [out(r) for r in resp.reminders]}


@router.post(
    "/v1/tasks/reminders/{reminder_id}:dismiss", status_code=204, summary="Mark a reminder done"
)
async def dismiss_reminder(reminder_id: str, call: Call, services: Services) -> Response:
    await stub(services).DismissReminder(
        pb.DismissReminderRequest(reminder_id=reminder_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return Response(status_code=204)


@router.get("/v1/tasks/sla-report", summary="Per task type: done within / past SLA (T3, T7)")
async def sla_report(call: Call, services: Services) -> dict:
    resp = await stub(services).SlaReport(
        pb.SlaReportRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return {"items": [out(r) for r in resp.rows]}


@router.post("/v1/tasks/sla:check", summary="Mark and emit the tasks past their SLA (T3)")
async def sla_check(call: Call, services: Services) -> dict:
    resp = await stub(services).CheckSla(
        pb.CheckSlaRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return {"breached": resp.breached}


class TaskIn(_In):
    title: str = Field(max_length=300)
    description: str = Field(default="", max_length=10_000)
    task_type_key: str = ""
    parent_id: str = ""
    party_id: str = ""
    deal_id: str = ""
    order_id: str = ""
    assignee_user_id: str = ""
    team_id: str = ""
    priority: int = Field(default=2, ge=1, le=3)
    due_at: dt.datetime | None = None


@router.post("/v1/tasks", status_code=201, summary="Create a task or subtask (T2)")
async def create_task(body: TaskIn, call: Call, services: Services) -> dict:
    data = body.model_dump()
    data["due_at"] = _ts(body.due_at)
    resp = await stub(services).CreateTask(
        pb.CreateTaskRequest(**data), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.task)


@router.get("/v1/tasks", summary="My own tasks (T6)")
async def my_tasks(
    call: Call,
    services: Services,
    status: Annotated[Literal["open", "done", "cancelled"], Query()] = "open",
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str, Query(max_length=100)] = "",
    include_team: Annotated[bool, Query(description="also my team's (if my role allows)")] = False,
) -> dict:
    resp = await stub(services).ListMyTasks(
        pb.ListMyTasksRequest(
            status=status, page_size=page_size, page_token=page_token, include_team=include_team
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {"items": [out(t) for t in resp.tasks], "next_page_token": resp.next_page_token or None}


@router.get("/v1/tasks/{task_id}", summary="A task with subtasks and delegation history")
async def get_task(task_id: str, call: Call, services: Services) -> dict:
    resp = await stub(services).GetTask(
        pb.GetTaskRequest(task_id=task_id), metadata=call.metadata, timeout=call.timeout
    )
    return {
        "task": out(resp.task),
        "subtasks": [out(t) for t in resp.subtasks],
        "delegations": [out(d) for d in resp.delegations],
    }


class DelegateIn(_In):
    to_user_id: str
    note: str = Field(default="", max_length=2000)


@router.post("/v1/tasks/{task_id}:delegate", summary="Hand the task to another user")
async def delegate(task_id: str, body: DelegateIn, call: Call, services: Services) -> dict:
    resp = await stub(services).DelegateTask(
        pb.DelegateTaskRequest(task_id=task_id, to_user_id=body.to_user_id, note=body.note),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.task)


@router.post("/v1/tasks/{task_id}:complete", summary="Complete; completion rules run (T5)")
async def complete(task_id: str, call: Call, services: Services) -> dict:
    resp = await stub(services).CompleteTask(
        pb.CompleteTaskRequest(task_id=task_id), metadata=call.metadata, timeout=call.timeout
    )
    return {"task": out(resp.task), "actions_requested": resp.actions_requested}
