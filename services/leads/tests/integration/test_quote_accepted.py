"""B2/L5: a quote accepted by a lead (billing's QuoteAccepted) converts the lead, once."""

from __future__ import annotations

import datetime as dt
import uuid

from crm.events.billing.v1 import billing_events_pb2 as bev
from crm.leads.v1 import leads_service_pb2 as pb
from crm_common.context import CallContext, bind_context
from crm_common.db import unit_of_work, uuid7
from crm_common.kafka.consumer import Event
from crm_leads.consumers.quotes import QUOTE_TOPIC, on_quote_accepted
from crm_leads.main import app


async def deliver(server, tenant_id: uuid.UUID, lead_id: str) -> None:
    """Run the handler as the consumer runner does: tenant bound, one transaction."""
    event = Event(
        id=uuid7(),
        type="quote.accepted",
        tenant_id=tenant_id,
        occurred_at=dt.datetime.now(dt.UTC),
        topic=QUOTE_TOPIC,
        key="q",
        payload=bev.QuoteAccepted(
            document=bev.IssuedDocument(
                document_id=str(uuid7()), document_type="quote", number=7, lead_id=lead_id
            )
        ),
        headers={},
    )
    with bind_context(CallContext(tenant_id=tenant_id)):
        async with unit_of_work(server.sessionmaker, tenant_id=tenant_id) as session:
            await on_quote_accepted(session, event)


def test_b2_leads_subscribes_to_quote_accepted():
    assert ("crm.billing.quote", "quote.accepted") in {
        (s.topic, s.event_type) for s in app.subscriptions()
    }


class TestQuoteAccepted:
    async def test_b2_l5_accepted_quote_converts_the_lead_once(self, server):
        t = server.tenant()
        lead = (await t.lead(name="הצעה התקבלה")).lead
        await deliver(server, t.id, lead.id)
        await deliver(server, t.id, lead.id)  # a second acceptance changes nothing
        got = (await t.GetLead(pb.GetLeadRequest(lead_id=lead.id))).lead
        assert got.status == pb.LEAD_STATUS_CONVERTED
        assert len(await server.events(t.id, "lead.converted")) == 1

    async def test_b2_quote_to_a_customer_or_unknown_lead_changes_nothing(self, server):
        t = server.tenant()
        lead = (await t.lead()).lead
        await deliver(server, t.id, "")
        await deliver(server, t.id, str(uuid.uuid4()))
        other = server.tenant()
        await deliver(server, other.id, lead.id)  # another tenant's quote cannot touch it
        got = (await t.GetLead(pb.GetLeadRequest(lead_id=lead.id))).lead
        assert got.status == pb.LEAD_STATUS_NEW
        assert await server.events(t.id, "lead.converted") == []
