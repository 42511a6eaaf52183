"""Leads over gRPC on a real PostgreSQL: the edge (tenant, errors, commit) and the use cases."""

from __future__ import annotations

import uuid
from pathlib import Path

import grpc
import pytest
from sqlalchemy import func, select, text

import crm_leads
from crm.events.leads.v1 import lead_events_pb2 as ev
from crm.leads.v1 import leads_service_pb2 as pb
from crm.leads.v1 import leads_service_pb2_grpc as pb_grpc
from crm_common.db import unit_of_work
from crm_common.grpc.errors import from_rpc_error
from crm_common.plumbing import outbox_table
from crm_devstack.testing import migrated_database, serve_in_process
from crm_leads.api.servicer import SERVICE_NAMES, register
from crm_leads.settings import LeadsSettings

MIGRATIONS = Path(crm_leads.__file__).parent / "migrations"


@pytest.fixture(scope="module")
async def leads(make_database):
    url = migrated_database(make_database, "leads_grpc", MIGRATIONS)
    async with serve_in_process(LeadsSettings, register, SERVICE_NAMES, url=url) as srv:
        yield pb_grpc.LeadsServiceStub(srv.channel), srv.sessionmaker


def md(tenant: uuid.UUID) -> tuple[tuple[str, str], ...]:
    return (("x-tenant-id", str(tenant)), ("x-user-id", str(uuid.uuid4())))


async def count_outbox(sessionmaker) -> int:
    async with unit_of_work(sessionmaker) as s:
        return (await s.execute(select(func.count()).select_from(outbox_table))).scalar_one()


class TestEdge:
    async def test_foundation_call_without_tenant_is_unauthenticated(self, leads):
        stub, _ = leads
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.ListLeads(pb.ListLeadsRequest(), timeout=5)
        assert exc.value.code() == grpc.StatusCode.UNAUTHENTICATED

    async def test_foundation_malformed_tenant_is_invalid_argument(self, leads):
        stub, _ = leads
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.ListLeads(
                pb.ListLeadsRequest(), metadata=(("x-tenant-id", "acme"),), timeout=5
            )
        assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT


class TestCreateLead:
    async def test_l1_create_writes_lead_and_captured_event_in_one_transaction(self, leads):
        stub, sessionmaker = leads
        tenant = uuid.uuid4()
        resp = await stub.CreateLead(
            pb.CreateLeadRequest(
                name="דנה לוי",
                phone="050-7654321",
                email="Dana@Example.com",
                source="Radio",
                campaign="spring",
            ),
            metadata=md(tenant),
            timeout=5,
        )
        lead = resp.lead
        assert lead.phone == "+972507654321"
        assert lead.email == "dana@example.com"
        assert lead.source == "radio"
        assert lead.status == pb.LEAD_STATUS_NEW
        assert uuid.UUID(lead.id).version == 7
        async with unit_of_work(sessionmaker) as s:
            row = (
                await s.execute(select(outbox_table).where(outbox_table.c.aggregate_id == lead.id))
            ).one()
        assert row.type == "lead.captured"
        assert row.topic == "crm.leads.lead"
        assert row.tenant_id == tenant
        captured = ev.LeadCaptured.FromString(row.payload)
        assert captured.party_id == lead.party_id
        assert captured.source == "radio"

    async def test_l1_invalid_lead_is_refused_with_every_violation_and_writes_nothing(self, leads):
        stub, sessionmaker = leads
        before = await count_outbox(sessionmaker)
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.CreateLead(
                pb.CreateLeadRequest(name="", phone="12", source="tiktok"),
                metadata=md(uuid.uuid4()),
                timeout=5,
            )
        err = from_rpc_error(exc.value)
        assert err.code == grpc.StatusCode.INVALID_ARGUMENT
        assert {v.field for v in err.violations} == {"name", "phone", "source"}
        assert await count_outbox(sessionmaker) == before

    async def test_l1_lead_needs_phone_or_email(self, leads):
        stub, _ = leads
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.CreateLead(
                pb.CreateLeadRequest(name="x", source="web"), metadata=md(uuid.uuid4()), timeout=5
            )
        assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT


class TestTenancy:
    async def test_a2_other_tenant_cannot_read_a_lead(self, leads):
        stub, _ = leads
        owner = uuid.uuid4()
        lead = (
            await stub.CreateLead(
                pb.CreateLeadRequest(name="a", email="a@b.co", source="web"),
                metadata=md(owner),
                timeout=5,
            )
        ).lead
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.GetLead(
                pb.GetLeadRequest(lead_id=lead.id), metadata=md(uuid.uuid4()), timeout=5
            )
        assert exc.value.code() == grpc.StatusCode.NOT_FOUND
        got = await stub.GetLead(pb.GetLeadRequest(lead_id=lead.id), metadata=md(owner), timeout=5)
        assert got.lead.id == lead.id

    async def test_a2_row_level_security_hides_other_tenants_rows(self, leads):
        """The second wall: even a query without a tenant filter sees only its tenant."""
        stub, sessionmaker = leads
        t1, t2 = uuid.uuid4(), uuid.uuid4()
        for t in (t1, t2):
            await stub.CreateLead(
                pb.CreateLeadRequest(name="x", email="x@y.co", source="web"),
                metadata=md(t),
                timeout=5,
            )
        async with unit_of_work(sessionmaker, tenant_id=t1) as s:
            tenants = set((await s.execute(text("SELECT DISTINCT tenant_id FROM leads"))).scalars())
        assert tenants == {t1}
        async with unit_of_work(sessionmaker) as s:  # no tenant set: nothing visible
            assert (await s.execute(text("SELECT count(*) FROM leads"))).scalar() == 0


class TestListLeads:
    async def test_l2_list_pages_newest_first(self, leads):
        stub, _ = leads
        tenant = uuid.uuid4()
        made = []
        for i in range(5):
            made.append(
                (
                    await stub.CreateLead(
                        pb.CreateLeadRequest(name=f"lead {i}", email=f"l{i}@x.co", source="web"),
                        metadata=md(tenant),
                        timeout=5,
                    )
                ).lead.id
            )
        seen, token = [], ""
        while True:
            page = await stub.ListLeads(
                pb.ListLeadsRequest(page_size=2, page_token=token), metadata=md(tenant), timeout=5
            )
            assert len(page.leads) <= 2
            seen.extend(x.id for x in page.leads)
            token = page.next_page_token
            if not token:
                break
        assert seen == list(reversed(made))


class TestConvertLead:
    async def test_l5_convert_emits_event_and_second_convert_is_refused(self, leads):
        stub, sessionmaker = leads
        tenant = uuid.uuid4()
        lead = (
            await stub.CreateLead(
                pb.CreateLeadRequest(name="c", email="c@x.co", source="web"),
                metadata=md(tenant),
                timeout=5,
            )
        ).lead
        converted = (
            await stub.ConvertLead(
                pb.ConvertLeadRequest(lead_id=lead.id), metadata=md(tenant), timeout=5
            )
        ).lead
        assert converted.status == pb.LEAD_STATUS_CONVERTED
        assert converted.party_id == lead.party_id
        assert converted.HasField("converted_at")
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.ConvertLead(
                pb.ConvertLeadRequest(lead_id=lead.id), metadata=md(tenant), timeout=5
            )
        err = from_rpc_error(exc.value)
        assert err.code == grpc.StatusCode.FAILED_PRECONDITION
        assert err.reason == "LEAD_ALREADY_CONVERTED"
        async with unit_of_work(sessionmaker) as s:
            types = list(
                (
                    await s.execute(
                        select(outbox_table.c.type)
                        .where(outbox_table.c.aggregate_id == lead.id)
                        .order_by(outbox_table.c.id)
                    )
                ).scalars()
            )
        assert types == ["lead.captured", "lead.converted"]

    async def test_l5_convert_unknown_or_malformed_id(self, leads):
        stub, _ = leads
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.ConvertLead(
                pb.ConvertLeadRequest(lead_id=str(uuid.uuid4())),
                metadata=md(uuid.uuid4()),
                timeout=5,
            )
        assert exc.value.code() == grpc.StatusCode.NOT_FOUND
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.ConvertLead(
                pb.ConvertLeadRequest(lead_id="nope"), metadata=md(uuid.uuid4()), timeout=5
            )
        assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
