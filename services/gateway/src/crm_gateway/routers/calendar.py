"""/v1/calendar: an iCalendar feed of the caller's open tasks and follow-ups (A3 connector).

Calendar apps subscribe to the URL with the user's token or an API key in the Authorization
header; the feed is read-only and shows only the caller's own items (contacts applies T6).
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Response

from crm.contacts.v1 import tasks_service_pb2 as pb
from crm_gateway import ics
from crm_gateway.access.routes import requires
from crm_gateway.backends import Call, Services
from crm_gateway.routers.tasks import stub

router = APIRouter(tags=["calendar"])

MAX_TASKS = 1000  # pages of 200 read for one feed
_PRIORITY = {1: 1, 2: 5, 3: 9}  # ours: 1 high, 2 normal, 3 low; iCalendar: 1 high .. 9 low


@router.get(
    "/v1/calendar/tasks.ics",
    summary="iCalendar feed: my open tasks (VTODO, by due date) and follow-ups (VEVENT)",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {"schema": {"type": "string"}}}}},
    openapi_extra=requires("contacts:read"),
)
async def tasks_feed(call: Call, services: Services) -> Response:
    tasks_stub = stub(services)
    items: list[ics.Item] = []
    token = ""
    seen = 0
    while seen < MAX_TASKS:
        page = await tasks_stub.ListMyTasks(
            pb.ListMyTasksRequest(status="open", page_size=200, page_token=token),
            metadata=call.metadata,
            timeout=call.timeout,
        )
        seen += len(page.tasks)
        for t in page.tasks:
            if not t.HasField("due_at"):
                continue
            items.append(
                ics.Item(
                    kind="VTODO",
                    uid=f"task-{t.id}@crm",
                    summary=t.title,
                    description=t.description,
                    at=t.due_at.ToDatetime(tzinfo=dt.UTC),
                    status="NEEDS-ACTION",
                    priority=_PRIORITY.get(t.priority, 0),
                )
            )
        token = page.next_page_token
        if not token:
            break
    reminders = await tasks_stub.ListReminders(
        pb.ListRemindersRequest(follow_up=True), metadata=call.metadata, timeout=call.timeout
    )
    for r in reminders.reminders:
        if r.HasField("remind_at") and not r.HasField("done_at"):
            items.append(
                ics.Item(
                    kind="VEVENT",
                    uid=f"reminder-{r.id}@crm",
                    summary=r.note or "תזכורת",
                    at=r.remind_at.ToDatetime(tzinfo=dt.UTC),
                )
            )
    body = ics.calendar(items, name="CRM – המשימות שלי", now=dt.datetime.now(dt.UTC))
    return Response(
        content=body.encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )
