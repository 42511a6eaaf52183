"""R4 performance per rep, and the pipeline funnel.

Per rep (the owner), over the period's tenant-local days:
- leads handled: non-duplicate leads captured in the period that the rep owns;
- response time: ``first_response_at - captured_at`` (the first activity added to the lead
  after capture). Assignment is not a response: leads without an activity count as handled
  but not responded and stay out of the median and the average;
- calls (started in the period) and messages sent (outbound, sent in the period) of the
  parties the rep owns (``party_dim.owner_id``): calls carry a PBX extension, not a user;
- deals won / lost in the period by owner, the won amount, and the revenue (net of VAT:
  invoices and invoice-receipts minus credit notes issued in the period) of the rep's parties.

Funnel: the deals created in the period (optionally of one pipeline), their stage entries
(``deal_stage_fact``), ordered by stage probability then first entry; conversion to the next
stage = deals that entered the next stage / deals that entered this one; time in stage is the
average of the completed stays (``left_at`` set).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_reporting.reports.period import EVERYTHING, Period, Visibility, rate

_REPS = text(
    """
WITH leads AS (
    SELECT owner_id,
           count(*) AS handled,
           count(*) FILTER (WHERE first_response_at IS NOT NULL) AS responded,
           percentile_cont(0.5) WITHIN GROUP (
               ORDER BY extract(epoch FROM first_response_at - captured_at))
             FILTER (WHERE first_response_at IS NOT NULL) AS median_s,
           avg(extract(epoch FROM first_response_at - captured_at))
             FILTER (WHERE first_response_at IS NOT NULL) AS avg_s
    FROM lead_fact
    WHERE tenant_id = :tenant AND captured_at >= :lo AND captured_at < :hi
      AND owner_id IS NOT NULL AND NOT is_duplicate AND merged_into_lead_id IS NULL
    GROUP BY owner_id
),
calls AS (
    SELECT p.owner_id, count(*) AS calls, count(*) FILTER (WHERE c.answered) AS answered
    FROM call_fact c
    JOIN party_dim p ON p.tenant_id = c.tenant_id AND p.party_id = c.party_id
    WHERE c.tenant_id = :tenant AND c.started_at >= :lo AND c.started_at < :hi
      AND p.owner_id IS NOT NULL
    GROUP BY p.owner_id
),
messages AS (
    SELECT p.owner_id, count(*) AS sent
    FROM message_fact m
    JOIN party_dim p ON p.tenant_id = m.tenant_id AND p.party_id = m.party_id
    WHERE m.tenant_id = :tenant AND m.direction = 'out'
      AND m.sent_at >= :lo AND m.sent_at < :hi AND p.owner_id IS NOT NULL
    GROUP BY p.owner_id
),
deals AS (
    SELECT owner_id,
           count(*) FILTER (WHERE status = 'won' AND won_at >= :lo AND won_at < :hi) AS won,
           count(*) FILTER (WHERE status = 'lost' AND lost_at >= :lo AND lost_at < :hi) AS lost,
           COALESCE(sum(amount_agorot)
             FILTER (WHERE status = 'won' AND won_at >= :lo AND won_at < :hi), 0) AS won_amount
    FROM deal_fact
    WHERE tenant_id = :tenant AND owner_id IS NOT NULL
      AND ((won_at >= :lo AND won_at < :hi) OR (lost_at >= :lo AND lost_at < :hi))
    GROUP BY owner_id
),
revenue AS (
    SELECT p.owner_id,
           sum(CASE WHEN d.document_type = 'credit' THEN -abs(d.subtotal_agorot)
                    ELSE d.subtotal_agorot END) AS net
    FROM document_fact d
    JOIN party_dim p ON p.tenant_id = d.tenant_id AND p.party_id = d.party_id
    WHERE d.tenant_id = :tenant AND d.document_type IN ('invoice', 'invoice_receipt', 'credit')
      AND d.issue_date >= :start_day AND d.issue_date <= :end_day AND p.owner_id IS NOT NULL
    GROUP BY p.owner_id
),
reps AS (
    SELECT owner_id FROM leads UNION SELECT owner_id FROM calls
    UNION SELECT owner_id FROM messages UNION SELECT owner_id FROM deals
    UNION SELECT owner_id FROM revenue
)
SELECT r.owner_id,
       COALESCE(l.handled, 0) AS handled, COALESCE(l.responded, 0) AS responded,
       l.median_s, l.avg_s,
       COALESCE(c.calls, 0) AS calls, COALESCE(c.answered, 0) AS answered,
       COALESCE(m.sent, 0) AS sent,
       COALESCE(d.won, 0) AS won, COALESCE(d.lost, 0) AS lost,
       COALESCE(d.won_amount, 0) AS won_amount, COALESCE(rv.net, 0) AS revenue
FROM reps r
LEFT JOIN leads l USING (owner_id)
LEFT JOIN calls c USING (owner_id)
LEFT JOIN messages m USING (owner_id)
LEFT JOIN deals d USING (owner_id)
LEFT JOIN revenue rv USING (owner_id)
WHERE (CAST(:owners AS uuid[]) IS NULL OR r.owner_id = ANY(CAST(:owners AS uuid[])))
ORDER BY COALESCE(d.won_amount, 0) DESC, COALESCE(l.handled, 0) DESC, r.owner_id
"""
)

_FUNNEL = text(
    """
WITH cohort AS (
    SELECT deal_id, status, stage_id FROM deal_fact
    WHERE tenant_id = :tenant AND created_at >= :lo AND created_at < :hi
      AND (CAST(:pipeline AS uuid) IS NULL OR pipeline_id = CAST(:pipeline AS uuid))
      AND (CAST(:owners AS uuid[]) IS NULL OR owner_id = ANY(CAST(:owners AS uuid[])))
),
now_in AS (
    SELECT stage_id, count(*) AS n FROM cohort WHERE status = 'open' GROUP BY stage_id
)
SELECT s.to_stage_id AS stage_id,
       (array_agg(s.to_stage_name ORDER BY s.entered_at DESC)
         FILTER (WHERE s.to_stage_name IS NOT NULL))[1] AS stage_name,
       max(s.probability) AS probability,
       min(s.entered_at) AS first_entered,
       count(DISTINCT s.deal_id) AS entered,
       count(*) FILTER (WHERE s.left_at IS NOT NULL) AS completed,
       avg(extract(epoch FROM s.left_at - s.entered_at))
         FILTER (WHERE s.left_at IS NOT NULL) AS avg_s,
       COALESCE(max(n.n), 0) AS in_stage_now
FROM deal_stage_fact s
JOIN cohort c ON c.deal_id = s.deal_id
LEFT JOIN now_in n ON n.stage_id = s.to_stage_id
WHERE s.tenant_id = :tenant
GROUP BY s.to_stage_id
ORDER BY max(s.probability) NULLS FIRST, min(s.entered_at), s.to_stage_id
"""
)

_FUNNEL_TOTALS = text(
    """
SELECT count(*) AS created,
       count(*) FILTER (WHERE status = 'won') AS won,
       count(*) FILTER (WHERE status = 'lost') AS lost
FROM deal_fact
WHERE tenant_id = :tenant AND created_at >= :lo AND created_at < :hi
  AND (CAST(:pipeline AS uuid) IS NULL OR pipeline_id = CAST(:pipeline AS uuid))
  AND (CAST(:owners AS uuid[]) IS NULL OR owner_id = ANY(CAST(:owners AS uuid[])))
"""
)


def _seconds(value) -> float | None:
    return None if value is None else round(float(value), 1)


@dataclass(slots=True)
class RepPerformanceRow:
    owner_id: str
    leads_handled: int
    leads_responded: int
    median_response_seconds: float | None
    average_response_seconds: float | None
    calls: int
    answered_calls: int
    messages_sent: int
    deals_won: int
    deals_lost: int
    won_amount_agorot: int
    revenue_net_agorot: int
    win_rate: float | None


async def performance_report(
    session: AsyncSession, tenant_id: uuid.UUID, period: Period, seen: Visibility = EVERYTHING
) -> list[RepPerformanceRow]:
    result = await session.execute(
        _REPS,
        {
            "tenant": tenant_id,
            "lo": period.lo,
            "hi": period.hi,
            "start_day": period.start,
            "end_day": period.end,
            "owners": seen.owner_param,
        },
    )
    return [
        RepPerformanceRow(
            owner_id=str(r.owner_id),
            leads_handled=int(r.handled),
            leads_responded=int(r.responded),
            median_response_seconds=_seconds(r.median_s),
            average_response_seconds=_seconds(r.avg_s),
            calls=int(r.calls),
            answered_calls=int(r.answered),
            messages_sent=int(r.sent),
            deals_won=int(r.won),
            deals_lost=int(r.lost),
            won_amount_agorot=int(r.won_amount),
            revenue_net_agorot=int(r.revenue),
            win_rate=rate(int(r.won), int(r.won) + int(r.lost)),
        )
        for r in result
    ]


@dataclass(slots=True)
class FunnelStage:
    stage_id: str
    stage_name: str
    probability: int
    deals_entered: int
    deals_in_stage_now: int
    conversion_to_next: float | None
    average_seconds_in_stage: float | None
    completed_stays: int


@dataclass(slots=True)
class Funnel:
    deals_created: int
    deals_won: int
    deals_lost: int
    win_rate: float | None
    stages: list[FunnelStage] = field(default_factory=list)


async def funnel_report(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    period: Period,
    pipeline_id: uuid.UUID | None,
    seen: Visibility = EVERYTHING,
) -> Funnel:
    params = {
        "tenant": tenant_id,
        "lo": period.lo,
        "hi": period.hi,
        "pipeline": str(pipeline_id) if pipeline_id else None,
        "owners": seen.owner_param,
    }
    totals = (await session.execute(_FUNNEL_TOTALS, params)).one()
    rows = (await session.execute(_FUNNEL, params)).all()
    stages = [
        FunnelStage(
            stage_id=str(r.stage_id),
            stage_name=r.stage_name or "",
            probability=int(r.probability or 0),
            deals_entered=int(r.entered),
            deals_in_stage_now=int(r.in_stage_now),
            conversion_to_next=None,
            average_seconds_in_stage=_seconds(r.avg_s),
            completed_stays=int(r.completed),
        )
        for r in rows
    ]
    for here, nxt in itertools.pairwise(stages):
        here.conversion_to_next = rate(nxt.deals_entered, here.deals_entered)
    won, lost = int(totals.won), int(totals.lost)
    return Funnel(
        deals_created=int(totals.created),
        deals_won=won,
        deals_lost=lost,
        win_rate=rate(won, won + lost),
        stages=stages,
    )
