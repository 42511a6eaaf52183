"""R3 targets: target vs actual per rep, team and period.

A target is listed when its period (month, quarter or year starting at ``period_start``)
overlaps the report period. Its actual is the deals won within the target's own period
(tenant-local days): a rep target counts the deals the rep owns; a team target counts the
deals whose lead was routed to the team (``lead_fact.team_id``), or, for a deal without a
lead, whose owner was last seen in that team.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_reporting.reports.period import (
    EVERYTHING,
    Period,
    Visibility,
    local_midnight,
    percent,
)

_MONTHS = {"month": 1, "quarter": 3, "year": 12}

_TARGETS = text(
    """
SELECT target_id, owner_id, team_id, period, period_start, amount_agorot, deal_count
FROM target_fact
WHERE tenant_id = :tenant AND period_start <= :end_day AND period_start > :earliest
  AND ((CAST(:owners AS uuid[]) IS NULL OR owner_id = ANY(CAST(:owners AS uuid[])))
       OR (CAST(:team AS uuid) IS NOT NULL AND team_id = CAST(:team AS uuid)))
ORDER BY period_start, owner_id NULLS LAST, team_id, target_id
"""
)

_ACTUAL = text(
    """
SELECT COALESCE(sum(d.amount_agorot), 0) AS amount, count(*) AS deals
FROM deal_fact d
LEFT JOIN lead_fact l ON l.tenant_id = d.tenant_id AND l.lead_id = d.lead_id
WHERE d.tenant_id = :tenant AND d.status = 'won' AND d.won_at >= :lo AND d.won_at < :hi
  AND (
    (CAST(:owner AS uuid) IS NOT NULL AND d.owner_id = CAST(:owner AS uuid))
    OR (CAST(:owner AS uuid) IS NULL AND COALESCE(
          l.team_id,
          (SELECT l2.team_id FROM lead_fact l2
           WHERE l2.tenant_id = d.tenant_id AND l2.owner_id = d.owner_id
             AND l2.team_id IS NOT NULL
           ORDER BY l2.captured_at DESC LIMIT 1)
        ) = CAST(:team AS uuid))
  )
"""
)


def period_end(period: str, start: dt.date) -> dt.date:
    """The first day after a target's period."""
    m = start.month - 1 + _MONTHS.get(period, 1)
    return dt.date(start.year + m // 12, m % 12 + 1, 1)


@dataclass(slots=True)
class TargetRow:
    target_id: str
    owner_id: str
    team_id: str
    period: str
    period_start: str
    period_end: str
    target_amount_agorot: int
    target_deal_count: int
    actual_amount_agorot: int
    actual_deal_count: int
    amount_achieved_percent: float | None
    deal_count_achieved_percent: float | None


async def targets_report(
    session: AsyncSession, tenant_id: uuid.UUID, period: Period, seen: Visibility = EVERYTHING
) -> list[TargetRow]:
    """A scoped caller sees the targets of the owners in scope and their own team's."""
    targets = (
        await session.execute(
            _TARGETS,
            {
                "tenant": tenant_id,
                "end_day": period.end,
                "earliest": period.start - dt.timedelta(days=366),
                "owners": seen.owner_param,
                "team": str(seen.team_id) if seen.team_id and not seen.everything else None,
            },
        )
    ).all()
    out: list[TargetRow] = []
    for t in targets:
        after = period_end(t.period, t.period_start)
        if after <= period.start:
            continue  # the target's period ended before the report period
        if t.owner_id is None and t.team_id is None:
            continue
        amount, deals = (
            await session.execute(
                _ACTUAL,
                {
                    "tenant": tenant_id,
                    "lo": local_midnight(t.period_start, period.zone),
                    "hi": local_midnight(after, period.zone),
                    "owner": str(t.owner_id) if t.owner_id else None,
                    "team": str(t.team_id) if t.team_id else None,
                },
            )
        ).one()
        target_amount = int(t.amount_agorot or 0)
        target_count = int(t.deal_count or 0)
        out.append(
            TargetRow(
                target_id=str(t.target_id),
                owner_id=str(t.owner_id) if t.owner_id else "",
                team_id=str(t.team_id) if t.team_id else "",
                period=t.period,
                period_start=t.period_start.isoformat(),
                period_end=(after - dt.timedelta(days=1)).isoformat(),
                target_amount_agorot=target_amount,
                target_deal_count=target_count,
                actual_amount_agorot=int(amount),
                actual_deal_count=int(deals),
                amount_achieved_percent=percent(int(amount), target_amount),
                deal_count_achieved_percent=percent(int(deals), target_count),
            )
        )
    return out
