"""L3 routing on a real PostgreSQL: ordered rules, round-robin and least-open in the
capture transaction, LeadAssigned, and each rep's own list."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from collections import Counter

import grpc
import pytest

from crm.events.leads.v1 import lead_events_pb2 as ev
from crm.leads.v1 import leads_service_pb2 as pb
from crm_common.grpc.errors import from_rpc_error


async def _team(t, strategy: str, n: int = 3):
    reps = [uuid.uuid4() for _ in range(n)]
    team = (
        await t.CreateSalesTeam(
            pb.CreateSalesTeamRequest(
                name="צוות צפון", strategy=strategy, member_ids=map(str, reps)
            )
        )
    ).team
    return team, reps


async def test_l3_first_matching_rule_by_source_product_city_language_wins(server):
    t = server.tenant()
    team, reps = await _team(t, "round_robin", 2)
    radio_rep, hebrew_haifa_rep, crm_rep = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    for position, kw in (
        (10, {"source": "radio", "owner_id": str(radio_rep)}),
        (20, {"city": "חיפה", "language": "he", "owner_id": str(hebrew_haifa_rep)}),
        (30, {"product_interest": "CRM", "owner_id": str(crm_rep)}),
        (99, {"team_id": team.id}),
    ):
        await t.CreateRoutingRule(
            pb.CreateRoutingRuleRequest(position=position, name=f"r{position}", **kw)
        )
    rules = (await t.ListRoutingRules(pb.ListRoutingRulesRequest())).rules
    assert [r.position for r in rules] == [10, 20, 30, 99]

    async def owner(**kw) -> str:
        return (await t.lead(**kw)).lead.owner_id

    assert await owner(source="radio", city="חיפה", language="he") == str(radio_rep)
    assert await owner(source="web", city="חיפה", language="HE") == str(hebrew_haifa_rep)
    assert await owner(source="web", city="חיפה", language="ar", product_interest="crm") == str(
        crm_rep
    )
    fallback = await t.lead(source="web", city="אילת")
    assert fallback.lead.owner_id in {str(r) for r in reps}
    assert fallback.assignment.strategy == "round_robin"
    assert fallback.assignment.rule_id == rules[-1].id
    assert fallback.lead.team_id == team.id


async def test_l3_assignment_is_in_the_capture_transaction_and_emits_lead_assigned(server):
    t = server.tenant()
    rep = uuid.uuid4()
    await t.CreateRoutingRule(
        pb.CreateRoutingRuleRequest(position=1, name="all", owner_id=str(rep))
    )
    lead = (await t.lead()).lead
    rows = await server.events(t.id)
    assert [r.type for r in rows] == ["lead.captured", "lead.assigned"]
    assigned = ev.LeadAssigned.FromString(rows[1].payload)
    assert (assigned.lead_id, assigned.owner_id, assigned.strategy) == (lead.id, str(rep), "rule")
    # No rule matched: the lead stays unassigned and no LeadAssigned is written.
    other = server.tenant()
    unrouted = await other.lead()
    assert unrouted.lead.owner_id == "" and not unrouted.HasField("assignment")
    assert [r.type for r in await server.events(other.id)] == ["lead.captured"]


async def test_l3_parallel_captures_never_get_the_same_round_robin_slot_twice_in_a_row(server):
    t = server.tenant()
    team, reps = await _team(t, "round_robin", 3)
    await t.CreateRoutingRule(pb.CreateRoutingRuleRequest(position=1, name="rr", team_id=team.id))
    results = await asyncio.gather(*(t.lead(name=f"ליד {i}") for i in range(45)))
    # Order by the slot the team counter handed out (the routing sequence).
    by_slot = await _owners_by_routing_seq(server, t.id)
    assert len(by_slot) == len(results) == 45
    assert all(a != b for a, b in itertools.pairwise(by_slot)), by_slot
    assert Counter(by_slot) == {str(r): 15 for r in reps}


async def _owners_by_routing_seq(server, tenant_id) -> list[str]:
    from sqlalchemy import text

    from crm_common.db import unit_of_work

    async with unit_of_work(server.sessionmaker, tenant_id=tenant_id) as s:
        rows = await s.execute(text("SELECT routing_seq, owner_id FROM leads ORDER BY routing_seq"))
        rows = rows.all()
    assert len({r.routing_seq for r in rows}) == len(rows), "a slot was handed out twice"
    return [str(r.owner_id) for r in rows]


async def test_l3_least_open_leads_goes_to_the_rep_with_fewest_open_leads(server):
    t = server.tenant()
    team, reps = await _team(t, "least_open", 3)
    # reps[0] already works 3 leads, reps[1] one; reps[2] none.
    for owner, n in ((reps[0], 3), (reps[1], 1)):
        for _ in range(n):
            await t.lead(owner_id=str(owner))
    await t.CreateRoutingRule(pb.CreateRoutingRuleRequest(position=1, name="lo", team_id=team.id))
    got = [(await t.lead()).lead.owner_id for _ in range(3)]
    # reps[2] gets one (0 -> 1), then reps[1] or reps[2] tie at 1, then the other.
    assert got[0] == str(reps[2])
    assert sorted(got[1:]) == sorted([str(reps[1]), str(reps[2])])
    # Parallel: totals even out and no rep is starved.
    await asyncio.gather(*(t.lead() for _ in range(9)))
    mine = {
        r: len((await t.ListLeads(pb.ListLeadsRequest(owner_id=str(r), page_size=200))).leads)
        for r in reps
    }
    assert sorted(mine.values()) == [5, 5, 6]
    assert sum(mine.values()) == 16


async def test_l3_each_rep_lists_only_their_own_leads_with_mine(server):
    t = server.tenant()
    team, reps = await _team(t, "round_robin", 2)
    await t.CreateRoutingRule(pb.CreateRoutingRuleRequest(position=1, name="rr", team_id=team.id))
    made = [(await t.lead()).lead for _ in range(4)]
    for rep in reps:
        listed = (await t.ListLeads(pb.ListLeadsRequest(mine=True), user=rep)).leads
        assert {x.owner_id for x in listed} == {str(rep)}
        assert len(listed) == 2
    assert len((await t.ListLeads(pb.ListLeadsRequest())).leads) == len(made)


async def test_l3_manual_reassignment_emits_lead_assigned(server):
    t = server.tenant()
    lead = (await t.lead()).lead
    rep = uuid.uuid4()
    got = (await t.AssignLead(pb.AssignLeadRequest(lead_id=lead.id, owner_id=str(rep)))).lead
    assert got.owner_id == str(rep) and got.version == 2
    [row] = await server.events(t.id, "lead.assigned")
    assert ev.LeadAssigned.FromString(row.payload).strategy == "manual"


async def test_l3_bad_team_and_rule_are_refused(server):
    t = server.tenant()
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await t.CreateSalesTeam(pb.CreateSalesTeamRequest(name="", strategy="random"))
    assert {v.field for v in from_rpc_error(exc.value).violations} == {
        "name",
        "strategy",
        "member_ids",
    }
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await t.CreateRoutingRule(pb.CreateRoutingRuleRequest(name="x"))
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await t.CreateRoutingRule(pb.CreateRoutingRuleRequest(name="x", team_id=str(uuid.uuid4())))
    assert exc.value.code() == grpc.StatusCode.NOT_FOUND
