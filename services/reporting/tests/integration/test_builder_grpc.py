"""R1 saved and shared reports, R7 exports and dashboards, over gRPC on a real PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import grpc
import openpyxl
import pytest
from google.protobuf import json_format, struct_pb2
from pypdf import PdfReader
from sqlalchemy import insert, text

import crm_reporting
from crm.reporting.v1 import builder_service_pb2 as pb
from crm.reporting.v1 import builder_service_pb2_grpc as pb_grpc
from crm_common.db import unit_of_work
from crm_common.grpc.errors import from_rpc_error
from crm_devstack.testing import migrated_database, serve_in_process
from crm_reporting.builder.api import SERVICE_NAME, register
from crm_reporting.facts.models import DealFact, LeadFact
from crm_reporting.settings import ReportingSettings

MIGRATIONS = Path(crm_reporting.__file__).parent / "migrations"
UTC = dt.UTC


@pytest.fixture(scope="module")
async def builder(make_database):
    url = migrated_database(make_database, "reporting_builder_grpc", MIGRATIONS)
    async with serve_in_process(
        ReportingSettings, register, [SERVICE_NAME], url=url, pool_size=3
    ) as srv:
        yield pb_grpc.ReportBuilderServiceStub(srv.channel), srv.sessionmaker


def md(tenant, user=None, roles=(), scope=None):
    out = [("x-tenant-id", str(tenant))]
    if user:
        out.append(("x-user-id", str(user)))
    if roles:
        out.append(("x-roles", ",".join(roles)))
    if scope:
        out.append(("x-record-scope", scope))
    return tuple(out)


def struct(d: dict) -> struct_pb2.Struct:
    s = struct_pb2.Struct()
    s.update(d)
    return s


BY_SOURCE = {
    "subject": "leads",
    "group_by": ["source"],
    "measures": [{"op": "count", "as": "leads"}],
    "sort": [{"by": "leads", "dir": "desc"}],
}


@pytest.fixture(scope="module")
async def tenant(builder):
    _, sm = builder
    t = uuid.uuid4()
    rows = [("radio", 19, 30), ("radio", 20, 0), ("radio", 21, 0), ("web", 22, 0), ("tv", 23, 0)]
    async with unit_of_work(sm, tenant_id=t) as s:
        await s.execute(
            insert(LeadFact),
            [
                {
                    "tenant_id": t,
                    "lead_id": uuid.uuid4(),
                    "source": src,
                    "captured_at": dt.datetime(2026, 3, 31, h, m, tzinfo=UTC),
                }
                for src, h, m in rows
            ],
        )
        await s.execute(
            insert(DealFact),
            [
                {
                    "tenant_id": t,
                    "deal_id": uuid.uuid4(),
                    "status": "won",
                    "amount_agorot": a,
                    "stage_name": "נסגר",
                    "won_at": dt.datetime(2026, 4, 1, tzinfo=UTC),
                }
                for a in (150_000, 250_050)
            ],
        )
    return t


async def test_r1_run_ad_hoc_definition(builder, tenant):
    stub, _ = builder
    resp = await stub.RunReport(
        pb.RunReportRequest(definition=struct(BY_SOURCE)), metadata=md(tenant), timeout=10
    )
    r = resp.result
    assert [(c.key, c.label, c.kind) for c in r.columns] == [
        ("source", "מקור", "text"),
        ("leads", "כמות", "int"),
    ]
    rows = [json_format.MessageToDict(row) for row in r.rows]
    assert rows == [["radio", 3], ["tv", 1], ["web", 1]]
    assert r.time_zone == "Asia/Jerusalem"


async def test_r1_invalid_definition_is_invalid_argument_naming_the_field(builder, tenant):
    stub, _ = builder
    bad = {**BY_SOURCE, "measures": [{"op": "sum", "field": "colour", "as": "leads"}]}
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.RunReport(
            pb.RunReportRequest(definition=struct(bad)), metadata=md(tenant), timeout=10
        )
    err = from_rpc_error(exc.value)
    assert err.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in err.violations] == ["measures[0].field"]
    assert "colour" in err.violations[0].description


async def test_r1_saved_report_visible_to_owner_admin_and_shared_roles_only(builder, tenant):
    stub, _ = builder
    owner, other = uuid.uuid4(), uuid.uuid4()
    created = (
        await stub.CreateReportDefinition(
            pb.CreateReportDefinitionRequest(
                name="לידים לפי מקור",
                definition=struct(BY_SOURCE),
                shared_roles=["sales_manager"],
            ),
            metadata=md(tenant, owner, ["sales_rep"]),
            timeout=10,
        )
    ).report
    assert created.owner_id == str(owner)
    rid = created.id

    async def visible(user, roles) -> bool:
        listed = await stub.ListReportDefinitions(
            pb.ListReportDefinitionsRequest(), metadata=md(tenant, user, roles), timeout=10
        )
        ids = {r.id for r in listed.reports}
        try:
            await stub.RunReport(
                pb.RunReportRequest(report_id=rid), metadata=md(tenant, user, roles), timeout=10
            )
            ran = True
        except grpc.aio.AioRpcError as e:
            assert e.code() == grpc.StatusCode.NOT_FOUND
            ran = False
        assert ran == (rid in ids)
        return ran

    assert await visible(owner, ["sales_rep"]) is True
    assert await visible(other, ["admin"]) is True
    assert await visible(other, ["sales_manager", "service"]) is True
    assert await visible(other, ["sales_rep"]) is False
    # Another tenant never sees it, even as admin.
    assert await visible(owner, ["admin"]) is True
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.GetReportDefinition(
            pb.GetReportDefinitionRequest(report_id=rid),
            metadata=md(uuid.uuid4(), owner, ["admin"]),
            timeout=10,
        )
    assert exc.value.code() == grpc.StatusCode.NOT_FOUND
    # A role it is shared with sees it but cannot change it.
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.UpdateReportDefinition(
            pb.UpdateReportDefinitionRequest(report_id=rid, name="x", definition=struct(BY_SOURCE)),
            metadata=md(tenant, other, ["sales_manager"]),
            timeout=10,
        )
    assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED
    updated = (
        await stub.UpdateReportDefinition(
            pb.UpdateReportDefinitionRequest(
                report_id=rid, name="לידים", definition=struct(BY_SOURCE), shared_roles=[]
            ),
            metadata=md(tenant, owner, ["sales_rep"]),
            timeout=10,
        )
    ).report
    assert updated.name == "לידים" and list(updated.shared_roles) == []
    assert await visible(other, ["sales_manager"]) is False


async def test_r1_saving_an_invalid_definition_writes_nothing(builder, tenant):
    stub, _ = builder
    user = uuid.uuid4()
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.CreateReportDefinition(
            pb.CreateReportDefinitionRequest(
                name="", definition=struct({"subject": "leads", "fields": ["nope"]})
            ),
            metadata=md(tenant, user),
            timeout=10,
        )
    assert {v.field for v in from_rpc_error(exc.value).violations} == {"name"}
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.CreateReportDefinition(
            pb.CreateReportDefinitionRequest(
                name="x", definition=struct({"subject": "leads", "fields": ["nope"]})
            ),
            metadata=md(tenant, user),
            timeout=10,
        )
    assert {v.field for v in from_rpc_error(exc.value).violations} == {"fields[0]"}
    listed = await stub.ListReportDefinitions(
        pb.ListReportDefinitionsRequest(), metadata=md(tenant, user, ["sales_rep"]), timeout=10
    )
    assert list(listed.reports) == []


async def test_r7_export_csv_xlsx_pdf_of_a_definition(builder, tenant):
    stub, _ = builder
    money = {
        "subject": "deals",
        "group_by": ["stage_name"],
        "measures": [{"op": "sum", "field": "amount_agorot", "as": "revenue"}],
    }

    async def export(fmt, **kw):
        return await stub.ExportReport(
            pb.ExportReportRequest(definition=struct(money), format=fmt, **kw),
            metadata=md(tenant),
            timeout=20,
        )

    c = await export(pb.EXPORT_FORMAT_CSV)
    assert c.content_type.startswith("text/csv") and c.filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(c.content.decode("utf-8-sig"))))
    assert rows == [["שלב", 'סה"כ סכום'], ["נסגר", "4000.50"]]  # 1500.00 + 2500.50
    x = await export(pb.EXPORT_FORMAT_XLSX)
    ws = openpyxl.load_workbook(io.BytesIO(x.content)).active
    assert ws.sheet_view.rightToLeft is True
    assert [c.value for c in ws[2]] == ["נסגר", pytest.approx(4000.5)]
    p = await export(pb.EXPORT_FORMAT_PDF, chart=pb.CHART_KIND_BAR)
    text = PdfReader(io.BytesIO(p.content)).pages[0].extract_text()
    assert "4,000.50" in text and "נסגר" in text
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await export(pb.EXPORT_FORMAT_UNSPECIFIED)
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_r7_dashboard_runs_items_with_svg_and_exports_pdf(builder, tenant):
    stub, _ = builder
    owner = uuid.uuid4()
    meta = md(tenant, owner, ["sales_manager"])
    leads = (
        await stub.CreateReportDefinition(
            pb.CreateReportDefinitionRequest(name="לידים לפי מקור", definition=struct(BY_SOURCE)),
            metadata=meta,
            timeout=10,
        )
    ).report
    total = (
        await stub.CreateReportDefinition(
            pb.CreateReportDefinitionRequest(
                name="הכנסות",
                definition=struct(
                    {"subject": "deals", "measures": [{"op": "sum", "field": "amount_agorot"}]}
                ),
            ),
            metadata=meta,
            timeout=10,
        )
    ).report
    board = (
        await stub.CreateDashboard(
            pb.CreateDashboardRequest(
                name="לוח מכירות",
                shared_roles=["sales_rep"],
                items=[
                    pb.DashboardItem(report_id=leads.id, chart=pb.CHART_KIND_PIE, x=0, y=0, w=6),
                    pb.DashboardItem(
                        report_id=total.id,
                        chart=pb.CHART_KIND_NUMBER,
                        title="סך הכנסות",
                        x=6,
                        y=0,
                        w=6,
                    ),
                ],
            ),
            metadata=meta,
            timeout=10,
        )
    ).dashboard
    assert [i.chart for i in board.items] == [pb.CHART_KIND_PIE, pb.CHART_KIND_NUMBER]
    # A sales rep the dashboard is shared with runs it.
    run = await stub.RunDashboard(
        pb.RunDashboardRequest(dashboard_id=board.id),
        metadata=md(tenant, uuid.uuid4(), ["sales_rep"]),
        timeout=20,
    )
    first, second = run.items
    assert first.title == "לידים לפי מקור"
    assert [json_format.MessageToDict(r) for r in first.result.rows] == [
        ["radio", 3],
        ["tv", 1],
        ["web", 1],
    ]
    pie = ET.fromstring(first.chart_svg)
    assert pie.get("data-kind") == "pie"
    assert len(pie.findall("{http://www.w3.org/2000/svg}polygon")) == 3
    assert second.title == "סך הכנסות"
    assert [json_format.MessageToDict(r) for r in second.result.rows] == [[400_050]]
    number = ET.fromstring(second.chart_svg)
    texts = [t.text for t in number.iter("{http://www.w3.org/2000/svg}text")]
    assert "4,000 ₪" in texts  # 400,050 agorot = 4,000.50 shekels, drawn rounded
    pdf = await stub.ExportDashboard(
        pb.ExportDashboardRequest(dashboard_id=board.id, format=pb.EXPORT_FORMAT_PDF),
        metadata=meta,
        timeout=30,
    )
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in ("לוח מכירות", "לידים לפי מקור", "סך הכנסות", "4,000.50"):
        assert expected in text, expected
    xlsx = await stub.ExportDashboard(
        pb.ExportDashboardRequest(dashboard_id=board.id, format=pb.EXPORT_FORMAT_XLSX),
        metadata=meta,
        timeout=30,
    )
    assert xlsx.filename == "לוח-מכירות.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["לידים לפי מקור", "סך הכנסות"]
    assert all(ws.sheet_view.rightToLeft for ws in wb.worksheets)
    assert [[c.value for c in r] for r in wb["לידים לפי מקור"].iter_rows()] == [
        ["מקור", "כמות"],
        ["radio", 3],
        ["tv", 1],
        ["web", 1],
    ]
    assert wb["סך הכנסות"]["A2"].value == pytest.approx(4000.5)
    # Another role does not see the dashboard.
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.RunDashboard(
            pb.RunDashboardRequest(dashboard_id=board.id),
            metadata=md(tenant, uuid.uuid4(), ["service"]),
            timeout=10,
        )
    assert exc.value.code() == grpc.StatusCode.NOT_FOUND
    # A report on a dashboard cannot be deleted; off the dashboard it can.
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.DeleteReportDefinition(
            pb.DeleteReportDefinitionRequest(report_id=total.id), metadata=meta, timeout=10
        )
    assert exc.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert "לוח מכירות" in exc.value.details()
    await stub.UpdateDashboard(
        pb.UpdateDashboardRequest(
            dashboard_id=board.id,
            name="לוח מכירות",
            items=[pb.DashboardItem(report_id=leads.id, chart=pb.CHART_KIND_BAR)],
        ),
        metadata=meta,
        timeout=10,
    )
    await stub.DeleteReportDefinition(
        pb.DeleteReportDefinitionRequest(report_id=total.id), metadata=meta, timeout=10
    )


async def test_r7_dashboard_item_must_be_a_visible_report_with_a_known_chart(builder, tenant):
    stub, _ = builder
    owner = uuid.uuid4()
    private = (
        await stub.CreateReportDefinition(
            pb.CreateReportDefinitionRequest(name="פרטי", definition=struct(BY_SOURCE)),
            metadata=md(tenant, owner, ["sales_rep"]),
            timeout=10,
        )
    ).report
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await stub.CreateDashboard(
            pb.CreateDashboardRequest(
                name="x",
                items=[
                    pb.DashboardItem(report_id=private.id, chart=pb.CHART_KIND_BAR),
                    pb.DashboardItem(report_id=private.id, x=10, w=6),
                ],
            ),
            metadata=md(tenant, uuid.uuid4(), ["sales_rep"]),
            timeout=10,
        )
    fields = {v.field for v in from_rpc_error(exc.value).violations}
    assert fields == {"items[0].report_id", "items[1].report_id", "items[1].chart", "items[1].w"}


async def test_r7_dashboard_item_that_no_longer_runs_reports_its_error_and_others_run(
    builder, tenant
):
    stub, sm = builder
    meta = md(tenant, uuid.uuid4(), ["admin"])
    ok, broken = [
        (
            await stub.CreateReportDefinition(
                pb.CreateReportDefinitionRequest(name=n, definition=struct(BY_SOURCE)),
                metadata=meta,
                timeout=10,
            )
        ).report
        for n in ("תקין", "שבור")
    ]
    board = (
        await stub.CreateDashboard(
            pb.CreateDashboardRequest(
                name="לוח",
                items=[
                    pb.DashboardItem(report_id=broken.id, chart=pb.CHART_KIND_BAR, y=0),
                    pb.DashboardItem(report_id=ok.id, chart=pb.CHART_KIND_TABLE, y=1),
                ],
            ),
            metadata=meta,
            timeout=10,
        )
    ).dashboard
    # A definition saved under an older registry that no longer validates.
    async with unit_of_work(sm, tenant_id=tenant) as s:
        await s.execute(
            text('UPDATE saved_report SET definition = \'{"subject": "widgets"}\' WHERE id = :id'),
            {"id": broken.id},
        )
    run = await stub.RunDashboard(
        pb.RunDashboardRequest(dashboard_id=board.id), metadata=meta, timeout=20
    )
    first, second = run.items
    assert first.title == "שבור" and "not valid" in first.error and not first.HasField("result")
    assert second.error == "" and len(second.result.rows) == 3
    pdf = await stub.ExportDashboard(
        pb.ExportDashboardRequest(dashboard_id=board.id), metadata=meta, timeout=30
    )
    assert pdf.content.startswith(b"%PDF")


async def test_r1_saved_report_pages_hold_only_what_the_caller_sees(builder):
    """R1 paged list: a rep's pages (page_size 2) hold their own 3 reports and the 1 shared
    with their role, newest first, each once, none of another user's private ones; a
    negative page_size and a foreign token are refused naming the field."""
    stub, _ = builder
    tenant, me, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    created: list[tuple[str, uuid.UUID, list[str]]] = []
    for i, (owner, shared) in enumerate(
        [(me, []), (other, []), (me, []), (other, ["sales_rep"]), (other, []), (me, [])]
    ):
        r = await stub.CreateReportDefinition(
            pb.CreateReportDefinitionRequest(
                name=f"דוח {i}", definition=struct(BY_SOURCE), shared_roles=shared
            ),
            metadata=md(tenant, owner, ["sales_rep"]),
            timeout=10,
        )
        created.append((r.report.id, owner, shared))
    expected = [rid for rid, owner, shared in reversed(created) if owner == me or shared]
    pages, token = [], ""
    while True:
        resp = await stub.ListReportDefinitions(
            pb.ListReportDefinitionsRequest(page_size=2, page_token=token),
            metadata=md(tenant, me, ["sales_rep"]),
            timeout=10,
        )
        pages.append([r.id for r in resp.reports])
        token = resp.next_page_token
        if not token:
            break
    assert pages == [expected[:2], expected[2:]]
    for bad, field in (
        (pb.ListReportDefinitionsRequest(page_size=-1), "page_size"),
        (pb.ListReportDefinitionsRequest(page_token="bm90LWEtdXVpZA"), "page_token"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.ListReportDefinitions(
                bad, metadata=md(tenant, me, ["sales_rep"]), timeout=10
            )
        assert [v.field for v in from_rpc_error(exc.value).violations] == [field]
