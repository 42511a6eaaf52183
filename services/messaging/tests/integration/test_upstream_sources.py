"""Messaging reading other services over gRPC: a campaign to a saved contacts segment
(M3 + C7, the real contacts server on its own database), auto-dialer queues filled from
billing's lists (M2: lapsed customers, collections), and contacts' automation actions
sent through the pipeline (T5 -> M1)."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from datetime import UTC
from pathlib import Path

import grpc
import pytest
from sqlalchemy import func, select

import crm_contacts
from crm.billing.v1 import billing_service_pb2 as billing_pb
from crm.billing.v1 import billing_service_pb2_grpc as billing_grpc
from crm.contacts.v1 import card_service_pb2 as card_pb
from crm.contacts.v1 import card_service_pb2_grpc as card_grpc
from crm.events.contacts.v1 import task_events_pb2 as task_ev
from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_common.db import unit_of_work, uuid7
from crm_common.kafka.consumer import Event
from crm_contacts.api.servicer import SERVICE_NAMES as CONTACTS_SERVICES
from crm_contacts.api.servicer import register as register_contacts
from crm_contacts.settings import ContactsSettings
from crm_devstack.testing import migrated_database, serve_in_process
from crm_messaging.campaigns.models import Campaign, CampaignRecipient
from crm_messaging.consumers import actions
from crm_messaging.messages.models import Message

CONTACTS_MIGRATIONS = Path(crm_contacts.__file__).parent / "migrations"


class FakeBilling(billing_grpc.BillingServiceServicer):
    """Billing's two list RPCs over real gRPC, answering per tenant from canned rows.

    (The real billing derives them from issued invoices and payments; its own tests
    cover that. Here what matters is messaging's side of the wire.)
    """

    def __init__(self) -> None:
        self.lapsed: dict[str, list[billing_pb.LapsedCustomer]] = {}
        self.aging: dict[str, list[billing_pb.AgingRow]] = {}
        self.requests: list[tuple[str, object]] = []

    @staticmethod
    def _tenant(context) -> str:
        return dict(context.invocation_metadata()).get("x-tenant-id", "")

    async def ListLapsedCustomers(self, request, context):
        self.requests.append(("lapsed", request))
        if not request.sku or request.days <= 0:
            await context.abort(grpc.StatusCode.INVALID_ARGUMENT, "sku and days are required")
        return billing_pb.ListLapsedCustomersResponse(
            customers=self.lapsed.get(self._tenant(context), [])
        )

    async def GetAging(self, request, context):
        self.requests.append(("aging", request))
        return billing_pb.GetAgingResponse(rows=self.aging.get(self._tenant(context), []))


@pytest.fixture(scope="module")
async def contacts_server(make_database):
    url = migrated_database(make_database, "contacts_for_messaging", CONTACTS_MIGRATIONS)
    async with serve_in_process(
        ContactsSettings, register_contacts, CONTACTS_SERVICES, url=url
    ) as srv:
        yield srv.addr, card_grpc.CardServiceStub(srv.channel)


@pytest.fixture(scope="module")
async def billing_server():
    fake = FakeBilling()
    server = grpc.aio.server()
    billing_grpc.add_BillingServiceServicer_to_server(fake, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    yield f"127.0.0.1:{port}", fake
    await server.stop(None)


@pytest.fixture(scope="module")
def upstream_addrs(contacts_server, billing_server):
    # Pages of 2 so a 5-member segment takes three ListSegmentMembers calls.
    return {
        "contacts_addr": contacts_server[0],
        "billing_addr": billing_server[0],
        "segment_page_size": 2,
        "upstream_deadline_s": 5.0,
    }


async def invalid_fields(call) -> set[str]:
    from crm_common.grpc.errors import from_rpc_error

    with pytest.raises(grpc.aio.AioRpcError) as info:
        await call
    assert info.value.code() == grpc.StatusCode.INVALID_ARGUMENT, info.value.details()
    return {v.field for v in from_rpc_error(info.value).violations}


async def run_until_completed(dispatcher, stub, md, campaign_id, passes=30) -> pb.Campaign:
    for _ in range(passes):
        await dispatcher.run_once()
        c = await stub.GetCampaign(pb.GetCampaignRequest(campaign_id=campaign_id), metadata=md)
        if c.campaign.status in ("completed", "failed"):
            return c.campaign
        await asyncio.sleep(0.05)
    raise AssertionError(f"campaign not done: {c.campaign}")


class TestSegmentCampaign:
    async def test_m3_campaign_to_a_contacts_segment_is_snapshotted_once_and_sent_once(
        self, messaging, contacts_server, simulator, h, gateway
    ):
        stub, sessionmaker, _, dispatcher = messaging
        _, card = contacts_server
        tenant, owner, other = gateway.tenant, uuid.uuid4(), uuid.uuid4()
        cmd = (("x-tenant-id", str(tenant)), ("x-user-id", str(owner)))
        md_other = (("x-tenant-id", str(tenant)), ("x-user-id", str(other)))
        people = [("אורי", "054-610-0001"), ("בתיה", "054-610-0002"), ("גיל", "054-610-0003")]
        people += [("דפנה", "054-610-0004")]
        for first, phone in people:
            await card.CreateContact(
                card_pb.CreateContactRequest(first_name=first, last_name="לוי", phones=[phone]),
                metadata=cmd,
            )
        # In the segment without a phone: skipped, counted.
        await card.CreateContact(
            card_pb.CreateContactRequest(first_name="הדר", emails=["hadar@example.com"]),
            metadata=cmd,
        )
        # Not in the segment (another owner).
        await card.CreateContact(
            card_pb.CreateContactRequest(first_name="זיו", phones=["054-610-0099"]),
            metadata=md_other,
        )
        seg = (
            await card.CreateSegment(
                card_pb.CreateSegmentRequest(
                    name="לקוחות של אורי", filter=card_pb.ContactFilter(owner_user_id=str(owner))
                ),
                metadata=cmd,
            )
        ).segment
        await stub.PutTemplate(
            pb.PutTemplateRequest(
                template=pb.Template(
                    name="hello", channel=pb.CHANNEL_SMS, language="he", text="שלום {{first_name}}"
                )
            ),
            metadata=cmd,
        )

        # A segment that does not exist: a field error, nothing stored.
        fields = await invalid_fields(
            stub.CreateCampaign(
                pb.CreateCampaignRequest(
                    name="x",
                    channel=pb.CHANNEL_SMS,
                    purpose=pb.PURPOSE_TRANSACTIONAL,
                    template_name="hello",
                    segment_id=str(uuid.uuid4()),
                ),
                metadata=cmd,
            )
        )
        assert fields == {"segment_id"}
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            assert (await s.execute(select(func.count()).select_from(Campaign))).scalar() == 0

        # Through the gateway's REST route: segment_id and no recipient list.
        r = await gateway.client.post(
            "/v1/messaging/campaigns",
            json={
                "name": "מבצע חורף",
                "channel": "sms",
                "purpose": "transactional",
                "template": "hello",
                "segment_id": seg.id,
            },
            headers=gateway.auth,
        )
        assert r.status_code == 201, r.text
        created = r.json()
        assert created["segment_id"] == seg.id and created["progress"]["total"] == 0
        cid = created["id"]

        # First pass: the segment is resolved (3 pages) and snapshotted; nothing sent yet.
        await dispatcher.run_once()
        got = (
            await stub.GetCampaign(pb.GetCampaignRequest(campaign_id=cid), metadata=cmd)
        ).campaign
        assert got.HasField("resolved_at") and got.skipped_no_address == 1
        assert got.progress.total == 4 and got.status == "running"

        # Someone joins the segment after the snapshot: the running campaign ignores them.
        await card.CreateContact(
            card_pb.CreateContactRequest(first_name="חן", phones=["054-610-0005"]),
            metadata=cmd,
        )
        done = await run_until_completed(dispatcher, stub, cmd, cid)
        assert done.status == "completed" and done.progress.sent == 4
        per = simulator.received_per_recipient()
        expected = {f"+97254610000{i}" for i in range(1, 5)}
        assert {a: per[a] for a in expected} == dict.fromkeys(expected, 1)
        assert per["+972546100005"] == 0 and per["+972546100099"] == 0
        texts = {a.to: a.body["Body"] for a in simulator.accepted if a.to in expected}
        assert texts["+972546100002"] == "שלום בתיה"
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            rows = (
                await s.execute(
                    select(CampaignRecipient.party_id).where(
                        CampaignRecipient.campaign_id == uuid.UUID(cid)
                    )
                )
            ).all()
        assert len(rows) == 4 and all(r.party_id for r in rows)

    async def test_m3_a_segment_that_disappears_fails_the_campaign_with_a_reason(
        self, messaging, contacts_server, h
    ):
        """The segment is checked at creation; if it is gone when the campaign starts
        (here: contacts answers NOT_FOUND for another tenant's id), the campaign fails."""
        stub, sessionmaker, _, dispatcher = messaging
        _, card = contacts_server
        tenant = uuid.uuid4()
        md = h.md(tenant)
        seg = (
            await card.CreateSegment(
                card_pb.CreateSegmentRequest(name="s", filter=card_pb.ContactFilter(text="x")),
                metadata=md,
            )
        ).segment
        await stub.PutTemplate(
            pb.PutTemplateRequest(
                template=pb.Template(name="t", channel=pb.CHANNEL_SMS, language="he", text="hi")
            ),
            metadata=md,
        )
        c = (
            await stub.CreateCampaign(
                pb.CreateCampaignRequest(
                    name="gone",
                    channel=pb.CHANNEL_SMS,
                    purpose=pb.PURPOSE_TRANSACTIONAL,
                    template_name="t",
                    segment_id=seg.id,
                    scheduled_at=None,
                ),
                metadata=md,
            )
        ).campaign
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            row = await s.get(Campaign, uuid.UUID(c.id))
            row.segment_id = uuid.uuid4()  # as if the segment had been deleted
        done = await run_until_completed(dispatcher, stub, md, c.id)
        assert done.status == "failed" and "segment" in done.failure_reason
        assert done.progress.total == 0


class TestDialerSources:
    async def test_m2_dialer_fed_from_billings_lapsed_customers_and_collections(
        self, messaging, billing_server, h
    ):
        stub, _, _, _ = messaging
        _, fake = billing_server
        tenant = uuid.uuid4()
        md = h.md(tenant)
        p1, p2, p3 = (str(uuid.uuid4()) for _ in range(3))
        fake.lapsed[str(tenant)] = [
            billing_pb.LapsedCustomer(
                party_id=p1,
                customer_name="מכולת רון",
                phone="+972527000001",
                last_bought="2026-05-01",
            ),
            billing_pb.LapsedCustomer(party_id=p2, customer_name="אין טלפון", phone=""),
        ]
        fake.aging[str(tenant)] = [
            # Overdue more than 30 days: called.
            billing_pb.AgingRow(
                party_id=p3,
                customer_name="סטודיו נוי",
                phone="+972527000003",
                bucket_31_60_agorot=45_000,
                bucket_over_90_agorot=12_000,
            ),
            # Only current (0-30) balance: not a collections call.
            billing_pb.AgingRow(
                party_id=p1,
                customer_name="מכולת רון",
                phone="+972527000001",
                bucket_0_30_agorot=9_000,
            ),
        ]
        lapsed = await stub.EnqueueDialer(
            pb.EnqueueDialerRequest(
                queue="telemarketing", source="lapsed_customers", sku="COFFEE-1", days=90
            ),
            metadata=md,
        )
        assert (lapsed.added, lapsed.skipped) == (1, 0)
        assert fake.requests[-1][1].sku == "COFFEE-1" and fake.requests[-1][1].days == 90
        again = await stub.EnqueueDialer(
            pb.EnqueueDialerRequest(
                queue="telemarketing", source="lapsed_customers", sku="COFFEE-1", days=90
            ),
            metadata=md,
        )
        assert (again.added, again.skipped) == (0, 1)  # a number waits once per queue
        coll = await stub.EnqueueDialer(
            pb.EnqueueDialerRequest(queue="collections", source="collections"), metadata=md
        )
        assert coll.added == 1
        entry = (
            await stub.NextDialerEntry(
                pb.NextDialerEntryRequest(queue="collections", agent_extension="301"), metadata=md
            )
        ).entry
        assert (entry.phone, entry.party_id) == ("+972527000003", p3)
        assert "570.00 ₪" in entry.note
        tm = (
            await stub.NextDialerEntry(
                pb.NextDialerEntryRequest(queue="telemarketing", agent_extension="302"), metadata=md
            )
        ).entry
        assert tm.phone == "+972527000001" and "COFFEE-1" in tm.note
        # A higher floor leaves nobody to call.
        none = await stub.EnqueueDialer(
            pb.EnqueueDialerRequest(
                queue="collections2", source="collections", min_overdue_agorot=60_000
            ),
            metadata=md,
        )
        assert none.added == 0

    async def test_m2_bad_dialer_source_is_a_field_error_and_calls_nobody(
        self, messaging, billing_server, h
    ):
        stub, _, _, _ = messaging
        _, fake = billing_server
        md = h.md(uuid.uuid4())
        before = len(fake.requests)
        assert await invalid_fields(
            stub.EnqueueDialer(
                pb.EnqueueDialerRequest(queue="telemarketing", source="lapsed_customers"),
                metadata=md,
            )
        ) == {"sku", "days"}
        assert await invalid_fields(
            stub.EnqueueDialer(pb.EnqueueDialerRequest(queue="q", source="everyone"), metadata=md)
        ) == {"source"}
        assert await invalid_fields(
            stub.EnqueueDialer(
                pb.EnqueueDialerRequest(
                    queue="q",
                    source="collections",
                    entries=[pb.DialerEntry(phone="0527000009")],
                ),
                metadata=md,
            )
        ) == {"source"}
        assert len(fake.requests) == before

    async def test_m2_rest_dialer_source_through_the_gateway(self, gateway, billing_server):
        _, fake = billing_server
        c, auth = gateway.client, gateway.auth
        fake.lapsed[str(gateway.tenant)] = [
            billing_pb.LapsedCustomer(
                party_id=str(uuid.uuid4()),
                customer_name="קפה שחר",
                phone="+972527000077",
                last_bought="2026-06-30",
            )
        ]
        bad = await c.post(
            "/v1/messaging/dialer/telemarketing/entries",
            json={"source": "lapsed_customers"},
            headers=auth,
        )
        assert bad.status_code == 422
        assert bad.headers["content-type"] == "application/problem+json"
        assert {e["field"] for e in bad.json()["errors"]} == {"sku", "days"}
        ok = await c.post(
            "/v1/messaging/dialer/telemarketing/entries",
            json={"source": "lapsed_customers", "sku": "BEANS", "days": 60, "as_of": "2026-11-01"},
            headers=auth,
        )
        assert ok.status_code == 200, ok.text
        assert ok.json() == {"added": 1, "skipped": 0}
        assert fake.requests[-1][1].as_of == "2026-11-01"


def action_event(tenant, action: str, party_id: str, params: dict) -> Event:
    return Event(
        id=uuid7(),
        type="task.action_requested",
        tenant_id=tenant,
        occurred_at=dt.datetime.now(UTC),
        topic=actions.TASK_TOPIC,
        key="k",
        payload=task_ev.TaskActionRequested(
            task_id=str(uuid.uuid4()),
            rule_id=str(uuid.uuid4()),
            action=action,
            party_id=party_id,
            params=params,
        ),
        headers={},
    )


async def handle(sessionmaker, tenant, ev) -> None:
    async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
        await actions.on_task_action_requested(s, ev)


class TestAutomationActions:
    async def test_m1_task_action_send_message_goes_through_the_pipeline_once_per_event(
        self, messaging, simulator, h
    ):
        """T5 -> M1: contacts' rule action ``messaging.send_message`` with a template."""
        stub, sessionmaker, _, dispatcher = messaging
        tenant = uuid.uuid4()
        party = await h.add_party(sessionmaker, tenant, name="רונית שחר", phone="+972528880001")
        await stub.PutTemplate(
            pb.PutTemplateRequest(
                template=pb.Template(
                    name="after_visit",
                    channel=pb.CHANNEL_SMS,
                    language="he",
                    text="{{first_name}}, תודה על הביקור ({{title}})",
                )
            ),
            metadata=h.md(tenant),
        )
        ev = action_event(
            tenant,
            "messaging.send_message",
            str(party),
            {"channel": "sms", "template": "after_visit", "title": "התקנה"},
        )
        await handle(sessionmaker, tenant, ev)
        await handle(sessionmaker, tenant, ev)  # redelivered: nothing more
        # Not messaging's action: ignored.
        await handle(
            sessionmaker, tenant, action_event(tenant, "billing.issue_invoice", str(party), {})
        )
        for _ in range(5):
            await dispatcher.run_once()
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            rows = list((await s.execute(select(Message))).scalars())
        assert len(rows) == 1
        m = rows[0]
        assert m.idempotency_key == f"action:{ev.id}"
        assert (m.status, m.party_id, m.text) == ("sent", party, "רונית, תודה על הביקור (התקנה)")
        assert simulator.received_per_recipient()["+972528880001"] == 1

    async def test_m1_task_action_that_cannot_be_sent_is_dropped_and_stores_nothing(
        self, messaging, h
    ):
        """Unknown template, or an email action for a party without email: logged, nothing kept."""
        _, sessionmaker, _, _ = messaging
        tenant = uuid.uuid4()
        party = await h.add_party(sessionmaker, tenant, phone="+972528880002")
        await handle(
            sessionmaker,
            tenant,
            action_event(tenant, "messaging.send_sms", str(party), {"template": "nope"}),
        )
        await handle(
            sessionmaker,
            tenant,
            action_event(tenant, "messaging.send_email", str(party), {"subject": "a", "text": "b"}),
        )
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            assert (await s.execute(select(func.count()).select_from(Message))).scalar() == 0
