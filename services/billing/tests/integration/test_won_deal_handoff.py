"""L8 / B2 hand-off on a real PostgreSQL: deal.won and customer.created race each other.

Leads publishes ``deal.won``; contacts publishes ``customer.created`` once it has consumed
the lead's conversion. Billing must open exactly one order and keep exactly one party
whichever comes first, and must not lose a won deal it cannot name yet.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid

import grpc
import pytest
from sqlalchemy import func, select, text

from crm.billing.v1 import billing_service_pb2 as pb
from crm.events.contacts.v1 import customer_events_pb2 as cev
from crm.events.leads.v1 import deal_events_pb2 as dev
from crm_billing.consumers.contacts import on_customer_created
from crm_billing.consumers.leads import on_deal_won
from crm_billing.handoff.models import WonDeal
from crm_billing.parties.models import Party
from crm_common.db import unit_of_work, uuid7
from crm_common.grpc.errors import from_rpc_error
from crm_common.kafka.consumer import Event
from crm_common.protoutil import timestamp

NOW = dt.datetime(2026, 11, 25, 21, 0, tzinfo=dt.UTC)


def _event(tenant_id: uuid.UUID, type_: str, topic: str, payload) -> Event:
    return Event(
        id=uuid7(),
        type=type_,
        tenant_id=tenant_id,
        occurred_at=dt.datetime.now(dt.UTC),
        topic=topic,
        key="",
        payload=payload,
        headers={},
    )


def deal_won(tenant_id: uuid.UUID, party_id: uuid.UUID, **kw) -> Event:
    payload = dev.DealWon(
        **{
            "deal_id": str(uuid7()),
            "party_id": str(party_id),
            "lead_id": str(uuid7()),
            "title": "מזגן אינוורטר",
            "account_name": "",
            "amount_agorot": 450_000,
            "currency": "ILS",
            "party_name": "רונית אברהם",
            "party_phone": "+972507654311",
            "party_email": "ronit@example.co.il",
            **kw,
        }
    )
    payload.won_at.CopyFrom(timestamp(NOW))
    return _event(tenant_id, "deal.won", "crm.leads.deal", payload)


def customer_created(tenant_id: uuid.UUID, party_id: uuid.UUID, **kw) -> Event:
    payload = cev.CustomerCreated(
        **{
            "party_id": str(party_id),
            "name": "רונית אברהם-כהן",
            "phone": "+972507654311",
            "email": "",
            **kw,
        }
    )
    payload.created_at.CopyFrom(timestamp(NOW + dt.timedelta(seconds=2)))
    return _event(tenant_id, "customer.created", "crm.contacts.customer", payload)


async def handle(server, tenant_id: uuid.UUID, *events: Event) -> None:
    """Each event in its own transaction, as the consumer loop does one by one."""
    for e in events:
        async with unit_of_work(server.sessionmaker, tenant_id=tenant_id) as s:
            handler = on_deal_won if e.type == "deal.won" else on_customer_created
            await handler(s, e)


async def orders(t, party_id: uuid.UUID) -> list[pb.Document]:
    got = await t.ListDocuments(pb.ListDocumentsRequest(party_id=str(party_id)))
    return [d for d in got.documents if d.type == pb.DOCUMENT_TYPE_ORDER]


async def parties(server, tenant_id: uuid.UUID) -> list[Party]:
    async with unit_of_work(server.sessionmaker, tenant_id=tenant_id) as s:
        return list((await s.execute(select(Party))).scalars())


async def won_deals(server, tenant_id: uuid.UUID) -> list[WonDeal]:
    async with unit_of_work(server.sessionmaker, tenant_id=tenant_id) as s:
        return list((await s.execute(select(WonDeal).order_by(WonDeal.received_at))).scalars())


async def test_l8_b2_deal_won_before_customer_created_opens_the_order_and_one_customer(server):
    t = server.tenant()
    party = uuid7()
    won = deal_won(t.id, party)
    await handle(server, t.id, won)
    (order,) = await orders(t, party)
    assert (order.customer_name, order.subtotal_agorot) == ("רונית אברהם", 450_000)
    assert order.lines[0].name_he == "מזגן אינוורטר"
    (p,) = await parties(server, t.id)
    assert (p.party_id, p.name, p.phone, p.email, p.origin) == (
        party,
        "רונית אברהם",
        "+972507654311",
        "ronit@example.co.il",
        "deal",
    )
    # contacts' customer arrives afterwards: the same party, now contacts' copy
    await handle(server, t.id, customer_created(t.id, party))
    (p,) = await parties(server, t.id)
    assert (p.name, p.phone, p.origin) == ("רונית אברהם-כהן", "+972507654311", "contacts")
    assert p.email == "ronit@example.co.il"  # contacts left it empty: the deal's stays
    got = (await t.GetParty(pb.GetPartyRequest(party_id=str(party)))).party
    assert got.name == "רונית אברהם-כהן"
    assert [o.document_id for o in await orders(t, party)] == [order.document_id]
    (row,) = await won_deals(server, t.id)
    assert (row.status, str(row.order_id)) == ("ordered", order.document_id)


async def test_l8_b2_customer_created_before_deal_won_still_opens_one_order(server):
    t = server.tenant()
    party = uuid7()
    await handle(server, t.id, customer_created(t.id, party, name="דני שמש"))
    await handle(server, t.id, deal_won(t.id, party, party_name="דני"))
    (order,) = await orders(t, party)
    assert order.customer_name == "דני שמש"  # contacts' copy is not overwritten by the deal's
    (p,) = await parties(server, t.id)
    assert (p.name, p.origin) == ("דני שמש", "contacts")
    # an account name on the deal names the order, as before
    await handle(server, t.id, deal_won(t.id, party, account_name='שמש בע"מ'))
    names = sorted(o.customer_name for o in await orders(t, party))
    assert names == ["דני שמש", 'שמש בע"מ']
    assert len(await parties(server, t.id)) == 1


async def test_l8_b2_a_won_deal_without_any_name_is_parked_until_its_customer_arrives(server):
    """No account name, no party name, no party on file: parked, not dead-lettered."""
    t = server.tenant()
    party = uuid7()
    first = deal_won(t.id, party, party_name="", party_phone="", party_email="")
    second = deal_won(t.id, party, party_name="", title="התקנה", amount_agorot=30_000)
    await handle(server, t.id, first, second)
    assert await orders(t, party) == []
    assert await parties(server, t.id) == []
    assert [r.status for r in await won_deals(server, t.id)] == ["parked", "parked"]
    # a customer of another party releases nothing
    await handle(server, t.id, customer_created(t.id, uuid7()))
    assert [r.status for r in await won_deals(server, t.id)] == ["parked", "parked"]
    await handle(server, t.id, customer_created(t.id, party, name="משה לוי"))
    made = await orders(t, party)
    assert sorted((o.customer_name, o.subtotal_agorot) for o in made) == [
        ("משה לוי", 30_000),
        ("משה לוי", 450_000),
    ]
    rows = await won_deals(server, t.id)
    assert [r.status for r in rows] == ["ordered", "ordered"]
    assert {str(r.order_id) for r in rows} == {o.document_id for o in made}


async def test_l8_b2_duplicate_deal_won_and_customer_created_are_no_ops(server):
    t = server.tenant()
    party = uuid7()
    won = deal_won(t.id, party)
    # the same deal again under a new event id (e.g. replayed from the DLQ): no second order
    again = _event(t.id, "deal.won", "crm.leads.deal", won.payload)
    created = customer_created(t.id, party)
    await handle(server, t.id, won, again, created, created, again)
    assert len(await orders(t, party)) == 1
    assert len(await parties(server, t.id)) == 1
    assert len(await won_deals(server, t.id)) == 1
    # parked, then the duplicates: still one row, one order once released
    other = uuid7()
    nameless = deal_won(t.id, other, party_name="")
    await handle(server, t.id, nameless, nameless)
    assert [r.status for r in await won_deals(server, t.id) if r.party_id == other] == ["parked"]
    released = customer_created(t.id, other, name="נועה")
    await handle(server, t.id, released, released, nameless)
    assert [o.customer_name for o in await orders(t, other)] == ["נועה"]


async def test_l8_b2_concurrent_customer_created_does_not_strand_a_parked_deal(server):
    """customer.created (uncommitted) and a nameless deal.won at once: the deal waits for the
    party's lock instead of parking where the customer's transaction cannot see it."""
    t = server.tenant()
    party = uuid7()
    nameless = deal_won(t.id, party, party_name="")

    async def waiting_on_lock() -> bool:
        async with unit_of_work(server.sessionmaker) as s:
            n = await s.execute(
                text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            )
            return n.scalar_one() > 0

    async with unit_of_work(server.sessionmaker, tenant_id=t.id) as s:
        await on_customer_created(s, customer_created(t.id, party, name="אבי"))
        task = asyncio.create_task(handle(server, t.id, nameless))
        for _ in range(400):
            if await waiting_on_lock() or task.done():
                break
            await asyncio.sleep(0.025)
        assert not task.done(), "deal.won did not wait for the party's customer.created"
    await task
    (order,) = await orders(t, party)
    assert order.customer_name == "אבי"
    assert [r.status for r in await won_deals(server, t.id)] == ["ordered"]
    async with unit_of_work(server.sessionmaker, tenant_id=t.id) as s:
        assert (await s.execute(select(func.count()).select_from(Party))).scalar_one() == 1


async def test_l8_b2_parked_won_deals_are_listed_by_status_and_paged(server):
    """ListWonDeals: the parked deals (waiting for their customer) can be seen, newest first."""
    t = server.tenant()
    waiting = uuid7()
    parked = [
        deal_won(t.id, waiting, party_name="", title=f"עסקה {i}", amount_agorot=1000 * (i + 1))
        for i in range(3)
    ]
    named = deal_won(t.id, uuid7())
    await handle(server, t.id, *parked, named)
    got = await t.ListWonDeals(pb.ListWonDealsRequest(status=pb.WON_DEAL_STATUS_PARKED))
    assert [w.title for w in got.won_deals] == ["עסקה 2", "עסקה 1", "עסקה 0"]
    first = got.won_deals[0]
    assert (first.party_id, first.amount_agorot, first.order_id) == (str(waiting), 3000, "")
    assert first.won_at.ToDatetime(dt.UTC) == NOW and first.received_at.seconds > 0
    assert got.next_page_token == ""
    (ordered,) = (
        await t.ListWonDeals(pb.ListWonDealsRequest(status=pb.WON_DEAL_STATUS_ORDERED))
    ).won_deals
    assert ordered.deal_id == named.payload.deal_id and ordered.order_id
    everything = await t.ListWonDeals(pb.ListWonDealsRequest())
    assert len(everything.won_deals) == 4
    # paged: two, then the last one
    page = await t.ListWonDeals(
        pb.ListWonDealsRequest(status=pb.WON_DEAL_STATUS_PARKED, page_size=2)
    )
    assert [w.title for w in page.won_deals] == ["עסקה 2", "עסקה 1"] and page.next_page_token
    rest = await t.ListWonDeals(
        pb.ListWonDealsRequest(
            status=pb.WON_DEAL_STATUS_PARKED, page_size=2, page_token=page.next_page_token
        )
    )
    assert [w.title for w in rest.won_deals] == ["עסקה 0"] and rest.next_page_token == ""
    # another tenant sees none of them
    assert (await server.tenant().ListWonDeals(pb.ListWonDealsRequest())).won_deals == []
    # released by customer.created: no longer parked
    await handle(server, t.id, customer_created(t.id, waiting, name="משה"))
    left = await t.ListWonDeals(pb.ListWonDealsRequest(status=pb.WON_DEAL_STATUS_PARKED))
    assert list(left.won_deals) == []


async def test_l8_list_won_deals_refuses_a_bad_page_token_or_status(server):
    t = server.tenant()
    for request, field in (
        (pb.ListWonDealsRequest(page_token="nope"), None),
        (pb.ListWonDealsRequest(status=9), "status"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await t.ListWonDeals(request)
        err = from_rpc_error(exc.value)
        assert err.code == grpc.StatusCode.INVALID_ARGUMENT
        assert field is None or [v.field for v in err.violations] == [field]


async def test_b2_nul_text_is_invalid_argument_at_the_edge(server):
    """A4: a NUL in a product's name used to fail as INTERNAL (PostgreSQL refuses \\x00); the
    shared gRPC edge answers INVALID_ARGUMENT naming the field, and nothing is stored."""
    t = server.tenant()
    request = pb.CreateProductRequest(
        sku="AC-1", name_he="מזגן\x00", unit="יח'", price_agorot=100_000,
        vat_category=pb.VAT_CATEGORY_STANDARD,
    )  # fmt: skip
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await t.CreateProduct(request)
    err = from_rpc_error(exc.value)
    assert err.code == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in err.violations] == ["name_he"]
    assert list((await t.ListProducts(pb.ListProductsRequest())).products) == []
    request.name_he = "מזגן"
    await t.CreateProduct(request)
