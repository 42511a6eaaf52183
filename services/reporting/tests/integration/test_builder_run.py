"""R1 report builder on a real PostgreSQL: fact rows inserted directly, figures computed by hand."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from sqlalchemy import insert

import crm_reporting
from crm_common.db import create_engine, create_sessionmaker, unit_of_work
from crm_common.errors import InvalidArgument
from crm_common.plumbing import tenant_directory_table
from crm_devstack.testing import migrated_database
from crm_reporting.builder.compiler import Scope
from crm_reporting.builder.service import Viewer, run_definition
from crm_reporting.facts.models import DealFact, DocumentFact, LeadFact, PartyDim, TaskFact

MIGRATIONS = Path(crm_reporting.__file__).parent / "migrations"
UTC = dt.UTC
ADMIN = Viewer(user_id=None, roles=("admin",), scope=Scope())


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture(scope="module")
async def sm(make_database):
    url = migrated_database(make_database, "reporting_builder_run", MIGRATIONS)
    engine = create_engine(url, pool_size=3, instrument=False)
    yield create_sessionmaker(engine)
    await engine.dispose()


async def put(sm, tenant: uuid.UUID, model, rows: list[dict]) -> None:
    async with unit_of_work(sm, tenant_id=tenant) as s:
        await s.execute(insert(model), [{"tenant_id": tenant, **r} for r in rows])


async def run(sm, tenant: uuid.UUID, definition: dict, viewer: Viewer = ADMIN):
    async with unit_of_work(sm, tenant_id=tenant) as s:
        return await run_definition(session=s, tenant_id=tenant, raw=definition, viewer=viewer)


def lead(captured_at: dt.datetime, **kw) -> dict:
    return {"lead_id": uuid.uuid4(), "captured_at": captured_at, **kw}


@pytest.fixture(scope="module")
async def leads_tenant(sm):
    """Six leads of one tenant in Israel time, plus a lead of another tenant."""
    tenant = uuid.uuid4()
    rep_a, rep_b = uuid.uuid4(), uuid.uuid4()
    party = [uuid.uuid4() for _ in range(3)]
    await put(
        sm,
        tenant,
        LeadFact,
        [
            # 31 Jan 23:30 Israel (UTC+2) = January.
            lead(utc(2026, 1, 31, 21, 30), source="radio", campaign="winter", owner_id=rep_a),
            # 31 Mar 23:30 Israel (summer time, UTC+3) = March.
            lead(
                utc(2026, 3, 31, 20, 30),
                source="radio",
                campaign="spring",
                owner_id=rep_a,
                party_id=party[0],
                qualified_at=utc(2026, 4, 2, 9, 0),
            ),
            # 1 Apr 00:30 Israel = April, although still 31 Mar in UTC.
            lead(
                utc(2026, 3, 31, 21, 30),
                source="web",
                campaign="spring",
                owner_id=rep_b,
                party_id=party[1],
            ),
            lead(
                utc(2026, 4, 15, 9, 0),
                source="web",
                campaign=None,
                owner_id=rep_b,
                party_id=party[2],
                is_duplicate=True,
            ),
            lead(utc(2026, 4, 16, 9, 0), source="radio", campaign="spring", owner_id=rep_b),
            lead(utc(2026, 4, 30, 22, 0), source="tv", campaign="קיץ", owner_id=rep_a),
        ],
    )
    await put(
        sm,
        tenant,
        PartyDim,
        [
            {"party_id": party[0], "attributes": {"city": "חיפה", "budget": "high"}},
            {"party_id": party[1], "attributes": {"city": "תל אביב"}},
            {"party_id": party[2], "attributes": {"city": "חיפה"}},
        ],
    )
    other = uuid.uuid4()
    await put(sm, other, LeadFact, [lead(utc(2026, 3, 10, 9, 0), source="radio")])
    return {"tenant": tenant, "rep_a": rep_a, "rep_b": rep_b}


async def test_r1_month_bucket_in_israel_time_at_month_end(sm, leads_tenant):
    """23:30 on the 31st Israel time belongs to that month; 00:30 on the 1st to the next."""
    result = await run(
        sm,
        leads_tenant["tenant"],
        {
            "subject": "leads",
            "time_bucket": {"field": "captured_at", "unit": "month"},
            "measures": [{"op": "count"}],
        },
    )
    assert [c.key for c in result.columns] == ["period", "count"]
    assert result.columns[0].unit == "month" and result.columns[0].dimension
    assert result.rows == [
        [dt.date(2026, 1, 1), 1],
        [dt.date(2026, 3, 1), 1],
        [dt.date(2026, 4, 1), 3],
        [dt.date(2026, 5, 1), 1],  # 30 Apr 22:00 UTC = 1 May 01:00 Israel
    ]
    assert result.time_zone == "Asia/Jerusalem"


async def test_r1_bucket_follows_the_tenant_time_zone_from_the_directory(sm):
    """A tenant whose directory entry says UTC gets UTC months."""
    tenant = uuid.uuid4()
    async with unit_of_work(sm) as s:
        await s.execute(
            insert(tenant_directory_table).values(
                tenant_id=tenant, name="t", time_zone="UTC", created_at=utc(2026, 1, 1)
            )
        )
    await put(sm, tenant, LeadFact, [lead(utc(2026, 3, 31, 21, 30), source="web")])
    result = await run(
        sm,
        tenant,
        {
            "subject": "leads",
            "time_bucket": {"field": "captured_at", "unit": "month"},
            "measures": [{"op": "count"}],
        },
    )
    assert result.rows == [[dt.date(2026, 3, 1), 1]]
    assert result.time_zone == "UTC"


async def test_r1_two_levels_with_quarter_and_sort_by_measure(sm, leads_tenant):
    result = await run(
        sm,
        leads_tenant["tenant"],
        {
            "subject": "leads",
            "group_by": ["source", "campaign"],
            "time_bucket": {"field": "captured_at", "unit": "quarter"},
            "measures": [{"op": "count", "as": "leads"}, {"op": "sum", "field": "is_duplicate"}],
            "sort": [{"by": "leads", "dir": "desc"}],
        },
    )
    assert [c.key for c in result.columns] == [
        "period",
        "source",
        "campaign",
        "leads",
        "sum_is_duplicate",
    ]
    q1, q2 = dt.date(2026, 1, 1), dt.date(2026, 4, 1)
    # Every group has one lead: ties on "leads" fall back to period, source, campaign
    # ascending (empty last). Q1: the January and the 31-March leads; Q2 the other four.
    assert result.rows == [
        [q1, "radio", "spring", 1, 0],
        [q1, "radio", "winter", 1, 0],
        [q2, "radio", "spring", 1, 0],
        [q2, "tv", "קיץ", 1, 0],
        [q2, "web", "spring", 1, 0],
        [q2, "web", None, 1, 1],
    ]
    by_quarter: dict = {}
    for r in result.rows:
        by_quarter[r[0]] = by_quarter.get(r[0], 0) + r[3]
    assert by_quarter == {q1: 2, q2: 4}


async def test_r1_filters_in_between_local_days_contains_is_null(sm, leads_tenant):
    tenant = leads_tenant["tenant"]

    async def count(*filters: dict) -> int:
        r = await run(
            sm,
            tenant,
            {"subject": "leads", "measures": [{"op": "count"}], "filters": list(filters)},
        )
        return r.rows[0][0]

    # The whole local day of 31 March: only the 23:30 lead (the 00:30 one is 1 April).
    assert await count({"field": "captured_at", "op": "eq", "value": "2026-03-31"}) == 1
    # April 1-30 local: 00:30 on 1 Apr, 15 Apr, 16 Apr (30 Apr 22:00 UTC is 1 May local).
    assert (
        await count(
            {"field": "captured_at", "op": "between", "value": ["2026-04-01", "2026-04-30"]}
        )
        == 3
    )
    assert await count({"field": "source", "op": "in", "value": ["radio", "tv"]}) == 4
    assert await count({"field": "campaign", "op": "is_null", "value": True}) == 1
    assert await count({"field": "campaign", "op": "ne", "value": "spring"}) == 3  # null counts
    assert await count({"field": "campaign", "op": "contains", "value": "PRI"}) == 3
    assert await count({"field": "campaign", "op": "contains", "value": "%"}) == 0
    assert (
        await count(
            {"field": "captured_at", "op": "gte", "value": "2026-04-01T00:00:00+03:00"},
            {"field": "is_duplicate", "op": "eq", "value": False},
        )
        == 3
    )


async def test_r1_dynamic_fields_of_the_party_group_and_filter(sm, leads_tenant):
    result = await run(
        sm,
        leads_tenant["tenant"],
        {
            "subject": "leads",
            "group_by": ["attributes.city"],
            "measures": [{"op": "count"}],
            "filters": [{"field": "captured_at", "op": "gte", "value": "2026-03-01"}],
        },
    )
    assert result.rows == [["חיפה", 2], ["תל אביב", 1], [None, 2]]
    listing = await run(
        sm,
        leads_tenant["tenant"],
        {
            "subject": "leads",
            "fields": ["source", "attributes.budget"],
            "filters": [{"field": "attributes.budget", "op": "eq", "value": "high"}],
        },
    )
    assert listing.rows == [["radio", "high"]]
    assert listing.columns[1].label == "budget"


async def test_r1_measures_on_money_sum_avg_min_max_distinct(sm):
    tenant = uuid.uuid4()
    rep_a, rep_b = uuid.uuid4(), uuid.uuid4()
    deals = [
        (rep_a, 100_000, "won"),
        (rep_a, 250_050, "won"),
        (rep_a, 30_000, "lost"),
        (rep_b, 99_999, "won"),
        (rep_b, None, "open"),
    ]
    await put(
        sm,
        tenant,
        DealFact,
        [
            {
                "deal_id": uuid.uuid4(),
                "owner_id": o,
                "amount_agorot": a,
                "status": s,
                "created_at": utc(2026, 5, 1),
            }
            for o, a, s in deals
        ],
    )
    result = await run(
        sm,
        tenant,
        {
            "subject": "deals",
            "group_by": ["status"],
            "measures": [
                {"op": "count"},
                {"op": "sum", "field": "amount_agorot"},
                {"op": "avg", "field": "amount_agorot"},
                {"op": "min", "field": "amount_agorot"},
                {"op": "max", "field": "amount_agorot"},
                {"op": "count_distinct", "field": "owner_id"},
            ],
        },
    )
    kinds = {c.key: c.kind for c in result.columns}
    assert kinds["sum_amount_agorot"] == "money"
    assert kinds["avg_amount_agorot"] == "money"
    assert result.rows == [
        ["lost", 1, 30_000, 30_000, 30_000, 30_000, 1],
        ["open", 1, None, None, None, None, 1],
        # won: 100000 + 250050 + 99999 = 450049; avg 150016.33 -> 150016 agorot
        ["won", 3, 450_049, 150_016, 99_999, 250_050, 2],
    ]


async def test_r1_week_starts_on_sunday_and_limit_truncates(sm):
    tenant = uuid.uuid4()
    # Sat 2 May 2026 10:00 local, Sun 3 May 10:00 local, Mon 4 May 10:00 local.
    times = [utc(2026, 5, 2, 7), utc(2026, 5, 3, 7), utc(2026, 5, 4, 7)]
    await put(
        sm,
        tenant,
        TaskFact,
        [{"task_id": uuid.uuid4(), "created_at": t, "task_type_key": "call"} for t in times],
    )
    result = await run(
        sm,
        tenant,
        {
            "subject": "tasks",
            "time_bucket": {"field": "created_at", "unit": "week"},
            "measures": [{"op": "count"}],
        },
    )
    assert result.rows == [[dt.date(2026, 4, 26), 1], [dt.date(2026, 5, 3), 2]]
    listing = await run(sm, tenant, {"subject": "tasks", "fields": ["created_at"], "limit": 2})
    assert len(listing.rows) == 2
    assert listing.truncated is True


async def test_r1_invoices_subject_only_invoice_types_and_date_buckets(sm):
    tenant = uuid.uuid4()
    docs = [
        ("invoice", dt.date(2026, 6, 30), 11_700),
        ("invoice_receipt", dt.date(2026, 7, 1), 5_850),
        ("quote", dt.date(2026, 6, 10), 99_999),
        ("receipt", dt.date(2026, 6, 11), 11_700),
    ]
    await put(
        sm,
        tenant,
        DocumentFact,
        [
            {"document_id": uuid.uuid4(), "document_type": t, "issue_date": d, "total_agorot": a}
            for t, d, a in docs
        ],
    )
    result = await run(
        sm,
        tenant,
        {
            "subject": "invoices",
            "time_bucket": {"field": "issue_date", "unit": "month"},
            "measures": [{"op": "sum", "field": "total_agorot"}],
        },
    )
    assert result.rows == [[dt.date(2026, 6, 1), 11_700], [dt.date(2026, 7, 1), 5_850]]


async def test_r1_record_scope_own_and_team(sm, leads_tenant):
    tenant, rep_a, rep_b = leads_tenant["tenant"], leads_tenant["rep_a"], leads_tenant["rep_b"]
    definition = {"subject": "leads", "measures": [{"op": "count"}]}
    own_a = Viewer(rep_a, ("sales_manager",), Scope("own", rep_a))
    assert (await run(sm, tenant, definition, own_a)).rows == [[3]]
    team = Viewer(rep_a, ("sales_manager",), Scope("team", rep_a, (rep_b,)))
    assert (await run(sm, tenant, definition, team)).rows == [[6]]
    nobody = Viewer(None, ("sales_manager",), Scope("own", None))
    assert (await run(sm, tenant, definition, nobody)).rows == [[0]]


async def test_r1_other_tenants_rows_never_count(sm, leads_tenant):
    result = await run(
        sm,
        leads_tenant["tenant"],
        {"subject": "leads", "measures": [{"op": "count"}], "group_by": ["source"]},
    )
    assert result.rows == [["radio", 3], ["tv", 1], ["web", 2]]


@pytest.mark.parametrize(
    ("definition", "paths"),
    [
        ({"subject": "widgets", "fields": ["x"]}, {"subject"}),
        ({"subject": "leads", "fields": ["source", "password"]}, {"fields[1]"}),
        ({"subject": "leads", "fields": ["attributes.Bad Key"]}, {"fields[0]"}),
        (
            {"subject": "leads", "measures": [{"op": "sum", "field": "source"}]},
            {"measures[0].field"},
        ),
        ({"subject": "leads", "measures": [{"op": "median"}]}, {"measures[0].op"}),
        ({"subject": "leads", "measures": [{"op": "avg"}]}, {"measures[0].field"}),
        (
            {"subject": "leads", "group_by": ["a", "b", "c"], "measures": [{"op": "count"}]},
            {"group_by"},
        ),
        ({"subject": "leads", "group_by": ["captured_at"]}, {"group_by[0]"}),
        (
            {"subject": "leads", "time_bucket": {"field": "source", "unit": "month"}},
            {"time_bucket.field"},
        ),
        (
            {"subject": "leads", "time_bucket": {"field": "captured_at", "unit": "year"}},
            {"time_bucket.unit"},
        ),
        (
            {
                "subject": "leads",
                "fields": ["source"],
                "filters": [{"field": "captured_at", "op": "gte", "value": "yesterday"}],
            },
            {"filters[0].value"},
        ),
        (
            {
                "subject": "leads",
                "fields": ["source"],
                "filters": [{"field": "owner_id", "op": "lt", "value": "x"}],
            },
            {"filters[0].op"},
        ),
        (
            {
                "subject": "leads",
                "fields": ["source"],
                "filters": [{"field": "source", "op": "between", "value": ["a"]}],
            },
            {"filters[0].value"},
        ),
        (
            {
                "subject": "deals",
                "fields": ["status"],
                "filters": [{"field": "amount_agorot", "op": "gt", "value": 10.5}],
            },
            {"filters[0].value"},
        ),
        ({"subject": "leads", "fields": ["source"], "limit": 10_001}, {"limit"}),
        ({"subject": "leads", "fields": ["source"], "sort": [{"by": "count"}]}, {"sort[0].by"}),
        ({"subject": "leads", "fields": ["source"], "colour": "red"}, {"colour"}),
        ({"subject": "leads"}, {"fields"}),
        ({"subject": "leads", "fields": ["source"], "measures": [{"op": "count"}]}, {"fields"}),
    ],
)
async def test_r1_invalid_definition_names_the_bad_field(definition, paths):
    from crm_reporting.builder.definition import parse

    with pytest.raises(InvalidArgument) as err:
        parse(definition)
    assert {v.field for v in err.value.violations} == paths, err.value.violations


async def test_r1_scope_of_subjects_without_owner_follows_the_party_owner(sm):
    """Invoices have no owner column: a rep with scope 'own' sees their parties' invoices."""
    tenant, rep, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    mine, theirs = uuid.uuid4(), uuid.uuid4()
    await put(
        sm,
        tenant,
        PartyDim,
        [{"party_id": mine, "owner_id": rep}, {"party_id": theirs, "owner_id": other}],
    )
    await put(
        sm,
        tenant,
        DocumentFact,
        [
            {
                "document_id": uuid.uuid4(),
                "document_type": "invoice",
                "party_id": p,
                "issue_date": dt.date(2026, 5, 1),
                "total_agorot": a,
            }
            for p, a in ((mine, 1_000), (mine, 2_500), (theirs, 99_000))
        ],
    )
    definition = {"subject": "invoices", "measures": [{"op": "sum", "field": "total_agorot"}]}
    own = Viewer(rep, ("sales_manager",), Scope("own", rep))
    assert (await run(sm, tenant, definition, own)).rows == [[3_500]]
    assert (await run(sm, tenant, definition)).rows == [[102_500]]


async def test_r1_input_never_becomes_sql(sm, leads_tenant):
    """Field names are looked up, values are bound: an injection attempt is data or an error."""
    from crm_reporting.builder.definition import parse

    with pytest.raises(InvalidArgument) as err:
        parse({"subject": "leads", "fields": ["source; DROP TABLE lead_fact"]})
    assert [v.field for v in err.value.violations] == ["fields[0]"]
    with pytest.raises(InvalidArgument):
        parse({"subject": "leads", "fields": ["attributes.x') OR 1=1 --"]})
    result = await run(
        sm,
        leads_tenant["tenant"],
        {
            "subject": "leads",
            "measures": [{"op": "count"}],
            "filters": [{"field": "source", "op": "eq", "value": "radio' OR '1'='1"}],
        },
    )
    assert result.rows == [[0]]


@pytest.fixture(scope="module")
async def budget_tenant(sm):
    """Five customers with a dynamic field ``budget``: numbers 1000, 2500.5 and 400, a
    stray text value "high" and one without it; each with one lead."""
    tenant = uuid.uuid4()
    parties = [uuid.uuid4() for _ in range(5)]
    attrs = [
        {"budget": 1000, "city": "חיפה"},
        {"budget": 2500.5, "city": "חיפה"},
        {"budget": "high", "city": "תל אביב"},
        {"budget": 400, "city": "תל אביב"},
        {"city": "אילת"},
    ]
    await put(
        sm,
        tenant,
        PartyDim,
        [
            {"party_id": p, "name": f"לקוח {i}", "is_customer": True, "attributes": a}
            for i, (p, a) in enumerate(zip(parties, attrs, strict=True))
        ],
    )
    await put(
        sm,
        tenant,
        LeadFact,
        [lead(utc(2026, 5, 1, 9), source="web", party_id=p) for p in parties],
    )
    return tenant


async def test_r1_numeric_dynamic_field_measures_skip_text_values(sm, budget_tenant):
    """R1: sum/avg/min/max over attributes.budget count only JSON numbers; the text "high"
    is NULL, never an error. Hand-computed: sum 1000+2500.5+400 = 3900.5, avg 3900.5/3 =
    1300.17, min 400, max 2500.5; per city חיפה 3500.5 / 1750.25, תל אביב 400 / 400,
    אילת none; count(budget) still counts every present value (4)."""
    measures = [
        {"op": "sum", "field": "attributes.budget", "as": "total"},
        {"op": "avg", "field": "attributes.budget", "as": "mean"},
        {"op": "min", "field": "attributes.budget", "as": "low"},
        {"op": "max", "field": "attributes.budget", "as": "high"},
        {"op": "count", "field": "attributes.budget", "as": "with_budget"},
    ]
    result = await run(sm, budget_tenant, {"subject": "customers", "measures": measures})
    assert result.rows == [[3900.5, 1300.17, 400, 2500.5, 4]]
    assert [c.kind for c in result.columns] == ["decimal"] * 4 + ["int"]
    by_city = await run(
        sm,
        budget_tenant,
        {
            "subject": "customers",
            "group_by": ["attributes.city"],
            "measures": measures[:2],
            "sort": [{"by": "attributes.city"}],
        },
    )
    assert by_city.rows == [["אילת", None, None], ["חיפה", 3500.5, 1750.25], ["תל אביב", 400, 400]]
    # Through the lead's party (another subject joins party_dim).
    leads = await run(
        sm,
        budget_tenant,
        {"subject": "leads", "measures": [{"op": "sum", "field": "attributes.budget"}]},
    )
    assert leads.rows == [[3900.5]]


async def test_r1_numeric_filters_on_a_dynamic_field(sm, budget_tenant):
    """R1: gt/gte/lt/lte/between with a number compare attributes.budget as a number
    (1000 > 900 although "1000" < "900" as text); the text value never matches, and a
    text comparison value keeps the text comparison."""

    async def names(flt: dict, subject: str = "customers") -> list:
        out = await run(
            sm,
            budget_tenant,
            {
                "subject": subject,
                "fields": ["name"] if subject == "customers" else ["lead_id"],
                "filters": [{"field": "attributes.budget", **flt}],
            },
        )
        return sorted(r[0] for r in out.rows)

    assert await names({"op": "gt", "value": 900}) == ["לקוח 0", "לקוח 1"]
    assert await names({"op": "gte", "value": 1000}) == ["לקוח 0", "לקוח 1"]
    assert await names({"op": "lt", "value": 1000}) == ["לקוח 3"]
    assert await names({"op": "lte", "value": 1000}) == ["לקוח 0", "לקוח 3"]
    assert await names({"op": "between", "value": [400, 1000]}) == ["לקוח 0", "לקוח 3"]
    assert await names({"op": "gt", "value": 2500.25}) == ["לקוח 1"]
    assert len(await names({"op": "gte", "value": 1000}, subject="leads")) == 2
    # A text value: text comparison as before ("high" > "a"; "1000", "2500.5", "400" < "a").
    assert await names({"op": "gt", "value": "a"}) == ["לקוח 2"]


async def test_r1_numeric_dynamic_field_key_is_bound_and_validated(sm, budget_tenant):
    """R1: the key of a numeric dynamic field is a bound parameter (never SQL text), a bad
    key is refused naming the measure, and a bool filter value is refused naming the value."""
    from sqlalchemy.dialects import postgresql

    from crm_reporting.builder.compiler import compile_definition
    from crm_reporting.builder.definition import parse

    d = parse(
        {
            "subject": "customers",
            "measures": [{"op": "sum", "field": "attributes.budget"}],
            "filters": [{"field": "attributes.budget", "op": "gt", "value": 5}],
        }
    )
    compiled = compile_definition(d, tenant_id=budget_tenant, time_zone="Asia/Jerusalem")
    sql = compiled.statement.compile(dialect=postgresql.dialect())
    assert "budget" not in str(sql) and "budget" in sql.params.values()
    assert "jsonb_typeof" in str(sql)
    with pytest.raises(InvalidArgument) as err:
        parse({"subject": "customers", "measures": [{"op": "avg", "field": "attributes.Bad"}]})
    assert [v.field for v in err.value.violations] == ["measures[0].field"]
    with pytest.raises(InvalidArgument) as err:
        parse(
            {
                "subject": "customers",
                "fields": ["name"],
                "filters": [{"field": "attributes.budget", "op": "gt", "value": True}],
            }
        )
    assert [v.field for v in err.value.violations] == ["filters[0].value"]
