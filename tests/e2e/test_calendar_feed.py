"""A3: the calendar connector: an iCalendar feed of my open tasks and follow-ups."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from .conftest import _keys

pytestmark = pytest.mark.e2e


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_a3_calendar_feed_lists_my_open_tasks_and_follow_ups_only(stack, api: httpx.Client):
    due = dt.datetime(2026, 12, 31, 21, 30, tzinfo=dt.UTC)  # 23:30 in Israel
    task = api.post(
        "/v1/tasks",
        json={"title": "להוציא חשבונית, דחוף", "priority": 1, "due_at": due.isoformat()},
    )
    assert task.status_code == 201, task.text
    task_id = task.json()["id"]
    done = api.post("/v1/tasks", json={"title": "כבר בוצע", "due_at": due.isoformat()}).json()
    assert api.post(f"/v1/tasks/{done['id']}:complete").status_code == 200
    reminder = api.post(
        "/v1/tasks/reminders",
        json={"remind_at": "2027-01-03T08:00:00Z", "note": "לחזור לדנה", "follow_up": True},
    )
    assert reminder.status_code == 201, reminder.text

    # another tenant's task never shows in this feed
    other_key = list(stack.tenant_keys)[next(_keys)]
    with httpx.Client(
        base_url=stack.gateway_url, headers={"Authorization": f"Bearer {other_key}"}, timeout=15
    ) as other:
        assert (
            other.post(
                "/v1/tasks", json={"title": "של דייר אחר", "due_at": due.isoformat()}
            ).status_code
            == 201
        )

    feed = api.get("/v1/calendar/tasks.ics")
    assert feed.status_code == 200, feed.text
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.content.endswith(b"\r\n")
    lines = _unfold(feed.text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert f"UID:task-{task_id}@crm" in lines
    assert "SUMMARY:להוציא חשבונית\\, דחוף" in lines
    assert "DUE:20261231T213000Z" in lines and "PRIORITY:1" in lines
    assert f"UID:task-{done['id']}@crm" not in lines
    assert "SUMMARY:כבר בוצע" not in lines
    assert "SUMMARY:של דייר אחר" not in lines
    assert "SUMMARY:לחזור לדנה" in lines and "DTSTART:20270103T080000Z" in lines
    assert lines.count("BEGIN:VTODO") == 1 and lines.count("BEGIN:VEVENT") == 1

    # no credential: 401 problem+json, no calendar
    anon = httpx.get(f"{stack.gateway_url}/v1/calendar/tasks.ics", timeout=15)
    assert anon.status_code == 401
    assert anon.headers["content-type"].startswith("application/problem+json")
