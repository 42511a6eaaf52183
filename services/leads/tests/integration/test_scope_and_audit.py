"""A1 record scope inside the leads service and A5 per-field audit, on a real PostgreSQL.

The server is registered the way ``crm-leads serve`` registers it
(``ServiceApp.register_with_audit``), so ``crm.audit.v1.AuditService`` is served too.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import grpc
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

import crm_leads
from crm.audit.v1 import audit_service_pb2 as apb
from crm.audit.v1 import audit_service_pb2_grpc as apb_grpc
from crm.leads.v1 import leads_service_pb2 as pb
from crm.leads.v1 import leads_service_pb2_grpc as pb_grpc
from crm_common.context import MAX_TEAM_MEMBERS
from crm_common.db import unit_of_work
from crm_common.grpc.errors import from_rpc_error
from crm_common.plumbing import audit_log_table
from crm_devstack.testing import migrated_database, serve_in_process
from crm_leads.main import app
from crm_leads.settings import LeadsSettings

MIGRATIONS = Path(crm_leads.__file__).parent / "migrations"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


@pytest.fixture(scope="module")
async def svc(make_database):
    url = migrated_database(make_database, "leads_scope_audit", MIGRATIONS)
    async with serve_in_process(
        LeadsSettings, app.register_with_audit, app.all_grpc_service_names, url=url, pool_size=5
    ) as srv:
        channel = srv.channel
        yield (
            pb_grpc.LeadsServiceStub(channel),
            apb_grpc.AuditServiceStub(channel),
            srv.sessionmaker,
        )


def md(
    tenant: uuid.UUID,
    user: uuid.UUID,
    scope: str | None = None,
    members: tuple[uuid.UUID, ...] = (),
    **extra: str,
) -> tuple[tuple[str, str], ...]:
    out = [("x-tenant-id", str(tenant)), ("x-user-id", str(user))]
    if scope:
        out.append(("x-record-scope", scope))
    if members:
        out.append(("x-team-members", ",".join(map(str, members))))
    out += [(k.replace("_", "-"), v) for k, v in extra.items()]
    return tuple(out)


async def _code(coro) -> grpc.StatusCode:
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await coro
    return exc.value.code()


@pytest.fixture(scope="module")
async def book(svc):
    """One tenant's leads and deals: rep A's, rep B's (A's team), rep C's, and an unowned one."""
    stub, _, _ = svc
    tenant, admin = uuid.uuid4(), uuid.uuid4()
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    leads: dict[str, str] = {}
    deals: dict[str, str] = {}
    for key, owner in (("a", a), ("b", b), ("c", c), ("none", None)):
        req = pb.CreateLeadRequest(
            name=f"ליד {key}",
            source="web",
            phone=f"050-76543{len(leads):02d}",
            owner_id=str(owner) if owner else "",
        )
        leads[key] = (await stub.CreateLead(req, metadata=md(tenant, admin), timeout=10)).lead.id
        deal = pb.CreateDealRequest(title=f"עסקה {key}", owner_id=str(owner) if owner else "")
        deals[key] = (await stub.CreateDeal(deal, metadata=md(tenant, admin), timeout=10)).deal.id
    return {
        "tenant": tenant,
        "admin": admin,
        "a": a,
        "b": b,
        "c": c,
        "leads": leads,
        "deals": deals,
    }


async def _listed(stub, meta) -> set[str]:
    leads = await stub.ListLeads(pb.ListLeadsRequest(page_size=100), metadata=meta, timeout=10)
    return {x.id for x in leads.leads}


async def _deals(stub, meta) -> set[str]:
    deals = await stub.ListDeals(pb.ListDealsRequest(page_size=100), metadata=meta, timeout=10)
    return {x.id for x in deals.deals}


async def test_a1_same_leads_three_scopes_list_and_get_exactly_their_rows(svc, book):
    stub, _, _ = svc
    t, L = book["tenant"], book["leads"]
    contexts = {
        # L3: the unassigned lead is the reps' shared queue: read by own and team scopes
        "own": (md(t, book["a"], "own"), {"a", "none"}),
        "team": (md(t, book["a"], "team", (book["a"], book["b"])), {"a", "b", "none"}),
        "all": (md(t, book["a"], "all"), {"a", "b", "c", "none"}),
        "none": (md(t, book["a"]), {"a", "b", "c", "none"}),
    }
    for name, (meta, visible) in contexts.items():
        assert await _listed(stub, meta) == {L[k] for k in visible}, name
        for key, lead_id in L.items():
            get = stub.GetLead(pb.GetLeadRequest(lead_id=lead_id), metadata=meta, timeout=10)
            if key in visible:
                assert (await get).lead.id == lead_id
            else:
                assert await _code(get) == grpc.StatusCode.NOT_FOUND, (name, key)


async def test_a1_same_deals_three_scopes_list_and_get_exactly_their_rows(svc, book):
    stub, _, _ = svc
    t, D = book["tenant"], book["deals"]
    for meta, visible in (
        (md(t, book["b"], "own"), {"b"}),
        (md(t, book["b"], "team", (book["a"], book["b"])), {"a", "b"}),
        (md(t, book["b"], "all"), set(D)),
    ):
        assert await _deals(stub, meta) == {D[k] for k in visible}
        for key, deal_id in D.items():
            get = stub.GetDeal(pb.GetDealRequest(deal_id=deal_id), metadata=meta, timeout=10)
            if key in visible:
                assert (await get).deal.id == deal_id
            else:
                assert await _code(get) == grpc.StatusCode.NOT_FOUND


async def test_a1_update_outside_the_scope_is_not_found_and_changes_nothing(svc, book):
    stub, _, _ = svc
    t, L = book["tenant"], book["leads"]
    rep_own = md(t, book["a"], "own")
    qualify = pb.QualifyLeadRequest(lead_id=L["b"], qualified=True)
    assert await _code(stub.QualifyLead(qualify, metadata=rep_own, timeout=10)) == (
        grpc.StatusCode.NOT_FOUND
    )
    assign = pb.AssignLeadRequest(lead_id=L["c"], owner_id=str(book["a"]))
    assert await _code(stub.AssignLead(assign, metadata=rep_own, timeout=10)) == (
        grpc.StatusCode.NOT_FOUND
    )
    team = md(t, book["a"], "team", (book["a"], book["b"]))
    assert await _code(stub.AssignLead(assign, metadata=team, timeout=10)) == (
        grpc.StatusCode.NOT_FOUND
    )
    everyone = md(t, book["admin"], "all")
    b = (await stub.GetLead(pb.GetLeadRequest(lead_id=L["b"]), metadata=everyone)).lead
    c = (await stub.GetLead(pb.GetLeadRequest(lead_id=L["c"]), metadata=everyone)).lead
    assert (b.status, b.version) == (pb.LEAD_STATUS_NEW, 1)
    assert (c.owner_id, c.version) == (str(book["c"]), 1)


async def test_a1_duplicate_check_stays_tenant_wide_for_a_scoped_rep(svc, book):
    """L2 duplicates are a tenant-wide fact: a rep (scope own) is told rep C has the phone."""
    stub, _, _ = svc
    t = book["tenant"]
    made = await stub.CreateLead(
        pb.CreateLeadRequest(name="שוב", source="web", phone="050-7654302"),
        metadata=md(t, book["a"], "own"),
        timeout=10,
    )
    assert book["leads"]["c"] in {d.lead_id for d in made.duplicates}


async def _audit_rows(sessionmaker, tenant: uuid.UUID, entity_id: str) -> list:
    async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
        stmt = (
            select(audit_log_table)
            .where(audit_log_table.c.entity_id == entity_id)
            .order_by(audit_log_table.c.id)
        )
        return list((await s.execute(stmt)).all())


async def test_a5_assigning_a_lead_records_before_after_actor_origin_and_trace(svc):
    stub, audit, sessionmaker = svc
    tenant, admin, rep = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    first, second = uuid.uuid4(), uuid.uuid4()
    lead = (
        await stub.CreateLead(
            pb.CreateLeadRequest(
                name="דנה", source="web", phone="050-7654399", owner_id=str(first)
            ),
            metadata=md(tenant, admin),
            timeout=10,
        )
    ).lead
    meta = md(
        tenant,
        rep,
        "all",
        x_actor_kind="user",
        x_client_ip="203.0.113.9",
        x_request_id="req-a5-1",
        traceparent=f"00-{TRACE_ID}-00f067aa0ba902b7-01",
    )
    await stub.AssignLead(
        pb.AssignLeadRequest(lead_id=lead.id, owner_id=str(second)), metadata=meta, timeout=10
    )
    rows = await _audit_rows(sessionmaker, tenant, lead.id)
    assert [r.action for r in rows] == ["create", "update"]
    created, updated = rows
    assert created.entity == "leads" and created.actor_kind == "user"
    assert created.actor_id == str(admin) and created.origin is None
    assert created.changes["name"] == [None, "דנה"]
    assert created.changes["phone"] == [None, "+972507654399"]
    assert updated.changes["owner_id"] == [str(first), str(second)]
    assert updated.changes["version"] == [1, 2]
    assert "name" not in updated.changes  # unchanged fields are left out
    assert (updated.actor_kind, updated.actor_id) == ("user", str(rep))
    assert (updated.origin, updated.request_id, updated.trace_id) == (
        "203.0.113.9",
        "req-a5-1",
        TRACE_ID,
    )
    # The activity written in the same call is its own record, same actor.
    async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
        activity = (
            await s.execute(
                select(audit_log_table).where(
                    audit_log_table.c.entity == "lead_activities",
                    audit_log_table.c.request_id == "req-a5-1",
                )
            )
        ).one()
    assert activity.changes["kind"] == [None, "assigned"]

    # Read back through crm.audit.v1.AuditService, as the gateway does.
    listed = await audit.ListAuditRecords(
        apb.ListAuditRecordsRequest(entity="leads", entity_id=lead.id),
        metadata=md(tenant, admin),
        timeout=10,
    )
    assert [r.action for r in listed.records] == ["update", "create"]  # newest first
    assert json.loads(listed.records[0].changes_json)["owner_id"] == [str(first), str(second)]
    assert listed.records[0].trace_id == TRACE_ID
    by_actor = await audit.ListAuditRecords(
        apb.ListAuditRecordsRequest(actor_id=str(rep), page_size=1),
        metadata=md(tenant, admin),
        timeout=10,
    )
    assert len(by_actor.records) == 1 and by_actor.next_page_token
    # Another tenant sees nothing of it.
    other = await audit.ListAuditRecords(
        apb.ListAuditRecordsRequest(entity_id=lead.id), metadata=md(uuid.uuid4(), admin)
    )
    assert list(other.records) == []
    bad = audit.ListAuditRecords(
        apb.ListAuditRecordsRequest(page_token="not-a-token"), metadata=md(tenant, admin)
    )
    assert await _code(bad) == grpc.StatusCode.INVALID_ARGUMENT


async def test_a5_a_refused_change_leaves_no_audit_record(svc, book):
    stub, _, sessionmaker = svc
    t = book["tenant"]
    before = await _audit_rows(sessionmaker, t, book["leads"]["b"])
    qualify = pb.QualifyLeadRequest(lead_id=book["leads"]["b"], qualified=False, reason="")
    assert await _code(stub.QualifyLead(qualify, metadata=md(t, book["admin"]))) == (
        grpc.StatusCode.INVALID_ARGUMENT
    )
    assert await _audit_rows(sessionmaker, t, book["leads"]["b"]) == before


async def test_a5_audit_log_refuses_update_and_delete_even_for_the_service_role(svc, book):
    _, _, sessionmaker = svc
    t = book["tenant"]
    assert await _audit_rows(sessionmaker, t, book["leads"]["a"])
    for sql in (
        "UPDATE audit_log SET action = 'forged'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ):
        with pytest.raises(DBAPIError, match="append-only"):
            async with unit_of_work(sessionmaker, tenant_id=t) as s:
                await s.execute(text(sql))
    rows = await _audit_rows(sessionmaker, t, book["leads"]["a"])
    assert rows and all(r.action == "create" for r in rows)


async def test_a1_malformed_scope_metadata_is_refused_at_the_edge(svc):
    stub, _, _ = svc
    tenant, user = uuid.uuid4(), uuid.uuid4()
    for extra in (
        {"x_team_members": "not-a-uuid"},
        {"x_actor_kind": "root"},
        {"x_team_members": ",".join(str(uuid.uuid4()) for _ in range(MAX_TEAM_MEMBERS + 1))},
    ):
        call = stub.ListLeads(pb.ListLeadsRequest(), metadata=md(tenant, user, "team", **extra))
        assert await _code(call) == grpc.StatusCode.INVALID_ARGUMENT, extra
    # The largest team the gateway sends fits in the metadata the servers accept.
    members = tuple(uuid.uuid4() for _ in range(MAX_TEAM_MEMBERS - 1))
    big_team = md(tenant, user, "team", members, x_client_ip="203.0.113.5")
    assert list((await stub.ListLeads(pb.ListLeadsRequest(), metadata=big_team)).leads) == []


async def _refused(coro) -> tuple[grpc.StatusCode, str | None]:
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await coro
    err = from_rpc_error(exc.value)
    return err.code, err.reason


async def test_a1_l3_rep_sees_unassigned_leads_claims_one_and_cannot_change_it_before(svc):
    """L3 + A1: an unassigned lead is the reps' shared queue. A rep (scope own) sees it in the
    list and can claim it (assign it to themselves), nothing else; another rep's lead stays
    invisible; once claimed it leaves the other reps' lists; a manager still sees all."""
    stub, _, _ = svc
    t, admin = uuid.uuid4(), uuid.uuid4()
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    async def create(name: str, phone: str, owner: uuid.UUID | None) -> str:
        req = pb.CreateLeadRequest(
            name=name, source="web", phone=phone, owner_id=str(owner) if owner else ""
        )
        return (await stub.CreateLead(req, metadata=md(t, admin), timeout=10)).lead.id

    queued = await create("ליד בתור", "050-7000001", None)
    of_b = await create("ליד של ב", "050-7000002", b)
    rep_a, rep_b = md(t, a, "own"), md(t, b, "own")
    assert await _listed(stub, rep_a) == {queued}
    assert await _listed(stub, rep_b) == {queued, of_b}
    got = await stub.GetLead(pb.GetLeadRequest(lead_id=queued), metadata=rep_a, timeout=10)
    assert got.lead.owner_id == ""
    get_b = stub.GetLead(pb.GetLeadRequest(lead_id=of_b), metadata=rep_a, timeout=10)
    assert await _code(get_b) == grpc.StatusCode.NOT_FOUND

    # not changeable before it is claimed, and a rep cannot hand it to someone else
    unclaimed = (grpc.StatusCode.PERMISSION_DENIED, "LEAD_UNCLAIMED")
    qualify = pb.QualifyLeadRequest(lead_id=queued, qualified=True)
    assert await _refused(stub.QualifyLead(qualify, metadata=rep_a, timeout=10)) == unclaimed
    note = pb.AddLeadActivityRequest(lead_id=queued, kind="note", body="התקשרתי")
    assert await _refused(stub.AddLeadActivity(note, metadata=rep_a, timeout=10)) == unclaimed
    convert = pb.ConvertLeadRequest(lead_id=queued)
    assert await _refused(stub.ConvertLead(convert, metadata=rep_a, timeout=10)) == unclaimed
    to_c = pb.AssignLeadRequest(lead_id=queued, owner_id=str(c))
    assert await _refused(stub.AssignLead(to_c, metadata=rep_a, timeout=10)) == (
        grpc.StatusCode.PERMISSION_DENIED,
        "LEAD_CLAIM_FOR_ANOTHER",
    )
    everyone = md(t, admin, "all")
    lead = (await stub.GetLead(pb.GetLeadRequest(lead_id=queued), metadata=everyone)).lead
    assert (lead.owner_id, lead.status, lead.version) == ("", pb.LEAD_STATUS_NEW, 1)

    # the claim
    claim = pb.AssignLeadRequest(lead_id=queued, owner_id=str(a))
    claimed = (await stub.AssignLead(claim, metadata=rep_a, timeout=10)).lead
    assert claimed.owner_id == str(a)
    assert (await stub.QualifyLead(qualify, metadata=rep_a, timeout=10)).lead.status == (
        pb.LEAD_STATUS_QUALIFIED
    )
    # now rep A's: gone from rep B's list, and B cannot claim it any more
    assert await _listed(stub, rep_b) == {of_b}
    late = pb.AssignLeadRequest(lead_id=queued, owner_id=str(b))
    assert await _code(stub.AssignLead(late, metadata=rep_b, timeout=10)) == (
        grpc.StatusCode.NOT_FOUND
    )
    # a manager (scope all) still sees every lead, and hands a queued one to anyone
    assert await _listed(stub, everyone) == {queued, of_b}
    another = await create("עוד ליד בתור", "050-7000003", None)
    handed = pb.AssignLeadRequest(lead_id=another, owner_id=str(c))
    assert (await stub.AssignLead(handed, metadata=everyone, timeout=10)).lead.owner_id == str(c)
    # a team lead (scope team) may give a queued lead to a member of the team
    third = await create("ליד שלישי", "050-7000004", None)
    team = md(t, b, "team", (a, b))
    to_a = pb.AssignLeadRequest(lead_id=third, owner_id=str(a))
    assert (await stub.AssignLead(to_a, metadata=team, timeout=10)).lead.owner_id == str(a)
