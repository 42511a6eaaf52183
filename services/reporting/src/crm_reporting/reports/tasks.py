"""R6 tasks: created, done, overdue and SLA breaches per type, assignee and team.

The period selects tasks by creation time (tenant-local days); each is then judged as of
``now`` (the request's, default the call's time): done = completed by ``now``; overdue = not
completed by ``now`` and ``due_at`` before ``now``; SLA breached = breach recorded by ``now``
or completed with the SLA not met; SLA met = completed within it.

Teams: tasks carry no team and contacts publishes no user->team mapping, so an assignee's team
is the team of the last lead they owned (``lead_fact``). Assignees never seen owning a lead
fall in the team row with an empty team id ("unknown").
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_reporting.reports.period import EVERYTHING, Period, Visibility

_SQL = text(
    """
WITH tasks AS (
    SELECT t.task_type_key, t.assignee_user_id, tm.team_id,
           t.completed_at IS NOT NULL AND t.completed_at <= :now AS done,
           (t.completed_at IS NULL OR t.completed_at > :now) AND t.due_at < :now AS overdue,
           (t.sla_breached_at IS NOT NULL AND t.sla_breached_at <= :now)
             OR (t.sla_met IS FALSE AND t.completed_at <= :now) AS breached,
           t.sla_met IS TRUE AND t.completed_at <= :now AS met
    FROM task_fact t
    LEFT JOIN LATERAL (
        SELECT l.team_id FROM lead_fact l
        WHERE l.tenant_id = t.tenant_id AND l.owner_id = t.assignee_user_id
          AND l.team_id IS NOT NULL
        ORDER BY l.captured_at DESC LIMIT 1
    ) tm ON true
    WHERE t.tenant_id = :tenant AND t.created_at >= :lo AND t.created_at < :hi
      AND (CAST(:owners AS uuid[]) IS NULL OR t.assignee_user_id = ANY(CAST(:owners AS uuid[])))
)
SELECT GROUPING(task_type_key) AS g_type, GROUPING(assignee_user_id) AS g_assignee,
       GROUPING(team_id) AS g_team,
       task_type_key, assignee_user_id, team_id,
       count(*) AS created,
       count(*) FILTER (WHERE done) AS done,
       count(*) FILTER (WHERE overdue) AS overdue,
       count(*) FILTER (WHERE breached) AS breached,
       count(*) FILTER (WHERE met) AS met
FROM tasks
GROUP BY GROUPING SETS (
    (task_type_key), (assignee_user_id), (assignee_user_id, task_type_key), (team_id), ()
)
"""
)


@dataclass(slots=True)
class TaskRow:
    task_type_key: str = ""
    assignee_user_id: str = ""
    team_id: str = ""
    created: int = 0
    done: int = 0
    overdue: int = 0
    sla_breaches: int = 0
    sla_met: int = 0


@dataclass(slots=True)
class TasksReport:
    now: dt.datetime
    by_type: list[TaskRow]
    by_assignee: list[TaskRow]
    by_assignee_and_type: list[TaskRow]
    by_team: list[TaskRow]
    total: TaskRow


async def tasks_report(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    period: Period,
    now: dt.datetime,
    seen: Visibility = EVERYTHING,
) -> TasksReport:
    """A scoped caller sees the tasks assigned to the users in scope."""
    result = await session.execute(
        _SQL,
        {
            "tenant": tenant_id,
            "lo": period.lo,
            "hi": period.hi,
            "now": now,
            "owners": seen.owner_param,
        },
    )
    report = TasksReport(now, [], [], [], [], TaskRow())
    for r in result:
        row = TaskRow(
            task_type_key=r.task_type_key or "",
            assignee_user_id=str(r.assignee_user_id or ""),
            team_id=str(r.team_id or ""),
            created=int(r.created),
            done=int(r.done),
            overdue=int(r.overdue),
            sla_breaches=int(r.breached),
            sla_met=int(r.met),
        )
        grouped = (not r.g_type, not r.g_assignee, not r.g_team)
        if grouped == (True, False, False):
            report.by_type.append(row)
        elif grouped == (False, True, False):
            report.by_assignee.append(row)
        elif grouped == (True, True, False):
            report.by_assignee_and_type.append(row)
        elif grouped == (False, False, True):
            report.by_team.append(row)
        else:
            report.total = row
    for rows in (
        report.by_type,
        report.by_assignee,
        report.by_assignee_and_type,
        report.by_team,
    ):
        rows.sort(key=lambda x: (-x.created, x.task_type_key, x.assignee_user_id, x.team_id))
    return report
