"""R5 finance joined with CRM: revenue, open balance and aging per customer, rep and source;
customers by purchase recency.

- In the period (issue dates / payment times in the tenant-local days): invoiced (tax
  invoices and invoice-receipts, with VAT), revenue net of VAT (those minus credit notes),
  credited, and collected (payments received plus invoice-receipts, which billing issues
  paid in full without a separate payment event).
- As of the end of the period, over all history: open balance = tax invoices - credit notes -
  payments received (invoice-receipts are settled at issue). Aging allocates credits and
  payments FIFO to the oldest invoices; what stays open is bucketed by days since the
  invoice's issue date (0-30, 31-60, 61-90, over 90). An overpaid customer has a negative
  balance and nothing in the buckets.
- Rep and source of a customer come from ``party_dim`` (owner, source of the lead).
- Recency: the last invoice (or invoice-receipt) date up to the period end and the days since,
  bucketed 0-30, 31-90, 91-180, 181-365, over 365; customers never invoiced are "never".
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from crm_reporting.reports.period import EVERYTHING, Period, Visibility

_PARTIES = text(
    """
WITH period_docs AS (
    SELECT party_id,
           COALESCE(sum(total_agorot)
             FILTER (WHERE document_type IN ('invoice', 'invoice_receipt')), 0) AS invoiced,
           COALESCE(sum(CASE WHEN document_type = 'credit' THEN -abs(subtotal_agorot)
                             ELSE subtotal_agorot END), 0) AS revenue_net,
           COALESCE(sum(abs(total_agorot)) FILTER (WHERE document_type = 'credit'), 0)
             AS credited,
           COALESCE(sum(total_agorot) FILTER (WHERE document_type = 'invoice_receipt'), 0)
             AS paid_on_issue
    FROM document_fact
    WHERE tenant_id = :tenant AND party_id IS NOT NULL
      AND document_type IN ('invoice', 'invoice_receipt', 'credit')
      AND issue_date >= :start_day AND issue_date <= :end_day
    GROUP BY party_id
),
period_pay AS (
    SELECT party_id, sum(amount_agorot) AS paid
    FROM payment_fact
    WHERE tenant_id = :tenant AND party_id IS NOT NULL AND status = 'received'
      AND occurred_at >= :lo AND occurred_at < :hi
    GROUP BY party_id
),
invoices AS (
    SELECT party_id, issue_date, total_agorot AS amount,
           sum(total_agorot) OVER (PARTITION BY party_id
                                   ORDER BY issue_date, number, document_id) AS running
    FROM document_fact
    WHERE tenant_id = :tenant AND party_id IS NOT NULL AND document_type = 'invoice'
      AND issue_date <= :end_day
),
settled AS (
    SELECT party_id, sum(amount) AS amount FROM (
        SELECT party_id, abs(total_agorot) AS amount FROM document_fact
        WHERE tenant_id = :tenant AND party_id IS NOT NULL AND document_type = 'credit'
          AND issue_date <= :end_day
        UNION ALL
        SELECT party_id, amount_agorot FROM payment_fact
        WHERE tenant_id = :tenant AND party_id IS NOT NULL AND status = 'received'
          AND occurred_at < :hi
    ) s GROUP BY party_id
),
open_items AS (
    SELECT i.party_id, :end_day - i.issue_date AS age,
           GREATEST(0, LEAST(i.amount, i.running - COALESCE(s.amount, 0))) AS open
    FROM invoices i LEFT JOIN settled s USING (party_id)
),
invoiced_total AS (
    SELECT party_id, sum(amount) AS amount FROM invoices GROUP BY party_id
),
aging AS (
    SELECT party_id,
           COALESCE(sum(open) FILTER (WHERE age <= 30), 0) AS a30,
           COALESCE(sum(open) FILTER (WHERE age BETWEEN 31 AND 60), 0) AS a60,
           COALESCE(sum(open) FILTER (WHERE age BETWEEN 61 AND 90), 0) AS a90,
           COALESCE(sum(open) FILTER (WHERE age > 90), 0) AS a90plus
    FROM open_items GROUP BY party_id
),
last_invoice AS (
    SELECT party_id, max(issue_date) AS last_date
    FROM document_fact
    WHERE tenant_id = :tenant AND party_id IS NOT NULL
      AND document_type IN ('invoice', 'invoice_receipt') AND issue_date <= :end_day
    GROUP BY party_id
),
parties AS (
    SELECT party_id FROM period_docs UNION SELECT party_id FROM period_pay
    UNION SELECT party_id FROM invoiced_total UNION SELECT party_id FROM last_invoice
    UNION SELECT party_id FROM party_dim WHERE tenant_id = :tenant AND is_customer
    UNION SELECT party_id FROM settled
)
SELECT p.party_id, pd.name, pd.owner_id, COALESCE(pd.source, '') AS source,
       COALESCE(d.invoiced, 0) AS invoiced, COALESCE(d.revenue_net, 0) AS revenue_net,
       COALESCE(d.credited, 0) AS credited,
       COALESCE(d.paid_on_issue, 0) + COALESCE(pp.paid, 0) AS collected,
       COALESCE(it.amount, 0) - COALESCE(s.amount, 0) AS balance,
       COALESCE(a.a30, 0) AS a30, COALESCE(a.a60, 0) AS a60, COALESCE(a.a90, 0) AS a90,
       COALESCE(a.a90plus, 0) AS a90plus,
       li.last_date
FROM parties p
LEFT JOIN party_dim pd ON pd.tenant_id = :tenant AND pd.party_id = p.party_id
LEFT JOIN period_docs d ON d.party_id = p.party_id
LEFT JOIN period_pay pp ON pp.party_id = p.party_id
LEFT JOIN invoiced_total it ON it.party_id = p.party_id
LEFT JOIN settled s ON s.party_id = p.party_id
LEFT JOIN aging a ON a.party_id = p.party_id
LEFT JOIN last_invoice li ON li.party_id = p.party_id
WHERE (CAST(:owners AS uuid[]) IS NULL OR pd.owner_id = ANY(CAST(:owners AS uuid[])))
ORDER BY p.party_id
"""
)

RECENCY_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-30", 30),
    ("31-90", 90),
    ("91-180", 180),
    ("181-365", 365),
    ("365+", None),
)
NEVER = "never"
DEFAULT_CUSTOMER_LIMIT = 200
MAX_CUSTOMER_LIMIT = 5000


def recency_bucket(days: int | None) -> str:
    if days is None:
        return NEVER
    for name, limit in RECENCY_BUCKETS:
        if limit is None or days <= limit:
            return name
    return RECENCY_BUCKETS[-1][0]


@dataclass(slots=True)
class FinanceRow:
    key: str
    name: str = ""
    invoiced_agorot: int = 0
    revenue_net_agorot: int = 0
    credited_agorot: int = 0
    collected_agorot: int = 0
    open_balance_agorot: int = 0
    aging: list[int] = field(default_factory=lambda: [0, 0, 0, 0])

    def add(self, other: FinanceRow) -> None:
        self.invoiced_agorot += other.invoiced_agorot
        self.revenue_net_agorot += other.revenue_net_agorot
        self.credited_agorot += other.credited_agorot
        self.collected_agorot += other.collected_agorot
        self.open_balance_agorot += other.open_balance_agorot
        self.aging = [a + b for a, b in zip(self.aging, other.aging, strict=True)]


@dataclass(slots=True)
class RecencyCustomer:
    party_id: str
    name: str
    last_invoice_date: str
    days_since: int | None
    bucket: str


@dataclass(slots=True)
class FinanceReport:
    customers: list[FinanceRow]
    reps: list[FinanceRow]
    sources: list[FinanceRow]
    total: FinanceRow
    recency: list[RecencyCustomer]
    recency_buckets: list[tuple[str, int]]
    customers_total: int


async def finance_report(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    period: Period,
    seen: Visibility = EVERYTHING,
    customer_limit: int = DEFAULT_CUSTOMER_LIMIT,
) -> FinanceReport:
    """A scoped caller sees the customers whose owner is in scope. The customer and recency
    lists stop after ``customer_limit`` rows (largest open balance / latest purchase first);
    every aggregate covers all customers."""
    result = await session.execute(
        _PARTIES,
        {
            "tenant": tenant_id,
            "lo": period.lo,
            "hi": period.hi,
            "start_day": period.start,
            "end_day": period.end,
            "owners": seen.owner_param,
        },
    )
    customers: list[FinanceRow] = []
    reps: dict[str, FinanceRow] = {}
    sources: dict[str, FinanceRow] = {}
    total = FinanceRow(key="")
    recency: list[RecencyCustomer] = []
    for r in result:
        row = FinanceRow(
            key=str(r.party_id),
            name=r.name or "",
            invoiced_agorot=int(r.invoiced),
            revenue_net_agorot=int(r.revenue_net),
            credited_agorot=int(r.credited),
            collected_agorot=int(r.collected),
            open_balance_agorot=int(r.balance),
            aging=[int(r.a30), int(r.a60), int(r.a90), int(r.a90plus)],
        )
        customers.append(row)
        owner = str(r.owner_id) if r.owner_id else ""
        reps.setdefault(owner, FinanceRow(key=owner)).add(row)
        sources.setdefault(r.source, FinanceRow(key=r.source, name=r.source)).add(row)
        total.add(row)
        last: dt.date | None = r.last_date
        days = (period.end - last).days if last else None
        recency.append(
            RecencyCustomer(
                party_id=str(r.party_id),
                name=r.name or "",
                last_invoice_date=last.isoformat() if last else "",
                days_since=days,
                bucket=recency_bucket(days),
            )
        )
    customers.sort(key=lambda x: (-x.open_balance_agorot, -x.revenue_net_agorot, x.key))
    recency.sort(key=lambda x: (x.days_since is None, x.days_since or 0, x.party_id))
    counts = {name: 0 for name, _ in RECENCY_BUCKETS} | {NEVER: 0}
    for c in recency:
        counts[c.bucket] += 1
    return FinanceReport(
        customers=customers[:customer_limit],
        reps=sorted(reps.values(), key=lambda x: (-x.revenue_net_agorot, x.key)),
        sources=sorted(sources.values(), key=lambda x: (-x.revenue_net_agorot, x.key)),
        total=total,
        recency=recency[:customer_limit],
        recency_buckets=list(counts.items()),
        customers_total=len(customers),
    )
