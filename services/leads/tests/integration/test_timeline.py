"""L2: a lead has its own timeline; every interaction is recorded and published."""

from __future__ import annotations

import uuid

import grpc
import pytest

from crm.events.leads.v1 import lead_events_pb2 as ev
from crm.leads.v1 import leads_service_pb2 as pb
from crm_common.grpc.errors import from_rpc_error


async def test_l2_interactions_are_on_the_lead_timeline_and_published(server):
    t = server.tenant()
    lead = (await t.lead(name="עדי")).lead
    rep = uuid.uuid4()
    await t.AddLeadActivity(
        pb.AddLeadActivityRequest(lead_id=lead.id, kind="call", body="שיחת היכרות, 5 דקות"),
        user=rep,
    )
    await t.AddLeadActivity(
        pb.AddLeadActivityRequest(lead_id=lead.id, kind="whatsapp", body="נשלחה הצעה")
    )
    timeline = (
        await t.ListLeadActivities(pb.ListLeadActivitiesRequest(lead_id=lead.id))
    ).activities
    assert [(a.kind, a.body) for a in timeline][1:] == [
        ("call", "שיחת היכרות, 5 דקות"),
        ("whatsapp", "נשלחה הצעה"),
    ]
    assert timeline[1].actor_id == str(rep)
    rows = await server.events(t.id, "lead.activity_added")
    added = [ev.LeadActivityAdded.FromString(r.payload) for r in rows]
    assert [(a.kind, a.lead_id, a.party_id) for a in added] == [
        ("call", lead.id, lead.party_id),
        ("whatsapp", lead.id, lead.party_id),
    ]


async def test_l2_bad_activity_is_refused_and_writes_nothing(server):
    t = server.tenant()
    lead = (await t.lead()).lead
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await t.AddLeadActivity(pb.AddLeadActivityRequest(lead_id=lead.id, kind="fax", body=""))
    err = from_rpc_error(exc.value)
    assert err.code == grpc.StatusCode.INVALID_ARGUMENT
    assert {v.field for v in err.violations} == {"kind", "body"}
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await t.AddLeadActivity(
            pb.AddLeadActivityRequest(lead_id=str(uuid.uuid4()), kind="note", body="x")
        )
    assert exc.value.code() == grpc.StatusCode.NOT_FOUND
    assert await server.events(t.id, "lead.activity_added") == []
