"""R2-R6 canned reports over gRPC on a real PostgreSQL.

One tenant's fact rows are written out below with every figure the reports must give worked
out by hand beside them (time zone edges in Asia/Jerusalem: Israel moves to summer time on
27 March 2026, so 23:30 on 31 March is 20:30 UTC and 00:30 on 1 April is 21:30 UTC). A second
tenant is fed through the real event handlers, with late and repeated events.
"""

from __future__ import annotations

import datetime as dt
import uuid

import grpc
import pytest
from sqlalchemy import insert

from crm.events.billing.v1 import billing_events_pb2 as bill
from crm.events.leads.v1 import deal_events_pb2 as deal_ev
from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm.reporting.v1 import reports_service_pb2 as pb
from crm.reporting.v1 import reports_service_pb2_grpc as pb_grpc
from crm_common.db import unit_of_work
from crm_common.grpc.errors import from_rpc_error
from crm_common.plumbing import tenant_directory_table
from crm_common.protoutil import timestamp
from crm_devstack.testing import serve_in_process
from crm_reporting.api.servicer import SERVICE_NAMES, register
from crm_reporting.facts.models import (
    CallFact,
    CampaignCost,
    DealFact,
    DealStageFact,
    DocumentFact,
    LeadFact,
    MessageFact,
    PartyDim,
    PaymentFact,
    TargetFact,
    TaskFact,
)
from crm_reporting.settings import ReportingSettings

from .conftest import event

UTC = dt.UTC


def u(h: int, d: int, m: int = 3, mi: int = 0, y: int = 2026) -> dt.datetime:
    """A UTC instant: day d of month m at h:mi."""
    return dt.datetime(y, m, d, h, mi, tzinfo=UTC)


def day(d: int, m: int = 3, y: int = 2026) -> dt.date:
    return dt.date(y, m, d)


def new_ids(*names: str) -> dict[str, uuid.UUID]:
    return {n: uuid.uuid4() for n in names}


@pytest.fixture(scope="module")
async def reports(db):
    async with serve_in_process(
        ReportingSettings, register, SERVICE_NAMES, url=db.url, sessionmaker=db.sessionmaker
    ) as srv:
        yield pb_grpc.ReportsServiceStub(srv.channel)


def md(tenant: uuid.UUID) -> tuple[tuple[str, str], ...]:
    return (("x-tenant-id", str(tenant)), ("x-user-id", str(uuid.uuid4())))


async def call(stub, rpc: str, tenant: uuid.UUID, **kw):
    request = getattr(pb, f"{rpc}Request")(**kw)
    return await getattr(stub, rpc)(request, metadata=md(tenant), timeout=10)


async def refused(stub, rpc: str, tenant: uuid.UUID, **kw) -> tuple[grpc.StatusCode, dict]:
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await call(stub, rpc, tenant, **kw)
    err = from_rpc_error(exc.value)
    return err.code, {v.field: v.description for v in err.violations}


# --------------------------------------------------------------------------- the data set

K = new_ids(
    *["A", "B", "C", "X", "Y", "PL1", "PL2", "S1", "S2", "S3"],
    *[f"L{i}" for i in range(1, 9)],
    *[f"P{i}" for i in range(1, 10)],
    *[f"D{i}" for i in range(1, 8)],
    *["TG1", "TG2", "TG3", "TG4"],
    *[f"K{i}" for i in range(1, 8)],
)


def lead(n, party, source, campaign, captured, owner=None, team=None, **kw) -> dict:
    return dict(
        lead_id=K[n], party_id=K[party], source=source, campaign=campaign, captured_at=captured,
        owner_id=K[owner] if owner else None, team_id=K[team] if team else None, **kw,
    )  # fmt: skip


LEADS = [
    # facebook/חורף: L1, L2 in March (L2 at 23:30 on 31 March); L3 at 00:30 on 1 April
    # (April); L4 a duplicate.
    lead("L1", "P1", "facebook", "חורף", u(10, 10), "A", "X", first_response_at=u(10, 10, mi=10),
         qualified_at=u(12, 10), converted_at=u(12, 11), deal_id=K["D1"]),
    lead("L2", "P2", "facebook", "חורף", u(20, 31, mi=30), "A", "X",
         first_response_at=u(21, 31, mi=0), qualified_at=u(21, 31, mi=5)),
    lead("L3", "P3", "facebook", "חורף", u(21, 31, mi=30), "A", "X"),
    lead("L4", "P1", "facebook", "חורף", u(9, 11), "A", "X", is_duplicate=True),
    # google, no campaign: L5 at 23:30 on 28 Feb (February), L6 at 00:30 on 1 March (March).
    lead("L5", "P5", "google", None, u(21, 28, m=2, mi=30)),
    lead("L6", "P6", "google", None, u(22, 28, m=2, mi=30), "B", "Y", converted_at=u(9, 13),
         deal_id=K["D2"]),
    lead("L7", "P7", "google", None, u(8, 15), "B", "Y", first_response_at=u(8, 15, mi=5),
         qualified_at=u(9, 15), converted_at=u(10, 16), deal_id=K["D3"]),
    lead("L8", "P8", "facebook", "קיץ", u(8, 5), "A", None, first_response_at=u(8, 5, mi=1)),
]  # fmt: skip


def party(p, owner, source, name, customer=False) -> dict:
    return dict(party_id=K[p], owner_id=K[owner] if owner else None, source=source, name=name,
                is_customer=customer)  # fmt: skip


PARTIES = [
    party("P1", "A", "facebook", "דנה כהן", True),
    party("P2", "A", "facebook", "יוסי לוי"),
    party("P3", "A", "facebook", "רונית"),
    party("P5", None, "google", "משה", True),
    party("P6", "B", "google", "אבי", True),
    party("P7", "B", "google", "שרה", True),
    party("P8", "A", "facebook", "נועה"),
    party("P9", None, None, "לקוח חדש", True),
]


def deal(d, owner, status, created, lead=None, amount=None, won=None, lost=None, stage=None,
         pipeline="PL1") -> dict:  # fmt: skip
    return dict(
        deal_id=K[d], owner_id=K[owner], status=status, created_at=created,
        lead_id=K[lead] if lead else None, amount_agorot=amount, won_at=won, lost_at=lost,
        stage_id=K[stage] if stage else None, pipeline_id=K[pipeline],
    )  # fmt: skip


DEALS = [
    deal("D1", "A", "won", u(0, 12), "L1", 100_000, won=u(10, 20), stage="S3"),
    deal("D2", "B", "lost", u(0, 13), "L6", 30_000, lost=u(10, 25), stage="S2"),
    deal("D3", "B", "won", u(0, 20), "L7", 50_000, won=u(10, 2, m=4), stage="S3"),
    # won at 00:30 on 1 April local: April, not March
    deal("D4", "A", "won", u(0, 22), "L2", 70_000, won=u(21, 31, mi=30), stage="S1"),
    # won at 23:30 on 28 Feb local: February (Q1); no lead: team by A's last lead (X)
    deal("D5", "A", "won", u(0, 1, m=2), None, 5_000, won=u(21, 28, m=2, mi=30), stage="S1"),
    deal("D6", "A", "lost", u(0, 14), None, 9_000, lost=u(10, 15), stage="S1"),
    deal("D7", "B", "open", u(0, 28), None, 1_000, stage="S2", pipeline="PL2"),
]


def stage(d, s, entered, left=None, name=None, prob=None) -> dict:
    return dict(deal_id=K[d], to_stage_id=K[s], entered_at=entered, left_at=left,
                to_stage_name=name, probability=prob)  # fmt: skip


OFFER, NEGOTIATION = "הצעת מחיר", "משא ומתן"
STAGES = [
    stage("D1", "S1", u(0, 12), u(0, 13)),  # 86 400 s
    stage("D1", "S2", u(0, 13), u(0, 15), OFFER, 50),  # 172 800 s
    stage("D1", "S3", u(0, 15), None, NEGOTIATION, 80),
    stage("D2", "S1", u(0, 13), u(0, 14)),  # 86 400 s
    stage("D2", "S2", u(0, 14), None, OFFER, 50),
    stage("D6", "S1", u(0, 14), None),
    stage("D3", "S1", u(0, 20), u(12, 20)),  # 43 200 s
    stage("D3", "S2", u(12, 20), u(12, 21), OFFER, 50),  # 86 400 s
    stage("D3", "S3", u(12, 21), None, NEGOTIATION, 80),
    stage("D4", "S1", u(0, 22), None),
    stage("D7", "S1", u(0, 28), u(0, 29)),  # 86 400 s
    stage("D7", "S2", u(0, 29), None, OFFER, 50),
    stage("D5", "S1", u(0, 1, m=2), None),  # created in February: not in March's funnel
]


def target(t, period, start, amount, count, owner=None, team=None) -> dict:
    return dict(target_id=K[t], period=period, period_start=start, amount_agorot=amount,
                deal_count=count, owner_id=K[owner] if owner else None,
                team_id=K[team] if team else None, set_at=u(0, 1, m=1))  # fmt: skip


TARGETS = [
    target("TG1", "month", day(1), 200_000, 2, owner="A"),
    target("TG2", "quarter", day(1, 1), 1_000_000, 0, team="X"),
    target("TG3", "month", day(1, 4), 50_000, 1, owner="B"),
    target("TG4", "month", day(1, 2), 50_000, 1, owner="B"),
]


def doc(kind, p, issued: dt.date, subtotal, vat) -> dict:
    return dict(document_id=uuid.uuid4(), document_type=kind, party_id=K[p], issue_date=issued,
                subtotal_agorot=subtotal, vat_agorot=vat, total_agorot=subtotal + vat,
                number=1)  # fmt: skip


DOCUMENTS = [
    doc("invoice", "P1", day(10, 1), 50_000, 9_000),  # 59 000, before L1: not facebook's
    doc("invoice", "P1", day(15, 2), 20_000, 3_600),  # 23 600, before L1
    doc("invoice", "P1", day(21), 100_000, 18_000),  # 118 000
    doc("credit", "P1", day(28), 10_000, 1_800),  # 11 800
    doc("quote", "P1", day(5), 900_000, 0),  # quotes are not revenue
    doc("invoice_receipt", "P2", day(5, 4), 20_000, 3_600),  # 23 600, after March
    doc("invoice", "P3", day(3, 4), 25_424, 4_576),  # 30 000, April lead
    doc("invoice", "P5", day(15, 12, 2025), 10_000, 1_800),  # 11 800, 106 days before 31 Mar
    doc("invoice", "P6", day(26), 40_000, 7_200),  # 47 200
    doc("invoice_receipt", "P7", day(16), 5_000, 900),  # 5 900, paid on issue
]


def payment(p, amount, at, status="received") -> dict:
    return dict(payment_id=uuid.uuid4(), party_id=K[p], amount_agorot=amount, occurred_at=at,
                status=status, method="credit_card")  # fmt: skip


PAYMENTS = [
    payment("P1", 30_000, u(10, 25)),
    payment("P1", 20_000, u(10, 26), "failed"),
    payment("P5", 11_800, u(21, 31, mi=30)),  # 00:30 on 1 April local: after March
    payment("P6", 47_200, u(10, 27), "failed"),
]

CALLS = [
    dict(call_id=uuid.uuid4(), party_id=K["P1"], started_at=u(9, 10), answered=True),
    dict(call_id=uuid.uuid4(), party_id=K["P2"], started_at=u(20, 31, mi=45), answered=False),
    dict(call_id=uuid.uuid4(), party_id=K["P3"], started_at=u(21, 31, mi=45), answered=True),
]
MESSAGES = [
    dict(message_id=uuid.uuid4(), party_id=K["P1"], direction="out", sent_at=u(9, 11)),
    dict(message_id=uuid.uuid4(), party_id=K["P1"], direction="in", sent_at=u(9, 11, mi=5)),
    dict(message_id=uuid.uuid4(), party_id=K["P6"], direction="out", sent_at=u(9, 12)),
    dict(message_id=uuid.uuid4(), party_id=K["P2"], direction="out", queued_at=u(9, 12)),
]
NOW = u(12, 10, m=4)


def task(k, type_, assignee, created, due=None, completed=None, met=None, breached=None):
    return dict(task_id=K[k], task_type_key=type_, assignee_user_id=K[assignee],
                created_at=created, due_at=due, completed_at=completed, sla_met=met,
                sla_breached_at=breached)  # fmt: skip


CALL_BACK, FOLLOW_UP = "call_back", "quote_followup"
TASKS = [
    task("K1", CALL_BACK, "A", u(8, 2), due=u(8, 5), completed=u(8, 4), met=True),
    task("K2", CALL_BACK, "A", u(20, 31, mi=30), due=u(8, 1, m=4), breached=u(8, 2, m=4)),
    task("K3", CALL_BACK, "A", u(21, 31, mi=30), due=u(8, 2, m=4)),  # April
    task("K4", FOLLOW_UP, "B", u(8, 10), due=u(8, 20, m=4)),
    task("K5", FOLLOW_UP, "B", u(8, 11), due=u(8, 15), completed=u(8, 20), met=False,
         breached=u(8, 16)),
    # completed and breached after NOW: as of NOW still open, overdue, not yet breached
    task("K6", CALL_BACK, "C", u(8, 12), due=u(8, 13), completed=u(8, 12, m=4), met=False,
         breached=u(8, 15, m=4)),
    task("K7", FOLLOW_UP, "C", u(8, 13)),
]  # fmt: skip

COSTS = [
    # 300 000 over 16 Mar - 14 Apr (30 days): March has 16 of them -> 160 000
    dict(source="facebook", campaign="חורף", period_start=day(16), period_end=day(14, 4),
         cost_agorot=300_000),
    dict(source="facebook", campaign="חורף", period_start=day(1), period_end=day(10),
         cost_agorot=20_000),
    dict(source="facebook", campaign="חורף", period_start=day(1, 2), period_end=day(28, 2),
         cost_agorot=99_999),  # February only
    dict(source="tiktok", campaign="spring", period_start=day(1), period_end=day(31),
         cost_agorot=62_000),
]  # fmt: skip


@pytest.fixture(scope="module")
async def tenant(db) -> uuid.UUID:
    tenant_id = uuid.uuid4()
    async with unit_of_work(db.sessionmaker, tenant_id=tenant_id) as s:
        for model, rows in (
            (LeadFact, LEADS),
            (PartyDim, PARTIES),
            (DealFact, DEALS),
            (DealStageFact, STAGES),
            (TargetFact, TARGETS),
            (DocumentFact, DOCUMENTS),
            (PaymentFact, PAYMENTS),
            (CallFact, CALLS),
            (MessageFact, MESSAGES),
            (TaskFact, TASKS),
        ):
            await s.execute(insert(model), [{"tenant_id": tenant_id, **r} for r in rows])
        await s.execute(
            insert(CampaignCost),
            [{"tenant_id": tenant_id, "cost_id": uuid.uuid4(), **c} for c in COSTS],
        )
    return tenant_id


MARCH = {"from_date": "2026-03-01", "to_date": "2026-03-31"}


def optional(msg, name: str):
    return getattr(msg, name) if msg.HasField(name) else None


# --------------------------------------------------------------------------- R2


async def test_r2_marketing_report_per_source_and_campaign_figures(reports, tenant):
    resp = await call(reports, "GetMarketingReport", tenant, **MARCH)
    assert (resp.period.from_date, resp.period.to_date) == ("2026-03-01", "2026-03-31")
    assert resp.period.time_zone == "Asia/Jerusalem"
    rows = [
        (
            r.source, r.campaign, r.leads, r.duplicates, r.qualified, r.converted, r.won_deals,
            r.won_value_agorot, r.invoiced_agorot, r.invoiced_net_agorot, r.collected_agorot,
            optional(r, "qualified_rate"), optional(r, "converted_rate"), optional(r, "won_rate"),
            optional(r, "cost_agorot"), optional(r, "cost_per_lead_agorot"), optional(r, "roi"),
        )
        for r in resp.rows
    ]  # fmt: skip
    assert rows == [
        # L1 + L2 (23:30 on 31 Mar), L4 duplicate; won D1 100 000 and D4 70 000 (in April:
        # the cohort counts what its leads did later). P1 from 10 Mar: invoice
        # 118 000 (net 100 000) - credit 11 800 (10 000); P2: invoice-receipt 23 600 (20 000).
        # Collected: P1 30 000 + P2's invoice-receipt 23 600. Cost 160 000 + 20 000.
        # CPL 180 000 / 2; ROI (110 000 - 180 000) / 180 000.
        ("facebook", "חורף", 2, 1, 2, 1, 2, 170_000, 129_800, 110_000, 53_600,
         1.0, 0.5, 1.0, 180_000, 90_000, -0.3889),
        # L6 (00:30 on 1 Mar) + L7; L5 (23:30 on 28 Feb) is February. D3 won 50 000.
        # P6 invoice 47 200 (40 000), P7 invoice-receipt 5 900 (5 000), paid on issue.
        ("google", "", 2, 0, 1, 2, 1, 50_000, 53_100, 45_000, 5_900,
         0.5, 1.0, 0.5, None, None, None),
        ("facebook", "קיץ", 1, 0, 0, 0, 0, 0, 0, 0, 0, 0.0, 0.0, 0.0, None, None, None),
        # cost entered, no leads: no rates, no cost per lead; ROI -100%.
        ("tiktok", "spring", 0, 0, 0, 0, 0, 0, 0, 0, 0, None, None, None, 62_000, None, -1.0),
    ]  # fmt: skip
    t = resp.total
    assert (t.leads, t.duplicates, t.qualified, t.converted, t.won_deals) == (5, 1, 3, 3, 3)
    assert (t.won_value_agorot, t.invoiced_agorot, t.invoiced_net_agorot) == (
        220_000,
        182_900,
        155_000,
    )
    assert t.collected_agorot == 59_500
    assert (t.qualified_rate, t.converted_rate, t.won_rate) == (0.6, 0.6, 0.6)
    # cost and ROI over the rows with a cost only: 242 000 for 2 leads and 110 000 net.
    assert (t.cost_agorot, t.cost_per_lead_agorot, t.roi) == (242_000, 121_000, -0.5455)


async def test_r2_marketing_period_edges_in_the_tenant_time_zone(reports, tenant):
    """1 April alone holds L3 (00:30 local); 28 Feb alone holds L5 (23:30 local)."""
    april_first = await call(
        reports, "GetMarketingReport", tenant, from_date="2026-04-01", to_date="2026-04-01"
    )
    leads = {(r.source, r.campaign): r.leads for r in april_first.rows}
    assert leads == {("facebook", "חורף"): 1}  # tiktok's cost ended on 31 March
    # the 30-day facebook cost of 300 000 has 1 day in this period: 10 000
    assert [optional(r, "cost_agorot") for r in april_first.rows] == [10_000]
    feb_28 = await call(
        reports, "GetMarketingReport", tenant, from_date="2026-02-28", to_date="2026-02-28"
    )
    assert [(r.source, r.leads) for r in feb_28.rows if r.leads] == [("google", 1)]


async def test_r2_tenant_time_zone_comes_from_the_tenant_directory(reports, db):
    """A tenant on UTC: 21:30 UTC on 31 March is still March, 22:30 on 28 Feb is February."""
    tenant_id = uuid.uuid4()
    async with unit_of_work(db.sessionmaker, tenant_id=tenant_id) as s:
        await s.execute(
            insert(tenant_directory_table).values(
                tenant_id=tenant_id, name="UTC Ltd", time_zone="UTC", created_at=u(0, 1, m=1)
            )
        )
        await s.execute(
            insert(LeadFact),
            [
                {"tenant_id": tenant_id, "lead_id": uuid.uuid4(), "source": "web",
                 "captured_at": at}
                for at in (u(21, 31, mi=30), u(22, 28, m=2, mi=30))
            ],
        )  # fmt: skip
    resp = await call(reports, "GetMarketingReport", tenant_id, **MARCH)
    assert resp.period.time_zone == "UTC"
    assert [(r.source, r.leads) for r in resp.rows] == [("web", 1)]


async def test_r2_invalid_period_is_refused_with_field_violations(reports, tenant):
    code, fields = await refused(reports, "GetMarketingReport", tenant, from_date="2026-3-1")
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert set(fields) == {"from_date", "to_date"}
    assert "YYYY-MM-DD" in fields["from_date"]
    code, fields = await refused(
        reports, "GetMarketingReport", tenant, from_date="2026-03-31", to_date="2026-03-01"
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert set(fields) == {"to_date"}
    code, fields = await refused(
        reports, "GetTasksReport", tenant, from_date="2020-01-01", to_date="2026-03-01"
    )
    assert set(fields) == {"to_date"} and "longer" in fields["to_date"]


async def test_r2_campaign_costs_create_list_delete_and_validation(reports):
    tenant_id = uuid.uuid4()
    created = (
        await call(
            reports,
            "CreateCampaignCost",
            tenant_id,
            source=" Facebook ",
            campaign=" אביב ",
            period_start="2026-03-01",
            period_end="2026-03-31",
            cost_agorot=31_000,
            note="קמפיין אביב",
        )
    ).cost
    assert (created.source, created.campaign, created.cost_agorot) == ("facebook", "אביב", 31_000)
    assert (created.period_start, created.period_end) == ("2026-03-01", "2026-03-31")
    listed = await call(reports, "ListCampaignCosts", tenant_id)
    assert [c.cost_id for c in listed.costs] == [created.cost_id]
    # the marketing report uses it: 10 of 31 days -> 10 000
    resp = await call(
        reports, "GetMarketingReport", tenant_id, from_date="2026-03-01", to_date="2026-03-10"
    )
    assert [(r.source, r.campaign, r.cost_agorot) for r in resp.rows] == [
        ("facebook", "אביב", 10_000)
    ]
    # another tenant neither sees nor deletes it
    other = uuid.uuid4()
    assert (await call(reports, "ListCampaignCosts", other)).costs == []
    code, _ = await refused(reports, "DeleteCampaignCost", other, cost_id=created.cost_id)
    assert code == grpc.StatusCode.NOT_FOUND
    code, fields = await refused(
        reports,
        "CreateCampaignCost",
        tenant_id,
        source=" ",
        period_start="2026-03-31",
        period_end="2026-03-01",
        cost_agorot=-1,
        note="ok",
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT
    assert set(fields) == {"source", "period_end", "cost_agorot"}
    # A NUL in the note is refused naming it (at the gRPC edge, before the use case).
    code, fields = await refused(
        reports,
        "CreateCampaignCost",
        tenant_id,
        source="facebook",
        period_start="2026-03-01",
        period_end="2026-03-31",
        cost_agorot=100,
        note="a\x00b",
    )
    assert code == grpc.StatusCode.INVALID_ARGUMENT and set(fields) == {"note"}
    assert len((await call(reports, "ListCampaignCosts", tenant_id)).costs) == 1
    await call(reports, "DeleteCampaignCost", tenant_id, cost_id=created.cost_id)
    assert (await call(reports, "ListCampaignCosts", tenant_id)).costs == []
    code, _ = await refused(reports, "DeleteCampaignCost", tenant_id, cost_id=created.cost_id)
    assert code == grpc.StatusCode.NOT_FOUND
    code, fields = await refused(reports, "DeleteCampaignCost", tenant_id, cost_id="nope")
    assert code == grpc.StatusCode.INVALID_ARGUMENT and set(fields) == {"cost_id"}


# --------------------------------------------------------------------------- R3


async def test_r3_targets_vs_actual_per_rep_and_team(reports, tenant):
    resp = await call(reports, "GetTargetsReport", tenant, **MARCH)
    rows = [
        (
            r.target_id, r.owner_id, r.team_id, r.period, r.period_start, r.period_end,
            r.target_amount_agorot, r.target_deal_count, r.actual_amount_agorot,
            r.actual_deal_count, optional(r, "amount_achieved_percent"),
            optional(r, "deal_count_achieved_percent"),
        )
        for r in resp.targets
    ]  # fmt: skip
    assert rows == [
        # team X, Q1: D1 (lead L1, team X) 100 000 + D5 (no lead, A's last team X; won 23:30
        # on 28 Feb) 5 000; D4 won 00:30 on 1 April is Q2.
        (str(K["TG2"]), "", str(K["X"]), "quarter", "2026-01-01", "2026-03-31",
         1_000_000, 0, 105_000, 2, 10.5, None),
        # A, March: D1 only (D4 is April, D5 February)
        (str(K["TG1"]), str(K["A"]), "", "month", "2026-03-01", "2026-03-31",
         200_000, 2, 100_000, 1, 50.0, 50.0),
    ]  # fmt: skip
    april = await call(
        reports, "GetTargetsReport", tenant, from_date="2026-04-01", to_date="2026-04-30"
    )
    # B's April target: D3 won on 2 April, 50 000 of 50 000
    assert [
        (r.target_id, r.actual_amount_agorot, r.amount_achieved_percent) for r in april.targets
    ] == [(str(K["TG3"]), 50_000, 100.0)]


# --------------------------------------------------------------------------- R4


async def test_r4_rep_performance(reports, tenant):
    resp = await call(reports, "GetPerformanceReport", tenant, **MARCH)
    rows = [
        (
            r.owner_id, r.leads_handled, r.leads_responded, optional(r, "median_response_seconds"),
            optional(r, "average_response_seconds"), r.calls, r.answered_calls, r.messages_sent,
            r.deals_won, r.deals_lost, r.won_amount_agorot, r.revenue_net_agorot,
            optional(r, "win_rate"),
        )
        for r in resp.reps
    ]  # fmt: skip
    assert rows == [
        # A: L8 60 s, L1 600 s, L2 1 800 s (L3 is April, L4 a duplicate): median 600, mean 820.
        # Calls: P1 answered, P2 at 23:45 on 31 Mar not (P3's is April). One message out.
        # D1 won 100 000, D6 lost. Revenue: P1 invoice 100 000 - credit 10 000.
        (str(K["A"]), 3, 3, 600.0, 820.0, 2, 1, 1, 1, 1, 100_000, 90_000, 0.5),
        # B: L6 (no response yet) and L7 300 s. D2 lost; D3 won in April. P6 40 000 + P7 5 000.
        (str(K["B"]), 2, 1, 300.0, 300.0, 0, 0, 1, 0, 1, 0, 45_000, 0.0),
    ]  # fmt: skip


async def test_r4_funnel_by_stage(reports, tenant):
    resp = await call(reports, "GetFunnelReport", tenant, **MARCH)
    # created in March: D1, D2, D3, D4, D6, D7 (D5 in February); won D1, D3, D4; lost D2, D6
    assert (resp.deals_created, resp.deals_won, resp.deals_lost, resp.win_rate) == (6, 3, 2, 0.6)
    stages = [
        (
            s.stage_id, s.stage_name, s.probability, s.deals_entered, s.deals_in_stage_now,
            optional(s, "conversion_to_next"), optional(s, "average_seconds_in_stage"),
            s.completed_stays,
        )
        for s in resp.stages
    ]  # fmt: skip
    assert stages == [
        # every deal starts in S1; stays of D1, D2, D7 (1 day) and D3 (12 h): 302 400 / 4
        (str(K["S1"]), "", 0, 6, 0, round(4 / 6, 4), 75_600.0, 4),
        # D1 (2 days) and D3 (1 day) left it; D7 is there now
        (str(K["S2"]), OFFER, 50, 4, 1, 0.5, 129_600.0, 2),
        (str(K["S3"]), NEGOTIATION, 80, 2, 0, None, None, 0),
    ]  # fmt: skip
    one = await call(reports, "GetFunnelReport", tenant, pipeline_id=str(K["PL1"]), **MARCH)
    assert one.deals_created == 5
    assert [(s.stage_id, s.deals_entered) for s in one.stages] == [
        (str(K["S1"]), 5),
        (str(K["S2"]), 3),
        (str(K["S3"]), 2),
    ]
    code, fields = await refused(reports, "GetFunnelReport", tenant, pipeline_id="x", **MARCH)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and set(fields) == {"pipeline_id"}


# --------------------------------------------------------------------------- R5


def finance_tuple(r) -> tuple:
    a = r.aging
    return (
        r.key, r.invoiced_agorot, r.revenue_net_agorot, r.credited_agorot, r.collected_agorot,
        r.open_balance_agorot,
        (a.days_0_30_agorot, a.days_31_60_agorot, a.days_61_90_agorot, a.days_over_90_agorot),
    )  # fmt: skip


async def test_r5_finance_per_customer_rep_and_source_with_fifo_aging(reports, tenant):
    resp = await call(reports, "GetFinanceReport", tenant, **MARCH)
    assert [finance_tuple(r) for r in resp.customers] == [
        # P1 as of 31 Mar: invoices 59 000 (10 Jan, 80 days) + 23 600 (15 Feb, 44 days) +
        # 118 000 (21 Mar, 10 days) = 200 600; credit 11 800 + payment 30 000 = 41 800 paid the
        # oldest first: 17 200 left of January's, February's and March's untouched.
        (str(K["P1"]), 118_000, 90_000, 11_800, 30_000, 158_800, (118_000, 23_600, 17_200, 0)),
        (str(K["P6"]), 47_200, 40_000, 0, 0, 47_200, (47_200, 0, 0, 0)),
        # P5: December invoice (106 days); its payment came at 00:30 on 1 April local
        (str(K["P5"]), 0, 0, 0, 0, 11_800, (0, 0, 0, 11_800)),
        # P7: an invoice-receipt is invoiced and collected at once
        (str(K["P7"]), 5_900, 5_000, 0, 5_900, 0, (0, 0, 0, 0)),
        (str(K["P9"]), 0, 0, 0, 0, 0, (0, 0, 0, 0)),
    ]  # fmt: skip
    assert resp.customers[0].name == "דנה כהן"
    assert [finance_tuple(r) for r in resp.reps] == [
        (str(K["A"]), 118_000, 90_000, 11_800, 30_000, 158_800, (118_000, 23_600, 17_200, 0)),
        (str(K["B"]), 53_100, 45_000, 0, 5_900, 47_200, (47_200, 0, 0, 0)),
        ("", 0, 0, 0, 0, 11_800, (0, 0, 0, 11_800)),
    ]  # fmt: skip
    assert [finance_tuple(r) for r in resp.sources] == [
        ("facebook", 118_000, 90_000, 11_800, 30_000, 158_800, (118_000, 23_600, 17_200, 0)),
        ("google", 53_100, 45_000, 0, 5_900, 59_000, (47_200, 0, 0, 11_800)),
        ("", 0, 0, 0, 0, 0, (0, 0, 0, 0)),
    ]  # fmt: skip
    assert finance_tuple(resp.total) == (
        "",
        171_100,
        135_000,
        11_800,
        35_900,
        217_800,
        (165_200, 23_600, 17_200, 11_800),
    )
    assert [
        (c.party_id, c.last_invoice_date, optional(c, "days_since"), c.bucket) for c in resp.recency
    ] == [
        (str(K["P6"]), "2026-03-26", 5, "0-30"),
        (str(K["P1"]), "2026-03-21", 10, "0-30"),
        (str(K["P7"]), "2026-03-16", 15, "0-30"),
        (str(K["P5"]), "2025-12-15", 106, "91-180"),
        (str(K["P9"]), "", None, "never"),
    ]
    assert [(b.bucket, b.customers) for b in resp.recency_buckets] == [
        ("0-30", 3),
        ("31-90", 0),
        ("91-180", 1),
        ("181-365", 0),
        ("365+", 0),
        ("never", 1),
    ]
    assert resp.customers_total == 5
    # the lists stop at customer_limit; every aggregate still covers all five customers
    top = await call(reports, "GetFinanceReport", tenant, customer_limit=2, **MARCH)
    assert [c.key for c in top.customers] == [str(K["P1"]), str(K["P6"])]
    assert [c.party_id for c in top.recency] == [str(K["P6"]), str(K["P1"])]
    assert top.customers_total == 5
    assert finance_tuple(top.total) == finance_tuple(resp.total)
    assert [finance_tuple(r) for r in top.sources] == [finance_tuple(r) for r in resp.sources]
    code, fields = await refused(reports, "GetFinanceReport", tenant, customer_limit=5001, **MARCH)
    assert code == grpc.StatusCode.INVALID_ARGUMENT and set(fields) == {"customer_limit"}


# --------------------------------------------------------------------------- R6


async def test_r6_tasks_created_done_overdue_and_sla_breaches(reports, tenant):
    resp = await call(reports, "GetTasksReport", tenant, now=timestamp(NOW), **MARCH)
    assert resp.now.ToDatetime(tzinfo=UTC) == NOW

    def rows(items) -> list[tuple]:
        return [
            (r.task_type_key, r.assignee_user_id, r.team_id, r.created, r.done, r.overdue,
             r.sla_breaches, r.sla_met)
            for r in items
        ]  # fmt: skip

    a, b, c, x, y = (str(K[n]) for n in "ABCXY")
    # K1 done in time; K2 (23:30 on 31 Mar) overdue and breached; K3 is April.
    # K4 due later; K5 done late (breached); K6 completes after NOW: overdue, not yet breached.
    assert rows(resp.by_type) == [
        (CALL_BACK, "", "", 3, 1, 2, 1, 1),
        (FOLLOW_UP, "", "", 3, 1, 0, 1, 0),
    ]
    assert rows(resp.by_assignee) == sorted(
        [("", a, "", 2, 1, 1, 1, 1), ("", b, "", 2, 1, 0, 1, 0), ("", c, "", 2, 0, 1, 0, 0)],
        key=lambda r: r[1],
    )
    assert rows(resp.by_assignee_and_type) == sorted(
        [
            (CALL_BACK, a, "", 2, 1, 1, 1, 1),
            (FOLLOW_UP, b, "", 2, 1, 0, 1, 0),
            (CALL_BACK, c, "", 1, 0, 1, 0, 0),
            (FOLLOW_UP, c, "", 1, 0, 0, 0, 0),
        ],
        key=lambda r: (-r[3], r[0], r[1]),
    )
    # teams: A's last lead is in X, B's in Y, C owns no lead: team unknown ("")
    assert rows(resp.by_team) == sorted(
        [("", "", x, 2, 1, 1, 1, 1), ("", "", y, 2, 1, 0, 1, 0), ("", "", "", 2, 0, 1, 0, 0)],
        key=lambda r: r[2],
    )
    assert rows([resp.total]) == [("", "", "", 6, 2, 2, 2, 1)]
    # as of a later instant K6 is done and breached
    later = await call(reports, "GetTasksReport", tenant, now=timestamp(u(0, 1, m=5)), **MARCH)
    assert rows([later.total]) == [("", "", "", 6, 3, 2, 3, 1)]


# --------------------------------------------------------------------------- through the handlers


async def test_r2_r3_reports_from_events_late_and_repeated(reports, db):
    """Events through reporting's own handlers: a late qualify before its capture, a capture and
    a payment delivered twice, a deal won at 23:30 on the last day of March."""
    t = uuid.uuid4()
    lead1, lead2, party1, party2, deal, owner = (str(uuid.uuid4()) for _ in range(6))
    pay, inv = str(uuid.uuid4()), str(uuid.uuid4())

    def e(msg, at):
        return event(msg, tenant_id=t, at=at)

    captured = e(
        lead_ev.LeadCaptured(
            lead_id=lead1, party_id=party1, source="Radio", campaign="גלגלצ",
            captured_at=timestamp(u(20, 31, mi=30)),
        ),
        u(20, 31, mi=30),
    )  # fmt: skip
    paid = e(
        bill.PaymentReceived(
            payment_id=pay, party_id=party1, amount_agorot=11_700, method="bit",
            received_at=timestamp(u(10, 2, m=4)),
        ),
        u(10, 2, m=4),
    )  # fmt: skip
    await db.feed(
        e(lead_ev.LeadQualified(lead_id=lead1, party_id=party1, qualified_at=timestamp(u(21, 31))),
          u(21, 31)),
        captured,
        captured,
        e(lead_ev.LeadCaptured(lead_id=lead2, party_id=party2, source="radio", campaign="גלגלצ",
                               captured_at=timestamp(u(21, 31, mi=30))), u(21, 31, mi=30)),
        e(deal_ev.DealCreated(deal_id=deal, lead_id=lead1, party_id=party1, owner_id=owner,
                              amount_agorot=10_000, created_at=timestamp(u(20, 31, mi=31))),
          u(20, 31, mi=31)),
        e(deal_ev.DealWon(deal_id=deal, lead_id=lead1, party_id=party1, owner_id=owner,
                          amount_agorot=10_000, won_at=timestamp(u(20, 31, mi=40))),
          u(20, 31, mi=40)),
        e(bill.InvoiceIssued(document=bill.IssuedDocument(
            document_id=inv, document_type="tax_invoice", party_id=party1, number=7,
            issue_date="2026-04-01", subtotal_agorot=10_000, vat_agorot=1_700,
            total_agorot=11_700)), u(7, 1, m=4)),
        paid,
        paid,
    )  # fmt: skip
    resp = await call(reports, "GetMarketingReport", t, **MARCH)
    assert [
        (r.source, r.campaign, r.leads, r.qualified, r.won_deals, r.won_value_agorot,
         r.invoiced_agorot, r.invoiced_net_agorot, r.collected_agorot)
        for r in resp.rows
    ] == [("radio", "גלגלצ", 1, 1, 1, 10_000, 11_700, 10_000, 11_700)]  # fmt: skip
    perf = await call(reports, "GetPerformanceReport", t, **MARCH)
    assert [(r.owner_id, r.deals_won, r.won_amount_agorot) for r in perf.reps] == [
        (owner, 1, 10_000)
    ]


# --------------------------------------------------------------------------- record scope


async def test_r4_record_scope_own_limits_every_report_to_the_callers_records(reports, tenant):
    """A caller whose reporting grant has scope "own" (A1) sees rep A's figures only."""
    a = str(K["A"])
    meta = (("x-tenant-id", str(tenant)), ("x-user-id", a), ("x-record-scope", "own"))

    async def own(rpc: str, **kw):
        request = getattr(pb, f"{rpc}Request")(**kw)
        return await getattr(reports, rpc)(request, metadata=meta, timeout=10)

    marketing = await own("GetMarketingReport", **MARCH)
    # A's leads only (L1, L2, L8); costs are the tenant's, so none is shown
    assert [
        (r.source, r.campaign, r.leads, r.won_deals, r.HasField("cost_agorot"))
        for r in marketing.rows
    ] == [("facebook", "חורף", 2, 2, False), ("facebook", "קיץ", 1, 0, False)]
    assert not marketing.total.HasField("cost_agorot")
    targets = await own("GetTargetsReport", **MARCH)
    assert [t.target_id for t in targets.targets] == [str(K["TG1"])]
    perf = await own("GetPerformanceReport", **MARCH)
    assert [r.owner_id for r in perf.reps] == [a]
    funnel = await own("GetFunnelReport", **MARCH)
    # A's deals created in March: D1, D4, D6
    assert (funnel.deals_created, funnel.deals_won, funnel.deals_lost) == (3, 2, 1)
    finance = await own("GetFinanceReport", **MARCH)
    assert [c.key for c in finance.customers] == [str(K["P1"])]
    assert finance.total.open_balance_agorot == 158_800
    tasks = await own("GetTasksReport", now=timestamp(NOW), **MARCH)
    assert [r.assignee_user_id for r in tasks.by_assignee] == [a]
    assert tasks.total.created == 2
    # no user: nothing
    nobody = await reports.GetPerformanceReport(
        pb.GetPerformanceReportRequest(**MARCH),
        metadata=(("x-tenant-id", str(tenant)), ("x-record-scope", "own")),
        timeout=10,
    )
    assert list(nobody.reps) == []


async def test_r3_record_scope_team_sees_the_team_members_and_the_team_target(reports, tenant):
    """Scope "team" (sales managers): the members' rows and the caller's team target."""
    a, b = str(K["A"]), str(K["B"])
    meta = (
        ("x-tenant-id", str(tenant)),
        ("x-user-id", a),
        ("x-record-scope", "team"),
        ("x-user-team", str(K["X"])),
        ("x-team-members", f"{a},{b}"),
    )
    targets = await reports.GetTargetsReport(
        pb.GetTargetsReportRequest(**MARCH), metadata=meta, timeout=10
    )
    assert [t.target_id for t in targets.targets] == [str(K["TG2"]), str(K["TG1"])]
    perf = await reports.GetPerformanceReport(
        pb.GetPerformanceReportRequest(**MARCH), metadata=meta, timeout=10
    )
    assert [r.owner_id for r in perf.reps] == [a, b]
    tasks = await reports.GetTasksReport(
        pb.GetTasksReportRequest(now=timestamp(NOW), **MARCH), metadata=meta, timeout=10
    )
    assert tasks.total.created == 4  # C's two tasks are outside the team
