"""R2 marketing: per source and campaign, what the leads captured in the period brought.

Cohort view: the period selects leads by capture time (tenant-local days); what those leads
did later (qualified, converted, deals won, invoices, payments) counts whenever it happened,
so a campaign is credited with everything its leads produced. Revenue follows first touch: a
party's invoices and payments belong to the source/campaign of its earliest non-duplicate lead,
to this period's cohort only when that lead was captured in the period, and only from the day
the lead was captured on (what the party bought before it was a lead is not the campaign's).
Campaign costs are prorated by the days their period overlaps the report period.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_reporting.reports.period import EVERYTHING, Period, Visibility, rate

_SQL = text(
    """
WITH cohort AS (
    SELECT lead_id, party_id,
           COALESCE(source, '') AS source, COALESCE(campaign, '') AS campaign,
           qualified_at, converted_at,
           (is_duplicate OR merged_into_lead_id IS NOT NULL) AS dup,
           captured_at
    FROM lead_fact
    WHERE tenant_id = :tenant AND captured_at >= :lo AND captured_at < :hi
      AND (CAST(:owners AS uuid[]) IS NULL OR owner_id = ANY(CAST(:owners AS uuid[])))
),
lead_agg AS (
    SELECT source, campaign,
           count(*) FILTER (WHERE NOT dup) AS leads,
           count(*) FILTER (WHERE dup) AS duplicates,
           count(*) FILTER (WHERE NOT dup AND qualified_at IS NOT NULL) AS qualified,
           count(*) FILTER (WHERE NOT dup AND converted_at IS NOT NULL) AS converted
    FROM cohort GROUP BY source, campaign
),
won AS (
    SELECT c.source, c.campaign, count(*) AS won_deals,
           COALESCE(sum(d.amount_agorot), 0) AS won_value
    FROM cohort c
    JOIN deal_fact d ON d.tenant_id = :tenant AND d.lead_id = c.lead_id AND d.status = 'won'
    WHERE NOT c.dup
    GROUP BY c.source, c.campaign
),
first_touch AS (
    SELECT DISTINCT ON (l.party_id) l.party_id, l.captured_at,
           COALESCE(l.source, '') AS source, COALESCE(l.campaign, '') AS campaign
    FROM lead_fact l
    WHERE l.tenant_id = :tenant
      AND l.party_id IN (SELECT party_id FROM cohort WHERE NOT dup AND party_id IS NOT NULL)
      AND NOT l.is_duplicate AND l.merged_into_lead_id IS NULL
    ORDER BY l.party_id, l.captured_at, l.lead_id
),
parties AS (
    SELECT party_id, source, campaign, captured_at,
           CAST(captured_at AT TIME ZONE :tz AS date) AS captured_day
    FROM first_touch
    WHERE captured_at >= :lo AND captured_at < :hi
),
docs AS MATERIALIZED (
    -- the tenant's revenue documents from the period on (a cohort party's documents count from
    -- its capture day, which is in the period); materialized so parties join it by hash
    SELECT party_id, document_type, issue_date, total_agorot, subtotal_agorot
    FROM document_fact
    WHERE tenant_id = :tenant AND document_type IN ('invoice', 'invoice_receipt', 'credit')
      AND issue_date >= :start_day AND party_id IS NOT NULL
),
pays AS MATERIALIZED (
    SELECT party_id, amount_agorot, occurred_at
    FROM payment_fact
    WHERE tenant_id = :tenant AND status = 'received' AND occurred_at >= :lo
      AND party_id IS NOT NULL
),
invoiced AS (
    SELECT p.source, p.campaign,
           sum(CASE WHEN d.document_type = 'credit' THEN -abs(d.total_agorot)
                    ELSE d.total_agorot END) AS gross,
           sum(CASE WHEN d.document_type = 'credit' THEN -abs(d.subtotal_agorot)
                    ELSE d.subtotal_agorot END) AS net,
           sum(d.total_agorot) FILTER (WHERE d.document_type = 'invoice_receipt') AS paid_on_issue
    FROM parties p
    JOIN docs d ON d.party_id = p.party_id AND d.issue_date >= p.captured_day
    GROUP BY p.source, p.campaign
),
collected AS (
    SELECT p.source, p.campaign, sum(pay.amount_agorot) AS amount
    FROM parties p
    JOIN pays pay ON pay.party_id = p.party_id AND pay.occurred_at >= p.captured_at
    GROUP BY p.source, p.campaign
),
cost AS (
    SELECT lower(btrim(source)) AS source, btrim(campaign) AS campaign,
           sum(round(cost_agorot::numeric
                     * ((LEAST(period_end, :end_day) - GREATEST(period_start, :start_day)) + 1)
                     / ((period_end - period_start) + 1))) AS amount
    FROM campaign_cost
    WHERE tenant_id = :tenant AND period_start <= :end_day AND period_end >= :start_day
      AND CAST(:owners AS uuid[]) IS NULL
    GROUP BY 1, 2
),
keys AS (
    SELECT source, campaign FROM lead_agg UNION SELECT source, campaign FROM cost
)
SELECT k.source, k.campaign,
       COALESCE(la.leads, 0) AS leads, COALESCE(la.duplicates, 0) AS duplicates,
       COALESCE(la.qualified, 0) AS qualified, COALESCE(la.converted, 0) AS converted,
       COALESCE(w.won_deals, 0) AS won_deals, COALESCE(w.won_value, 0) AS won_value,
       COALESCE(i.gross, 0) AS gross, COALESCE(i.net, 0) AS net,
       COALESCE(i.paid_on_issue, 0) + COALESCE(col.amount, 0) AS collected,
       co.amount AS cost
FROM keys k
LEFT JOIN lead_agg la USING (source, campaign)
LEFT JOIN won w USING (source, campaign)
LEFT JOIN invoiced i USING (source, campaign)
LEFT JOIN collected col USING (source, campaign)
LEFT JOIN cost co USING (source, campaign)
ORDER BY COALESCE(la.leads, 0) DESC, k.source, k.campaign
"""
)


@dataclass(slots=True)
class MarketingRow:
    source: str
    campaign: str
    leads: int = 0
    duplicates: int = 0
    qualified: int = 0
    converted: int = 0
    won_deals: int = 0
    won_value_agorot: int = 0
    invoiced_agorot: int = 0
    invoiced_net_agorot: int = 0
    collected_agorot: int = 0
    qualified_rate: float | None = None
    converted_rate: float | None = None
    won_rate: float | None = None
    cost_agorot: int | None = None
    cost_per_lead_agorot: int | None = None
    roi: float | None = None

    def finish(
        self, costed_net: int | None = None, costed_leads: int | None = None
    ) -> MarketingRow:
        """Rates, cost per lead and ROI from the counts. The total row passes the revenue
        and leads of the rows that have a cost: cost per lead and ROI measure those only."""
        self.qualified_rate = rate(self.qualified, self.leads)
        self.converted_rate = rate(self.converted, self.leads)
        self.won_rate = rate(self.won_deals, self.leads)
        if self.cost_agorot is not None:
            leads = self.leads if costed_leads is None else costed_leads
            if leads:
                self.cost_per_lead_agorot = round(self.cost_agorot / leads)
            net = self.invoiced_net_agorot if costed_net is None else costed_net
            if self.cost_agorot:
                self.roi = round((net - self.cost_agorot) / self.cost_agorot, 4)
        return self


@dataclass(slots=True)
class MarketingReport:
    period: Period
    rows: list[MarketingRow]
    total: MarketingRow


async def marketing_report(
    session: AsyncSession, tenant_id: uuid.UUID, period: Period, seen: Visibility = EVERYTHING
) -> MarketingReport:
    """A caller who sees only some owners' records gets their leads and no costs (costs are
    the tenant's, not a rep's: ROI of a part of a campaign against all of its cost would lie)."""
    result = await session.execute(
        _SQL,
        {
            "tenant": tenant_id,
            "lo": period.lo,
            "hi": period.hi,
            "start_day": period.start,
            "end_day": period.end,
            "tz": period.time_zone,
            "owners": seen.owner_param,
        },
    )
    rows: list[MarketingRow] = []
    for r in result.mappings():
        rows.append(
            MarketingRow(
                source=r["source"],
                campaign=r["campaign"],
                leads=int(r["leads"]),
                duplicates=int(r["duplicates"]),
                qualified=int(r["qualified"]),
                converted=int(r["converted"]),
                won_deals=int(r["won_deals"]),
                won_value_agorot=int(r["won_value"]),
                invoiced_agorot=int(r["gross"]),
                invoiced_net_agorot=int(r["net"]),
                collected_agorot=int(r["collected"]),
                cost_agorot=None if r["cost"] is None else int(r["cost"]),
            ).finish()
        )
    total = MarketingRow(source="", campaign="")
    costed_net = costed_leads = 0
    for row in rows:
        for name in (
            "leads",
            "duplicates",
            "qualified",
            "converted",
            "won_deals",
            "won_value_agorot",
            "invoiced_agorot",
            "invoiced_net_agorot",
            "collected_agorot",
        ):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        if row.cost_agorot is not None:
            total.cost_agorot = (total.cost_agorot or 0) + row.cost_agorot
            costed_net += row.invoiced_net_agorot
            costed_leads += row.leads
    total.finish(costed_net=costed_net, costed_leads=costed_leads)
    return MarketingReport(period, rows, total)
