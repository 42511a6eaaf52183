"""A4: ListPartyTasks, the tasks on one customer (the portal's service requests)."""

from __future__ import annotations

import uuid

import grpc
import pytest

from crm.contacts.v1 import tasks_service_pb2 as tpb


async def test_a4_list_party_tasks_filters_by_party_type_and_status(contacts, caller):
    party, other = uuid.uuid4(), uuid.uuid4()
    await contacts.tasks.CreateTaskType(
        tpb.CreateTaskTypeRequest(key="service_request", name="פנייה", sla_minutes=240),
        metadata=caller.md,
        timeout=5,
    )

    async def task(title: str, on: uuid.UUID, type_key: str = "") -> tpb.Task:
        resp = await contacts.tasks.CreateTask(
            tpb.CreateTaskRequest(title=title, party_id=str(on), task_type_key=type_key),
            metadata=caller.md,
            timeout=5,
        )
        return resp.task

    first = await task("המזגן מטפטף", party, "service_request")
    second = await task("חשבונית שגויה", party, "service_request")
    await task("להתקשר", party)  # another type on the same party
    await task("פנייה של לקוח אחר", other, "service_request")
    await contacts.tasks.CompleteTask(
        tpb.CompleteTaskRequest(task_id=first.id), metadata=caller.md, timeout=5
    )

    async def listed(**kw) -> list[str]:
        resp = await contacts.tasks.ListPartyTasks(
            tpb.ListPartyTasksRequest(party_id=str(party), **kw), metadata=caller.md, timeout=5
        )
        return [t.title for t in resp.tasks]

    assert await listed(task_type_key="service_request") == [second.title, first.title]
    assert await listed(task_type_key="service_request", status="open") == [second.title]
    assert len(await listed()) == 3
    assert await listed(task_type_key="no_such_type") == []
    # Pages of one, newest first.
    page = await contacts.tasks.ListPartyTasks(
        tpb.ListPartyTasksRequest(
            party_id=str(party), task_type_key="service_request", page_size=1
        ),
        metadata=caller.md,
        timeout=5,
    )
    assert [t.id for t in page.tasks] == [second.id] and page.next_page_token
    # Another tenant sees none of them.
    stranger = type(caller)(uuid.uuid4(), uuid.uuid4())
    resp = await contacts.tasks.ListPartyTasks(
        tpb.ListPartyTasksRequest(party_id=str(party)), metadata=stranger.md, timeout=5
    )
    assert list(resp.tasks) == []
    with pytest.raises(grpc.aio.AioRpcError) as bad:
        await contacts.tasks.ListPartyTasks(
            tpb.ListPartyTasksRequest(party_id=str(party), status="lost"),
            metadata=caller.md,
            timeout=5,
        )
    assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT
