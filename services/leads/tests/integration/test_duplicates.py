"""L6 duplicates on capture (open leads + a read model of customers kept from contacts
events on the real broker) and merge keeping both histories."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

import grpc
import pytest
from confluent_kafka import Producer

from crm.events.contacts.v1 import customer_events_pb2 as cev
from crm.events.leads.v1 import lead_events_pb2 as ev
from crm.leads.v1 import leads_service_pb2 as pb
from crm_common.kafka import headers as h
from crm_common.kafka.consumer import ConsumerRunner
from crm_leads.main import app
from crm_leads.settings import LeadsSettings


async def test_l6_capture_reports_open_lead_matched_by_normalised_phone_or_email(server):
    t = server.tenant()
    first = (await t.lead(name="יוסי", phone="052-555-1234", email="Yossi@Example.co.il")).lead
    by_phone = await t.lead(name="יוסי כ.", phone="+972 52 555 1234")
    [match] = by_phone.duplicates
    assert (match.kind, match.lead_id, match.matched_on) == (
        pb.DUPLICATE_KIND_LEAD,
        first.id,
        "phone",
    )
    by_email = await t.lead(name="Y", email="yossi@example.co.il ")
    assert next(d.matched_on for d in by_email.duplicates) == "email"
    assert by_email.duplicates[0].lead_id == first.id
    # The captured event names the first match.
    rows = await server.events(t.id, "lead.captured")
    assert ev.LeadCaptured.FromString(rows[1].payload).duplicate_of_lead_id == first.id
    # Converted leads are no longer open: no match; another tenant never matches.
    await t.ConvertLead(pb.ConvertLeadRequest(lead_id=first.id))
    fresh = await server.tenant().lead(phone="052-555-1234")
    assert list(fresh.duplicates) == []


async def test_l6_merge_keeps_both_histories_and_fills_gaps(server):
    t = server.tenant()
    keep = (await t.lead(name="מיכל", phone="050-3333333")).lead
    dup = (
        await t.lead(name="מיכל לוי", phone="050-3333333", email="michal@x.co.il", city="רעננה")
    ).lead
    await t.AddLeadActivity(pb.AddLeadActivityRequest(lead_id=keep.id, kind="call", body="שיחה 1"))
    await t.AddLeadActivity(
        pb.AddLeadActivityRequest(lead_id=dup.id, kind="note", body="הערה מהכפיל")
    )
    deal = (
        await t.CreateDeal(pb.CreateDealRequest(title="d", lead_id=dup.id, amount_agorot=1))
    ).deal
    merged = (
        await t.MergeLeads(pb.MergeLeadsRequest(lead_id=keep.id, duplicate_lead_id=dup.id))
    ).lead
    assert merged.email == "michal@x.co.il" and merged.city == "רעננה" and merged.name == "מיכל"
    timeline = (
        await t.ListLeadActivities(pb.ListLeadActivitiesRequest(lead_id=keep.id))
    ).activities
    bodies = [a.body for a in timeline]
    assert "שיחה 1" in bodies and "הערה מהכפיל" in bodies
    assert [a.kind for a in timeline].count("captured") == 2
    gone = (await t.GetLead(pb.GetLeadRequest(lead_id=dup.id))).lead
    assert gone.status == pb.LEAD_STATUS_MERGED and gone.merged_into_id == keep.id
    assert (await t.GetDeal(pb.GetDealRequest(deal_id=deal.id))).deal.lead_id == keep.id
    [row] = await server.events(t.id, "lead.merged")
    assert ev.LeadMerged.FromString(row.payload).duplicate_lead_id == dup.id
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await t.MergeLeads(pb.MergeLeadsRequest(lead_id=keep.id, duplicate_lead_id=dup.id))
    assert exc.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await t.MergeLeads(pb.MergeLeadsRequest(lead_id=keep.id, duplicate_lead_id=keep.id))
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_l6_customers_from_contacts_events_are_matched_on_capture(server, embedded_broker):
    """customer.created on crm.contacts.customer -> read model -> capture says which customer."""
    t = server.tenant()
    party = uuid.uuid4()
    producer = Producer({"bootstrap.servers": embedded_broker.bootstrap_servers})
    producer.produce(
        "crm.contacts.customer",
        key=str(party).encode(),
        value=cev.CustomerCreated(
            party_id=str(party), name="לקוח קיים", phone="+972544567890", email="old@x.co.il"
        ).SerializeToString(),
        headers=[
            (h.EVENT_TYPE, "customer.created"),
            (h.EVENT_ID, str(uuid.uuid4())),
            (h.TENANT_ID, str(t.id)),
            (h.OCCURRED_AT, datetime.now(UTC).isoformat()),
        ],
    )
    assert producer.flush(10) == 0
    settings = LeadsSettings(
        database_url=server.url, kafka_bootstrap_servers=embedded_broker.bootstrap_servers
    )
    runner = ConsumerRunner(
        settings=settings,
        sessionmaker=server.sessionmaker,
        group_id=f"leads-test-{uuid.uuid4().hex[:6]}",
        subscriptions=app.subscriptions(),
    )
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    try:
        deadline = time.monotonic() + 30
        while runner.handled < 1 and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
    finally:
        stop.set()
        await task
    assert runner.handled >= 1
    got = await t.lead(name="מישהו", phone="054-4567890")
    [match] = got.duplicates
    assert (match.kind, match.party_id, match.name) == (
        pb.DUPLICATE_KIND_CUSTOMER,
        str(party),
        "לקוח קיים",
    )
    [row] = await server.events(t.id, "lead.captured")
    assert ev.LeadCaptured.FromString(row.payload).duplicate_of_party_id == str(party)
