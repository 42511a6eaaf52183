"""L1/L2/L3 lead list: filters (status, owner, source, stage, created range, free text),
sorting and cursor pagination on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import grpc
import pytest
from google.protobuf.timestamp_pb2 import Timestamp

from crm.leads.v1 import leads_service_pb2 as pb


async def _all(t, **kw) -> list[pb.Lead]:
    out, token = [], ""
    while True:
        page = await t.ListLeads(pb.ListLeadsRequest(page_size=2, page_token=token, **kw))
        assert len(page.leads) <= 2
        out.extend(page.leads)
        token = page.next_page_token
        if not token:
            return out


@pytest.fixture(scope="module")
async def data(server):
    t = server.tenant()
    rep = uuid.uuid4()
    names = ["תמר", "אבי", "גלית", "בני", "דנה"]
    made = []
    for i, name in enumerate(names):
        made.append(
            (
                await t.lead(
                    name=name,
                    phone=f"050-44444{i:02d}",
                    email=f"{['tamar', 'avi', 'galit', 'beni', 'dana'][i]}@shop.co.il",
                    source="radio" if i % 2 else "web",
                    owner_id=str(rep) if i < 2 else "",
                )
            ).lead
        )
        await asyncio.sleep(0.01)
    return t, rep, made


async def test_l2_pages_newest_first_by_default_and_by_name_both_ways(data):
    t, _, made = data
    assert [x.id for x in await _all(t)] == [x.id for x in reversed(made)]
    assert [x.id for x in await _all(t, order_by="created_at asc")] == [x.id for x in made]
    by_name = [x.name for x in await _all(t, order_by="name")]
    assert by_name == sorted(by_name) == ["אבי", "בני", "גלית", "דנה", "תמר"]
    assert [x.name for x in await _all(t, order_by="name desc")] == list(reversed(by_name))


async def test_l2_filters_status_owner_source_created_range_text(data):
    t, rep, made = data
    assert {x.id for x in await _all(t, source="radio")} == {made[1].id, made[3].id}
    assert {x.id for x in await _all(t, owner_id=str(rep))} == {made[0].id, made[1].id}
    await t.QualifyLead(pb.QualifyLeadRequest(lead_id=made[2].id, qualified=True))
    assert [x.id for x in await _all(t, status=pb.LEAD_STATUS_QUALIFIED)] == [made[2].id]
    after = Timestamp()
    after.CopyFrom(made[2].created_at)
    assert {x.id for x in await _all(t, created_after=after)} == {m.id for m in made[2:]}
    assert {x.id for x in await _all(t, created_before=after)} == {m.id for m in made[:2]}
    assert [x.name for x in await _all(t, query="גלי")] == ["גלית"]
    assert [x.name for x in await _all(t, query="DANA@")] == ["דנה"]
    assert [x.name for x in await _all(t, query="050-4444403")] == ["בני"]
    assert [x.name for x in await _all(t, query="5044444")] != []
    assert await _all(t, query="%") == []


async def test_l4_filter_by_stage_of_the_leads_open_deal(data, server):
    t, _, made = data
    [p] = (await t.ListPipelines(pb.ListPipelinesRequest())).pipelines
    await t.CreateDeal(pb.CreateDealRequest(title="x", lead_id=made[4].id, amount_agorot=1))
    got = await _all(t, stage_id=p.stages[0].id)
    assert [x.id for x in got] == [made[4].id]
    assert await _all(t, stage_id=p.stages[1].id) == []


async def test_l2_bad_filters_are_invalid_argument(data):
    t, _, _ = data
    for req in (
        pb.ListLeadsRequest(order_by="phone"),
        pb.ListLeadsRequest(page_token="garbage!"),
        pb.ListLeadsRequest(owner_id="me"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await t.ListLeads(req)
        assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
