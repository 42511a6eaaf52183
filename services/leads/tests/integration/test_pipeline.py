"""L4 pipelines/stages/deals, L5 conversion, L7 targets, L8 DealWon on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import grpc
import pytest

from crm.events.leads.v1 import deal_events_pb2 as dev
from crm.events.leads.v1 import lead_events_pb2 as ev
from crm.events.leads.v1 import target_events_pb2 as tev
from crm.leads.v1 import leads_service_pb2 as pb
from crm_common.grpc.errors import from_rpc_error


async def _fails(coro, code):
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await coro
    err = from_rpc_error(exc.value)
    assert err.code == code, err
    return err


async def _default(t):
    [p] = (await t.ListPipelines(pb.ListPipelinesRequest())).pipelines
    return p, {s.name: s for s in p.stages}


async def test_l4_default_israeli_pipeline_is_discovery_relevance_closing(server):
    t = server.tenant()
    p, _stages = await _default(t)
    assert p.is_default
    assert [s.name for s in p.stages] == [
        "בירור צרכים",
        "בדיקת רלוונטיות",
        "סגירה",
        "נסגר בהצלחה",
        "לא נסגר",
    ]
    assert [s.probability for s in p.stages] == [10, 30, 70, 100, 0]
    assert [s.kind for s in p.stages][-2:] == [pb.STAGE_KIND_WON, pb.STAGE_KIND_LOST]
    # Asking again does not make another one.
    assert len((await t.ListPipelines(pb.ListPipelinesRequest())).pipelines) == 1


async def test_l4_pipelines_per_product_type_are_validated(server):
    t = server.tenant()
    made = (
        await t.CreatePipeline(
            pb.CreatePipelineRequest(
                name="התקנות",
                product_type="installation",
                stages=[
                    pb.StageDraft(name="סקר באתר", probability=20, kind=pb.STAGE_KIND_OPEN),
                    pb.StageDraft(name="הצעת מחיר", probability=60, kind=pb.STAGE_KIND_OPEN),
                    pb.StageDraft(name="זכייה", probability=100, kind=pb.STAGE_KIND_WON),
                    pb.StageDraft(name="הפסד", probability=0, kind=pb.STAGE_KIND_LOST),
                ],
            )
        )
    ).pipeline
    assert made.product_type == "installation" and len(made.stages) == 4
    # A lead interested in that product type gets its deal in that pipeline.
    lead = (await t.lead(product_interest="Installation")).lead
    deal = (await t.CreateDeal(pb.CreateDealRequest(title="t", lead_id=lead.id))).deal
    assert (deal.pipeline_id, deal.stage_id, deal.probability) == (made.id, made.stages[0].id, 20)
    other = (await t.CreateDeal(pb.CreateDealRequest(title="t"))).deal
    assert other.pipeline_id != made.id
    assert len((await t.ListPipelines(pb.ListPipelinesRequest())).pipelines) == 2
    err = await _fails(
        t.CreatePipeline(
            pb.CreatePipelineRequest(
                name="",
                stages=[pb.StageDraft(name="a", probability=120, kind=pb.STAGE_KIND_OPEN)],
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert {"name", "stages[0].probability", "stages"} <= {v.field for v in err.violations}


async def test_l4_deal_moves_keep_stage_history_and_validate(server):
    t = server.tenant()
    _p, st = await _default(t)
    lead = (await t.lead(name="חברת אופק", company_name='אופק בע"מ')).lead
    deal = (
        await t.CreateDeal(
            pb.CreateDealRequest(
                title="מערכת CRM לאופק",
                lead_id=lead.id,
                amount_agorot=1_250_000,
                expected_close_date="2027-01-31",
            )
        )
    ).deal
    assert deal.stage_id == st["בירור צרכים"].id and deal.probability == 10
    assert deal.currency == "ILS" and deal.account_name == 'אופק בע"מ'
    assert deal.version == 1 and len(deal.history) == 1
    moved = (
        await t.MoveDealStage(
            pb.MoveDealStageRequest(
                deal_id=deal.id, stage_id=st["בדיקת רלוונטיות"].id, expected_version=1
            )
        )
    ).deal
    assert (moved.probability, moved.version) == (30, 2)
    assert [h.to_stage_id for h in moved.history] == [
        st["בירור צרכים"].id,
        st["בדיקת רלוונטיות"].id,
    ]
    assert moved.history[1].from_stage_id == st["בירור צרכים"].id
    # Stale version: refused, nothing changes.
    await _fails(
        t.MoveDealStage(
            pb.MoveDealStageRequest(deal_id=deal.id, stage_id=st["סגירה"].id, expected_version=1)
        ),
        grpc.StatusCode.ABORTED,
    )
    # A stage of another pipeline, a lost stage without a reason.
    other = server.tenant()
    _, other_st = await _default(other)
    await _fails(
        t.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=other_st["סגירה"].id)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    err = await _fails(
        t.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=st["לא נסגר"].id)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert [v.field for v in err.violations] == ["lost_reason_id"]
    reasons = (await t.ListLostReasons(pb.ListLostReasonsRequest())).reasons
    assert "מחיר" in [r.label for r in reasons]
    custom = (await t.CreateLostReason(pb.CreateLostReasonRequest(label="נדחה לשנה הבאה"))).reason
    lost = (
        await t.MoveDealStage(
            pb.MoveDealStageRequest(
                deal_id=deal.id, stage_id=st["לא נסגר"].id, lost_reason_id=custom.id
            )
        )
    ).deal
    assert lost.status == pb.DEAL_STATUS_LOST and lost.lost_reason_id == custom.id
    await _fails(
        t.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=st["סגירה"].id)),
        grpc.StatusCode.FAILED_PRECONDITION,
    )
    [lost_ev] = await server.events(t.id, "deal.lost")
    assert dev.DealLost.FromString(lost_ev.payload).lost_reason == "נדחה לשנה הבאה"
    assert len(await server.events(t.id, "deal.stage_changed")) == 2


async def test_l4_concurrent_stage_moves_lose_no_update(server):
    """Two reps move the same deal at once with the version they read: one wins, one is ABORTED."""
    t = server.tenant()
    _, st = await _default(t)
    deal = (await t.CreateDeal(pb.CreateDealRequest(title="d", amount_agorot=100))).deal
    results = await asyncio.gather(
        *(
            t.MoveDealStage(
                pb.MoveDealStageRequest(deal_id=deal.id, stage_id=st[name].id, expected_version=1)
            )
            for name in ("בדיקת רלוונטיות", "סגירה", "בדיקת רלוונטיות", "סגירה")
        ),
        return_exceptions=True,
    )
    ok = [r for r in results if not isinstance(r, Exception)]
    aborted = [r for r in results if isinstance(r, grpc.aio.AioRpcError)]
    assert len(ok) == 1 and len(aborted) == 3
    assert {e.code() for e in aborted} == {grpc.StatusCode.ABORTED}
    final = (await t.GetDeal(pb.GetDealRequest(deal_id=deal.id))).deal
    assert final.version == 2 and len(final.history) == 2
    assert final.stage_id == ok[0].deal.stage_id
    # Without expected_version, parallel moves serialise on the row lock: every move is in history.
    await asyncio.gather(
        *(
            t.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=st[n].id))
            for n in ("בירור צרכים",)
        )
    )
    final = (await t.GetDeal(pb.GetDealRequest(deal_id=deal.id))).deal
    assert final.version == 3 and len(final.history) == 3


async def test_l4_qualify_and_disqualify_lead(server):
    t = server.tenant()
    lead = (await t.lead()).lead
    q = (await t.QualifyLead(pb.QualifyLeadRequest(lead_id=lead.id, qualified=True))).lead
    assert q.status == pb.LEAD_STATUS_QUALIFIED
    await _fails(
        t.QualifyLead(pb.QualifyLeadRequest(lead_id=lead.id, qualified=False)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    d = (
        await t.QualifyLead(
            pb.QualifyLeadRequest(lead_id=lead.id, qualified=False, reason="לא רלוונטי")
        )
    ).lead
    assert d.status == pb.LEAD_STATUS_DISQUALIFIED and d.disqualify_reason == "לא רלוונטי"
    types = [r.type for r in await server.events(t.id)]
    assert types == ["lead.captured", "lead.qualified", "lead.disqualified"]
    kinds = [
        a.kind
        for a in (
            await t.ListLeadActivities(pb.ListLeadActivitiesRequest(lead_id=lead.id))
        ).activities
    ]
    assert kinds == ["captured", "qualified", "disqualified"]


async def test_l8_won_deal_emits_deal_won_with_amount_and_party(server):
    t = server.tenant()
    _, st = await _default(t)
    lead = (await t.lead(company_name="מאפיית כהן")).lead
    lead_conv, deal = None, None
    conv = await t.ConvertLead(
        pb.ConvertLeadRequest(
            lead_id=lead.id,
            create_account=True,
            deal=pb.DealDraft(
                title="תוכנה למאפייה", amount_agorot=4_990_00, expected_close_date="2027-02-01"
            ),
        )
    )
    lead_conv, deal = conv.lead, conv.deal
    assert lead_conv.status == pb.LEAD_STATUS_CONVERTED
    assert deal.party_id == lead.party_id and deal.account_name == "מאפיית כהן"
    won = (
        await t.MoveDealStage(
            pb.MoveDealStageRequest(deal_id=deal.id, stage_id=st["נסגר בהצלחה"].id)
        )
    ).deal
    assert won.status == pb.DEAL_STATUS_WON and won.HasField("closed_at")
    [row] = await server.events(t.id, "deal.won")
    assert row.topic == "crm.leads.deal"
    won_ev = dev.DealWon.FromString(row.payload)
    assert (won_ev.deal_id, won_ev.party_id, won_ev.amount_agorot, won_ev.currency) == (
        deal.id,
        lead.party_id,
        499000,
        "ILS",
    )


async def test_l5_convert_with_account_and_deal_keeps_history_and_refuses_twice(server):
    t = server.tenant()
    lead = (await t.lead(name="שירן", company_name="שירן עיצובים")).lead
    early = (
        await t.CreateDeal(
            pb.CreateDealRequest(title="ייעוץ", lead_id=lead.id, amount_agorot=50000)
        )
    ).deal
    assert early.party_id == lead.party_id  # the customer-to-be
    await t.AddLeadActivity(
        pb.AddLeadActivityRequest(lead_id=lead.id, kind="call", body="שיחה ראשונה")
    )
    conv = await t.ConvertLead(
        pb.ConvertLeadRequest(
            lead_id=lead.id,
            create_account=True,
            account_name='שירן עיצובים בע"מ',
            deal=pb.DealDraft(title="פרויקט", amount_agorot=100000),
        )
    )
    assert conv.deal.party_id == lead.party_id
    # The earlier deal now belongs to the customer too; the timeline stays on the lead.
    assert (await t.GetDeal(pb.GetDealRequest(deal_id=early.id))).deal.party_id == lead.party_id
    kinds = [
        a.kind
        for a in (
            await t.ListLeadActivities(pb.ListLeadActivitiesRequest(lead_id=lead.id))
        ).activities
    ]
    assert kinds == ["captured", "deal", "call", "deal", "converted"]
    [row] = await server.events(t.id, "lead.converted")
    converted = ev.LeadConverted.FromString(row.payload)
    assert converted.party_id == lead.party_id
    assert converted.account_name == 'שירן עיצובים בע"מ' and converted.deal_id == conv.deal.id
    err = await _fails(
        t.ConvertLead(pb.ConvertLeadRequest(lead_id=lead.id)), grpc.StatusCode.FAILED_PRECONDITION
    )
    assert err.reason == "LEAD_ALREADY_CONVERTED"
    # A refused conversion wrote nothing more.
    assert len(await server.events(t.id, "lead.converted")) == 1


async def test_l5_account_needs_a_name(server):
    t = server.tenant()
    lead = (await t.lead()).lead
    err = await _fails(
        t.ConvertLead(pb.ConvertLeadRequest(lead_id=lead.id, create_account=True)),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert [v.field for v in err.violations] == ["account_name"]
    assert (await t.GetLead(pb.GetLeadRequest(lead_id=lead.id))).lead.status == pb.LEAD_STATUS_NEW


async def test_l7_targets_per_rep_and_team_with_actuals_from_won_deals(server):
    t = server.tenant()
    _, st = await _default(t)
    a, b = uuid.uuid4(), uuid.uuid4()
    team = (
        await t.CreateSalesTeam(
            pb.CreateSalesTeamRequest(name="מכירות", member_ids=[str(a), str(b)])
        )
    ).team
    month = dt.datetime.now(ZoneInfo("Asia/Jerusalem")).date().replace(day=1)
    q_month = (month.month - 1) // 3 * 3 + 1
    quarter = month.replace(month=q_month)
    await t.SetSalesTarget(
        pb.SetSalesTargetRequest(
            owner_id=str(a),
            period=pb.TARGET_PERIOD_MONTH,
            period_start=month.isoformat(),
            amount_agorot=1_000_000,
            deal_count=5,
        )
    )
    await t.SetSalesTarget(
        pb.SetSalesTargetRequest(
            team_id=team.id,
            period=pb.TARGET_PERIOD_QUARTER,
            period_start=quarter.isoformat(),
            amount_agorot=9_000_000,
            deal_count=20,
        )
    )
    # Setting again updates the same target.
    await t.SetSalesTarget(
        pb.SetSalesTargetRequest(
            owner_id=str(a),
            period=pb.TARGET_PERIOD_MONTH,
            period_start=month.isoformat(),
            amount_agorot=1_200_000,
            deal_count=6,
        )
    )
    for owner, amount, stage in (
        (a, 300_000, "נסגר בהצלחה"),
        (a, 200_000, "נסגר בהצלחה"),
        (b, 700_000, "נסגר בהצלחה"),
        (a, 999_999, "סגירה"),
    ):
        d = (
            await t.CreateDeal(
                pb.CreateDealRequest(title="x", amount_agorot=amount, owner_id=str(owner))
            )
        ).deal
        await t.MoveDealStage(pb.MoveDealStageRequest(deal_id=d.id, stage_id=st[stage].id))
    targets = (await t.ListSalesTargets(pb.ListSalesTargetsRequest())).targets
    by = {(x.owner_id or x.team_id): x for x in targets}
    assert len(targets) == 2
    rep = by[str(a)]
    assert (rep.amount_agorot, rep.deal_count, rep.actual_amount_agorot, rep.actual_deal_count) == (
        1_200_000,
        6,
        500_000,
        2,
    )
    tm = by[team.id]
    assert (tm.actual_amount_agorot, tm.actual_deal_count) == (1_200_000, 3)
    assert len(await server.events(t.id, "target.set")) == 3
    assert (
        tev.TargetSet.FromString(
            (await server.events(t.id, "target.set"))[-1].payload
        ).amount_agorot
        == 1_200_000
    )
    err = await _fails(
        t.SetSalesTarget(
            pb.SetSalesTargetRequest(
                period=pb.TARGET_PERIOD_QUARTER, period_start="2027-02-01", amount_agorot=-1
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert {"owner_id", "period_start", "amount_agorot"} <= {v.field for v in err.violations}


async def test_l4_list_deals_by_status_owner_stage_and_mine_with_pages(server):
    t = server.tenant()
    _, st = await _default(t)
    rep = uuid.uuid4()
    made = []
    for i in range(5):
        made.append(
            (
                await t.CreateDeal(
                    pb.CreateDealRequest(
                        title=f"עסקה {i}", amount_agorot=i, owner_id=str(rep) if i % 2 else ""
                    )
                )
            ).deal
        )
    await t.MoveDealStage(
        pb.MoveDealStageRequest(deal_id=made[0].id, stage_id=st["נסגר בהצלחה"].id)
    )
    seen, token = [], ""
    while True:
        page = await t.ListDeals(pb.ListDealsRequest(page_size=2, page_token=token))
        seen += [d.id for d in page.deals]
        token = page.next_page_token
        if not token:
            break
    assert seen == [d.id for d in reversed(made)]
    won = (await t.ListDeals(pb.ListDealsRequest(status=pb.DEAL_STATUS_WON))).deals
    assert [d.id for d in won] == [made[0].id]
    mine = (await t.ListDeals(pb.ListDealsRequest(mine=True), user=rep)).deals
    assert {d.id for d in mine} == {made[1].id, made[3].id}
    first = (await t.ListDeals(pb.ListDealsRequest(stage_id=st["בירור צרכים"].id))).deals
    assert len(first) == 4


async def test_l8_winning_a_deal_of_an_open_lead_converts_the_lead(server):
    """The close hands the prospect on: LeadConverted (same party id) beside DealWon."""
    t = server.tenant()
    _, st = await _default(t)
    lead = (await t.lead(name="גיל", company_name="גיל הובלות")).lead
    await t.QualifyLead(pb.QualifyLeadRequest(lead_id=lead.id, qualified=True))
    deal = (
        await t.CreateDeal(pb.CreateDealRequest(title="הובלה", lead_id=lead.id, amount_agorot=9900))
    ).deal
    assert deal.party_id == lead.party_id
    await t.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal.id, stage_id=st["נסגר בהצלחה"].id))
    got = (await t.GetLead(pb.GetLeadRequest(lead_id=lead.id))).lead
    assert got.status == pb.LEAD_STATUS_CONVERTED
    types = [r.type for r in await server.events(t.id) if r.type in ("deal.won", "lead.converted")]
    assert types == ["deal.won", "lead.converted"]
    [row] = await server.events(t.id, "lead.converted")
    converted = ev.LeadConverted.FromString(row.payload)
    assert (converted.party_id, converted.deal_id) == (lead.party_id, deal.id)
    # A second won deal of the (now converted) lead converts nothing again.
    d2 = (
        await t.CreateDeal(pb.CreateDealRequest(title="עוד", lead_id=lead.id, amount_agorot=1))
    ).deal
    await t.MoveDealStage(pb.MoveDealStageRequest(deal_id=d2.id, stage_id=st["נסגר בהצלחה"].id))
    assert len(await server.events(t.id, "lead.converted")) == 1


async def _won_event(server, t, deal_id: str) -> dev.DealWon:
    _, st = await _default(t)
    await t.MoveDealStage(pb.MoveDealStageRequest(deal_id=deal_id, stage_id=st["נסגר בהצלחה"].id))
    [row] = [
        r
        for r in await server.events(t.id, "deal.won")
        if dev.DealWon.FromString(r.payload).deal_id == deal_id
    ]
    return dev.DealWon.FromString(row.payload)


async def test_l8_deal_won_carries_the_lead_party_for_billing(server):
    """L8/B2: a lead without a company wins a deal (no account_name): DealWon still names the
    party, with the lead's phone and email, so billing can open the order before it hears of
    the customer."""
    t = server.tenant()
    lead = (await t.lead(name="רונית אברהם", phone="050-7654311", email="Ronit@Example.co.il")).lead
    deal = (
        await t.CreateDeal(pb.CreateDealRequest(title="מזגן", lead_id=lead.id, amount_agorot=5000))
    ).deal
    won = await _won_event(server, t, deal.id)
    assert won.account_name == ""
    assert (won.party_id, won.party_name, won.party_phone, won.party_email) == (
        lead.party_id,
        "רונית אברהם",
        "+972507654311",
        "ronit@example.co.il",
    )
    assert won.party_company_name == ""
    lead2 = (await t.lead(name="יוסי", phone="050-7654312", company_name="יוסי בניה")).lead
    deal2 = (
        await t.CreateDeal(pb.CreateDealRequest(title="גג", lead_id=lead2.id, amount_agorot=700))
    ).deal
    won2 = await _won_event(server, t, deal2.id)
    assert (won2.account_name, won2.party_name, won2.party_company_name) == (
        "יוסי בניה",
        "יוסי",
        "יוסי בניה",
    )


async def test_l8_deal_won_of_an_existing_customer_carries_the_known_name(server):
    """L8: a deal opened on a customer (no lead) names the party from contacts' read model;
    a party leads never heard of leaves the name empty (billing parks that order)."""
    from crm.events.contacts.v1 import customer_events_pb2 as cev
    from crm_common.db import unit_of_work, uuid7
    from crm_common.kafka.consumer import Event
    from crm_leads.consumers.customers import on_customer_created

    t = server.tenant()
    party = uuid7()
    payload = cev.CustomerCreated(party_id=str(party), name="דני שמש", email="dani@example.co.il")
    async with unit_of_work(server.sessionmaker, tenant_id=t.id) as s:
        await on_customer_created(
            s,
            Event(
                id=uuid7(),
                type="customer.created",
                tenant_id=t.id,
                occurred_at=dt.datetime.now(dt.UTC),
                topic="crm.contacts.customer",
                key=str(party),
                payload=payload,
                headers={},
            ),
        )
    known = (
        await t.CreateDeal(
            pb.CreateDealRequest(title="חידוש", party_id=str(party), amount_agorot=1000)
        )
    ).deal
    won = await _won_event(server, t, known.id)
    assert (won.party_id, won.party_name, won.party_phone, won.party_email) == (
        str(party),
        "דני שמש",
        "",
        "dani@example.co.il",
    )
    stranger = (
        await t.CreateDeal(
            pb.CreateDealRequest(title="זר", party_id=str(uuid7()), amount_agorot=1000)
        )
    ).deal
    assert (await _won_event(server, t, stranger.id)).party_name == ""


async def test_l4_text_with_a_nul_character_is_invalid_argument_not_internal(server):
    """PostgreSQL refuses \\x00 in text: every leads RPC answers INVALID_ARGUMENT naming the
    field (it used to fail with INTERNAL), and nothing is stored."""
    t = server.tenant()
    before = (await t.ListPipelines(pb.ListPipelinesRequest())).pipelines
    err = await _fails(
        t.CreatePipeline(
            pb.CreatePipelineRequest(
                name="שירות\x00",
                stages=[
                    pb.StageDraft(name="פתוח", probability=10, kind=pb.STAGE_KIND_OPEN),
                    pb.StageDraft(name="זכ\x00ייה", probability=100, kind=pb.STAGE_KIND_WON),
                    pb.StageDraft(name="הפסד", probability=0, kind=pb.STAGE_KIND_LOST),
                ],
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert [v.field for v in err.violations] == ["name", "stages[1].name"]
    after = (await t.ListPipelines(pb.ListPipelinesRequest())).pipelines
    assert [p.id for p in after] == [p.id for p in before]
    err = await _fails(
        t.CreateLead(
            pb.CreateLeadRequest(name="דנה", source="web", email="d@x.co.il", note="\x00")
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert [v.field for v in err.violations] == ["note"]
    err = await _fails(
        t.CreateLeadImport(
            pb.CreateLeadImportRequest(
                filename="leads.csv", content="name,phone\nדנה\x00,0507654321\n".encode()
            )
        ),
        grpc.StatusCode.INVALID_ARGUMENT,
    )
    assert [v.field for v in err.violations] == ["content"]
    assert (await t.ListLeads(pb.ListLeadsRequest())).leads == []
