"""C6: CustomerTransferred with move_deals hands the party's open deals to the new owner."""

from __future__ import annotations

import datetime as dt
import uuid

from crm.events.contacts.v1 import contact_events_pb2 as cev
from crm.leads.v1 import leads_service_pb2 as pb
from crm_common.context import CallContext, bind_context
from crm_common.db import unit_of_work, uuid7
from crm_common.kafka.consumer import Event
from crm_leads.consumers.transfers import CONTACT_TOPIC, on_customer_transferred
from crm_leads.main import app


async def deliver(server, tenant_id: uuid.UUID, **fields) -> int:
    """Run the handler as the consumer runner does: tenant bound, one transaction."""
    event = Event(
        id=uuid7(),
        type="customer.transferred",
        tenant_id=tenant_id,
        occurred_at=dt.datetime.now(dt.UTC),
        topic=CONTACT_TOPIC,
        key=fields.get("party_id", ""),
        payload=cev.CustomerTransferred(**fields),
        headers={},
    )
    with bind_context(CallContext(tenant_id=tenant_id)):
        async with unit_of_work(server.sessionmaker, tenant_id=tenant_id) as session:
            return await on_customer_transferred(session, event)


def test_c6_leads_subscribes_to_customer_transferred():
    assert (CONTACT_TOPIC, "customer.transferred") in {
        (s.topic, s.event_type) for s in app.subscriptions()
    }


async def test_c6_transfer_with_deals_moves_only_the_partys_open_deals(server):
    t = server.tenant()
    [p] = (await t.ListPipelines(pb.ListPipelinesRequest())).pipelines
    won_stage = next(s for s in p.stages if s.kind == pb.STAGE_KIND_WON)
    lead = (await t.lead(company_name="מאפיית כהן")).lead
    open_deal = (await t.CreateDeal(pb.CreateDealRequest(title="פתוחה", lead_id=lead.id))).deal
    won = (await t.CreateDeal(pb.CreateDealRequest(title="נסגרה", lead_id=lead.id))).deal
    await t.MoveDealStage(pb.MoveDealStageRequest(deal_id=won.id, stage_id=won_stage.id))
    other_party = (await t.lead(company_name="אחר")).lead
    other = (await t.CreateDeal(pb.CreateDealRequest(title="אחר", lead_id=other_party.id))).deal
    new_owner = uuid.uuid4()

    # Without move_deals nothing moves.
    assert await deliver(server, t.id, party_id=lead.party_id, to_user_id=str(new_owner)) == 0
    # Another tenant's transfer of the same party id cannot touch these deals.
    assert (
        await deliver(
            server,
            server.tenant().id,
            party_id=lead.party_id,
            to_user_id=str(new_owner),
            move_deals=True,
        )
        == 0
    )
    moved = await deliver(
        server, t.id, party_id=lead.party_id, to_user_id=str(new_owner), move_deals=True
    )
    assert moved == 1

    async def get(deal_id):
        return (await t.GetDeal(pb.GetDealRequest(deal_id=deal_id))).deal

    got = await get(open_deal.id)
    assert got.owner_id == str(new_owner) and got.version == open_deal.version + 1
    assert (await get(won.id)).owner_id == won.owner_id
    assert (await get(other.id)).owner_id == other.owner_id
    # A repeat of the same transfer changes nothing more.
    again = await deliver(
        server, t.id, party_id=lead.party_id, to_user_id=str(new_owner), move_deals=True
    )
    assert again == 0
