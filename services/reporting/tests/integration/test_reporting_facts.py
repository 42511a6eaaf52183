"""R2-R6 data: every consumed event lands in its fact table, idempotent under late and repeated
events (REPORTING_SCHEMA.md). Expectations are written out by hand."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from crm.events.billing.v1 import billing_events_pb2 as bill
from crm.events.contacts.v1 import customer_events_pb2 as cust
from crm.events.contacts.v1 import task_events_pb2 as task_ev
from crm.events.leads.v1 import deal_events_pb2 as deal_ev
from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm.events.leads.v1 import target_events_pb2 as target_ev
from crm.events.messaging.v1 import message_events_pb2 as msg_ev
from crm_common.protoutil import timestamp

from .conftest import event

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 31, 20, 30, tzinfo=UTC)  # 23:30 Israel time (IDT), last day of March


def at(minutes: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def ids(n: int) -> list[str]:
    return [str(uuid.uuid4()) for _ in range(n)]


def stream(tenant: uuid.UUID) -> tuple[list, dict]:
    """One lead's whole life plus the other services' events, and the ids used."""
    lead, dup, party, deal, owner, team, stage1, stage2, pipe = ids(9)
    inv, rcpt, pay, pay2, msg, msg_in, call, task, task2, target = ids(10)
    k = {
        "lead": lead, "dup": dup, "party": party, "deal": deal, "owner": owner, "team": team,
        "stage1": stage1, "stage2": stage2, "inv": inv, "pay": pay, "pay2": pay2, "msg": msg,
        "msg_in": msg_in, "call": call, "task": task, "task2": task2, "target": target,
    }  # fmt: skip
    e = lambda m, minute: event(m, tenant_id=tenant, at=at(minute))  # noqa: E731
    doc = bill.IssuedDocument
    evs = [
        e(lead_ev.LeadCaptured(lead_id=lead, party_id=party, name="דנה כהן", source=" Facebook ",
                               campaign="חורף", channel="form", city="חיפה",
                               captured_at=timestamp(at(0))), 0),
        e(lead_ev.LeadCaptured(lead_id=dup, party_id=party, name="דנה", source="facebook",
                               duplicate_of_lead_id=lead, captured_at=timestamp(at(1))), 1),
        e(lead_ev.LeadAssigned(lead_id=lead, party_id=party, owner_id=owner, team_id=team,
                               assigned_at=timestamp(at(2))), 2),
        e(lead_ev.LeadActivityAdded(lead_id=lead, party_id=party, kind="call",
                                    added_at=timestamp(at(7))), 7),
        e(lead_ev.LeadActivityAdded(lead_id=lead, party_id=party, kind="note",
                                    added_at=timestamp(at(9))), 9),
        e(lead_ev.LeadQualified(lead_id=lead, party_id=party, owner_id=owner,
                                qualified_at=timestamp(at(10))), 10),
        e(lead_ev.LeadMerged(lead_id=lead, duplicate_lead_id=dup, party_id=party,
                             merged_at=timestamp(at(11))), 11),
        e(deal_ev.DealCreated(deal_id=deal, pipeline_id=pipe, stage_id=stage1, lead_id=lead,
                              party_id=party, amount_agorot=500_000, owner_id=owner,
                              created_at=timestamp(at(20))), 20),
        e(lead_ev.LeadConverted(lead_id=lead, party_id=party, deal_id=deal, owner_id=owner,
                                converted_at=timestamp(at(20))), 20),
        e(deal_ev.DealStageChanged(deal_id=deal, from_stage_id=stage1, to_stage_id=stage2,
                                   to_stage_name="הצעה", probability=60,
                                   changed_at=timestamp(at(80))), 80),
        e(deal_ev.DealWon(deal_id=deal, party_id=party, lead_id=lead, amount_agorot=480_000,
                          owner_id=owner, pipeline_id=pipe, won_at=timestamp(at(200))), 200),
        e(target_ev.TargetSet(target_id=target, owner_id=owner, period="month",
                              period_start="2026-04-01", amount_agorot=1_000_000, deal_count=3,
                              set_at=timestamp(at(30))), 30),
        e(target_ev.TargetSet(target_id=target, owner_id=owner, period="month",
                              period_start="2026-04-01", amount_agorot=2_000_000, deal_count=5,
                              set_at=timestamp(at(40))), 40),
        e(cust.CustomerCreated(party_id=party, name="דנה כהן בע\"מ", source_lead_id=lead,
                               created_at=timestamp(at(21))), 21),
        e(bill.InvoiceIssued(document=doc(document_id=inv, document_type="tax_invoice", number=7,
                                          party_id=party, issue_date="2026-04-01",
                                          subtotal_agorot=100_000, vat_agorot=18_000,
                                          total_agorot=118_000, issued_at=timestamp(at(210)))),
          210),
        e(bill.ReceiptIssued(document=doc(document_id=rcpt, document_type="receipt", number=8,
                                          party_id=party, base_document_id=inv,
                                          issue_date="2026-04-02", total_agorot=50_000,
                                          issued_at=timestamp(at(300)))), 300),
        e(bill.PaymentFailed(payment_id=pay, party_id=party, amount_agorot=50_000,
                             reason="declined", failed_at=timestamp(at(250))), 250),
        e(bill.PaymentReceived(payment_id=pay, party_id=party, method="credit_card",
                               amount_agorot=50_000, received_at=timestamp(at(290))), 290),
        e(bill.PaymentFailed(payment_id=pay2, party_id=party, amount_agorot=9_900,
                             reason="expired", failed_at=timestamp(at(295))), 295),
        e(msg_ev.MessageQueued(message_id=msg, party_id=party, channel="sms", purpose="marketing",
                               queued_at=timestamp(at(50))), 50),
        e(msg_ev.MessageSent(message_id=msg, party_id=party, channel="sms", segments=2,
                             cost_agorot=14, sent_at=timestamp(at(51))), 51),
        e(msg_ev.MessageStatusChanged(message_id=msg, status="read",
                                      changed_at=timestamp(at(60))), 60),
        e(msg_ev.MessageStatusChanged(message_id=msg, status="delivered",
                                      changed_at=timestamp(at(52))), 52),
        e(msg_ev.MessageReceived(message_id=msg_in, party_id=party, channel="whatsapp",
                                 received_at=timestamp(at(61))), 61),
        e(msg_ev.CallStarted(call_id=call, party_id=party, direction="out", agent_extension="101",
                             from_number="+97231234567", to_number="+972501234567",
                             started_at=timestamp(at(5))), 5),
        e(msg_ev.CallEnded(call_id=call, party_id=party, direction="out", agent_extension="101",
                           duration_seconds=95, answered=True, ended_at=timestamp(at(7))), 7),
        e(task_ev.TaskCreated(task_id=task, task_type_key="follow_up", party_id=party,
                              assignee_user_id=owner, creator_user_id=owner,
                              sla_due_at=timestamp(at(60)), created_at=timestamp(at(3))), 3),
        e(task_ev.TaskCompleted(task_id=task, task_type_key="follow_up", party_id=party,
                                assignee_user_id=owner, sla_met=True,
                                sla_due_at=timestamp(at(60)), completed_at=timestamp(at(30))), 30),
        e(task_ev.TaskCreated(task_id=task2, task_type_key="call_back", party_id=party,
                              assignee_user_id=owner, sla_due_at=timestamp(at(10)),
                              created_at=timestamp(at(4))), 4),
        e(task_ev.TaskSlaBreached(task_id=task2, task_type_key="call_back", party_id=party,
                                  assignee_user_id=owner, sla_due_at=timestamp(at(10)),
                                  detected_at=timestamp(at(11))), 11),
    ]  # fmt: skip
    return evs, k


async def test_r2_r6_every_event_lands_in_its_fact_table(db):
    """R2-R6 data: the hand-computed row of every fact table after one customer's story."""
    tenant = uuid.uuid4()
    evs, k = stream(tenant)
    await db.feed(*evs)
    U = uuid.UUID

    leads = {str(r["lead_id"]): r for r in await db.rows("lead_fact", tenant)}
    main, dup = leads[k["lead"]], leads[k["dup"]]
    assert main["source"] == "facebook" and main["campaign"] == "חורף"
    assert main["captured_at"] == at(0) and main["city"] == "חיפה"
    assert main["owner_id"] == U(k["owner"]) and main["team_id"] == U(k["team"])
    assert main["first_assigned_at"] == at(2)
    assert main["first_response_at"] == at(7)
    assert main["qualified_at"] == at(10)
    assert main["converted_at"] == at(20) and main["deal_id"] == U(k["deal"])
    assert main["is_duplicate"] is False and main["merged_into_lead_id"] is None
    assert dup["is_duplicate"] is True and dup["merged_into_lead_id"] == U(k["lead"])

    # GetLeadsBySource counts every captured lead, the duplicate too
    (count,) = await db.rows("lead_source_counts", tenant)
    assert (count["source"], count["leads"], count["last_captured_at"]) == ("facebook", 2, at(1))

    (party,) = await db.rows("party_dim", tenant)
    assert party["is_customer"] is True and party["lead_id"] == U(k["lead"])
    assert party["name"] == 'דנה כהן בע"מ' and party["source"] == "facebook"  # the customer's name
    assert party["owner_id"] == U(k["owner"]) and party["converted_at"] == at(20)

    (deal,) = await db.rows("deal_fact", tenant)
    assert (deal["status"], deal["won_at"], deal["amount_agorot"]) == ("won", at(200), 480_000)
    assert deal["stage_id"] == U(k["stage2"]) and deal["stage_name"] == "הצעה"
    assert deal["created_at"] == at(20)

    stages = await db.rows("deal_stage_fact", tenant)
    assert [(s["to_stage_id"], s["entered_at"], s["left_at"]) for s in stages] == [
        (U(k["stage1"]), at(20), at(80)),
        (U(k["stage2"]), at(80), None),
    ]

    (target,) = await db.rows("target_fact", tenant)
    assert (target["amount_agorot"], target["deal_count"]) == (2_000_000, 5)
    assert target["period_start"] == dt.date(2026, 4, 1)

    docs = {r["document_type"]: r for r in await db.rows("document_fact", tenant)}
    assert set(docs) == {"invoice", "receipt"}
    assert (docs["invoice"]["total_agorot"], docs["invoice"]["vat_agorot"]) == (118_000, 18_000)
    assert docs["receipt"]["base_document_id"] == U(k["inv"])

    pays = {str(r["payment_id"]): r for r in await db.rows("payment_fact", tenant)}
    assert (pays[k["pay"]]["status"], pays[k["pay"]]["occurred_at"]) == ("received", at(290))
    assert (pays[k["pay2"]]["status"], pays[k["pay2"]]["reason"]) == ("failed", "expired")

    msgs = {str(r["message_id"]): r for r in await db.rows("message_fact", tenant)}
    out, inbound = msgs[k["msg"]], msgs[k["msg_in"]]
    assert out["status"] == "read"  # a late "delivered" does not step back
    assert (out["queued_at"], out["sent_at"], out["delivered_at"], out["read_at"]) == (
        at(50), at(51), at(52), at(60)
    )  # fmt: skip
    assert (out["segments"], out["cost_agorot"], out["direction"]) == (2, 14, "out")
    assert (inbound["direction"], inbound["status"], inbound["sent_at"]) == (
        "in",
        "received",
        at(61),
    )

    (call,) = await db.rows("call_fact", tenant)
    assert (call["duration_seconds"], call["answered"], call["started_at"]) == (95, True, at(5))

    tasks = {str(r["task_id"]): r for r in await db.rows("task_fact", tenant)}
    assert tasks[k["task"]]["sla_met"] is True and tasks[k["task"]]["completed_at"] == at(30)
    assert tasks[k["task2"]]["sla_met"] is False
    assert tasks[k["task2"]]["sla_breached_at"] == at(11)
    assert tasks[k["task2"]]["completed_at"] is None


async def test_r2_r6_late_and_repeated_events_give_the_same_tables(db):
    """R2-R6 data: the same stream shuffled, reversed and delivered twice fills the same rows
    (a late lead.qualified before lead.captured is kept, a stale target or status loses)."""
    tenant = uuid.uuid4()
    evs, _ = stream(tenant)
    await db.feed(*evs)
    expected = await db.snapshot(tenant)

    for order in (list(reversed(evs)), random.Random(8).sample(evs, len(evs)), evs + evs):
        await db.truncate()
        await db.feed(*order)
        assert await db.snapshot(tenant) == expected


async def test_r2_contact_changed_keeps_the_partys_dynamic_field_values(db):
    """R1 data (builder fields): party_dim.attributes holds the contact's dynamic field values,
    decoded from JSON, replaced by each change (a cleared field disappears)."""
    from crm.events.contacts.v1 import contact_events_pb2 as contact_ev

    tenant, party, lead = uuid.uuid4(), str(uuid.uuid4()), str(uuid.uuid4())
    await db.feed(
        event(lead_ev.LeadCaptured(lead_id=lead, party_id=party, name="יוסי", source="google",
                                   captured_at=timestamp(at(0))), tenant_id=tenant, at=at(0)),
        event(contact_ev.ContactChanged(party_id=party, name="יוסי לוי",
                                        custom_fields={"tier": '"gold"', "seats": "5",
                                                       "tags": '["vip", "צפון"]'}),
              tenant_id=tenant, at=at(5)),
    )  # fmt: skip
    (row,) = await db.rows("party_dim", tenant)
    assert row["attributes"] == {"tier": "gold", "seats": 5, "tags": ["vip", "צפון"]}
    assert row["name"] == "יוסי לוי" and row["source"] == "google"

    await db.feed(
        event(contact_ev.ContactChanged(party_id=party, name="יוסי לוי",
                                        custom_fields={"tier": '"silver"'}),
              tenant_id=tenant, at=at(9)),
    )  # fmt: skip
    (row,) = await db.rows("party_dim", tenant)
    assert row["attributes"] == {"tier": "silver"}


async def test_r2_lead_without_capture_time_counts_at_the_event_time(db):
    """R2 data: a LeadCaptured without captured_at is filed at the event's occurred_at."""
    tenant, lead = uuid.uuid4(), str(uuid.uuid4())
    await db.feed(
        event(lead_ev.LeadCaptured(lead_id=lead, source="Radio"), tenant_id=tenant, at=at(3))
    )
    (row,) = await db.rows("lead_fact", tenant)
    assert (row["captured_at"], row["source"], row["party_id"]) == (at(3), "radio", None)
    (count,) = await db.rows("lead_source_counts", tenant)
    assert (count["source"], count["leads"], count["last_captured_at"]) == ("radio", 1, at(3))
    assert await db.rows("party_dim", tenant) == []
