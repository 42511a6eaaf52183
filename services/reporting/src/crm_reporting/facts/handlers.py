"""Event handlers that fill the analytical tables (R1-R6 data). They flush; the consumer commits.

Every handler is an upsert of a partial row (see :mod:`crm_reporting.facts.upsert`), so an event
that arrives before the one that creates its row (``lead.qualified`` before ``lead.captured``),
or twice, is never lost and never double counted.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import case, literal, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.billing.v1 import billing_events_pb2 as bill
from crm.events.contacts.v1 import contact_events_pb2 as contact_ev
from crm.events.contacts.v1 import customer_events_pb2 as cust
from crm.events.contacts.v1 import task_events_pb2 as task_ev
from crm.events.leads.v1 import deal_events_pb2 as deal_ev
from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm.events.leads.v1 import target_events_pb2 as target_ev
from crm.events.messaging.v1 import message_events_pb2 as msg_ev
from crm_common.kafka.consumer import Event
from crm_reporting.facts.models import (
    CallFact,
    DealFact,
    DealStageFact,
    DocumentFact,
    LeadFact,
    MessageFact,
    PartyDim,
    PaymentFact,
    TargetFact,
    TaskFact,
)
from crm_reporting.facts.upsert import Upsert, day, ts, uid, upsert, upsert_all
from crm_reporting.facts.upsert import text as txt
from crm_reporting.lead_sources import service as lead_sources
from crm_reporting.lead_sources.models import LeadSourceCount

# --------------------------------------------------------------------------- leads: lead


def _party_row(event: Event, party_id, values, rules=None) -> Upsert | None:
    if party_id is None:
        return None
    return Upsert(
        PartyDim,
        keys={"tenant_id": event.tenant_id, "party_id": party_id},
        values={**values, "updated_at": event.occurred_at},
        rules={**(rules or {}), "updated_at": "greatest"},
    )


async def _party(session: AsyncSession, event: Event, party_id, values, rules=None) -> None:
    await upsert_all(session, _party_row(event, party_id, values, rules))


def _lead_row(
    event: Event, lead_id, values: dict[str, Any], rules: dict[str, str]
) -> Upsert | None:
    """Complete a lead's row; make a partial one (placeholder capture time) if none yet."""
    if lead_id is None:
        return None
    return Upsert(
        LeadFact,
        keys={"tenant_id": event.tenant_id, "lead_id": lead_id},
        values={"captured_at": event.occurred_at, **values},
        rules={"captured_at": "skip", **rules},
    )


async def _lead(
    session: AsyncSession, event: Event, lead_id, values: dict[str, Any], rules: dict[str, str]
) -> None:
    await upsert_all(session, _lead_row(event, lead_id, values, rules))


async def on_lead_captured(session: AsyncSession, event: Event[lead_ev.LeadCaptured]) -> None:
    """The lead's row, its party's, and the per-source count of GetLeadsBySource (which
    counts every captured lead, duplicates too): one statement."""
    p = event.payload
    lead_id = uid(p.lead_id)
    captured_at = ts(p, "captured_at") or event.occurred_at
    source = lead_sources.source_key(p.source)
    count = Upsert(
        LeadSourceCount,
        keys={"tenant_id": event.tenant_id, "source": source},
        values={"leads": 1, "last_captured_at": captured_at},
        rules={"leads": "skip", "last_captured_at": "greatest"},
        extra=lambda c, ex: {"leads": c.leads + ex.leads},
    )
    if lead_id is None:
        await upsert_all(session, count)
        return
    values = {
        "party_id": uid(p.party_id),
        "source": source,
        "campaign": txt(p.campaign) or txt(p.utm_campaign),
        "channel": txt(p.channel),
        "product_interest": txt(p.product_interest),
        "city": txt(p.city),
        "captured_at": captured_at,
        "is_duplicate": bool(p.duplicate_of_lead_id),
    }
    # lead.captured owns the capture fields: a partial row made by a late event took a
    # placeholder capture time, which this replaces.
    lead = Upsert(
        LeadFact,
        keys={"tenant_id": event.tenant_id, "lead_id": lead_id},
        values=values,
        rules={"captured_at": "always", "is_duplicate": "skip"},
        extra=lambda c, ex: {"is_duplicate": c.is_duplicate | ex.is_duplicate},
    )
    # a duplicate leaves the party alone: its source and campaign are its original lead's
    party = (
        None
        if values["is_duplicate"]
        else _party_row(
            event,
            uid(p.party_id),
            {
                "lead_id": lead_id,
                "name": txt(p.name),
                "source": source,
                "campaign": values["campaign"],
                "captured_at": captured_at,
            },
            {"lead_id": "first", "captured_at": "least", "name": "first"},
        )
    )
    await upsert_all(session, lead, party, count)


async def on_lead_assigned(session: AsyncSession, event: Event[lead_ev.LeadAssigned]) -> None:
    p = event.payload
    at = ts(p, "assigned_at") or event.occurred_at
    values = {"owner_id": uid(p.owner_id), "team_id": uid(p.team_id), "first_assigned_at": at}
    await upsert_all(
        session,
        _lead_row(event, uid(p.lead_id), values, {"first_assigned_at": "least"}),
        _party_row(
            event, uid(p.party_id), {"owner_id": values["owner_id"], "team_id": values["team_id"]}
        ),
    )


async def on_lead_qualified(session: AsyncSession, event: Event[lead_ev.LeadQualified]) -> None:
    p = event.payload
    values = {
        "qualified_at": ts(p, "qualified_at") or event.occurred_at,
        "owner_id": uid(p.owner_id),
        "party_id": uid(p.party_id),
    }
    await _lead(
        session,
        event,
        uid(p.lead_id),
        values,
        {"qualified_at": "least", "owner_id": "first", "party_id": "first"},
    )


async def on_lead_disqualified(
    session: AsyncSession, event: Event[lead_ev.LeadDisqualified]
) -> None:
    p = event.payload
    values = {
        "disqualified_at": ts(p, "disqualified_at") or event.occurred_at,
        "disqualify_reason": txt(p.reason),
        "party_id": uid(p.party_id),
    }
    await _lead(
        session, event, uid(p.lead_id), values, {"disqualified_at": "greatest", "party_id": "first"}
    )


async def on_lead_converted(session: AsyncSession, event: Event[lead_ev.LeadConverted]) -> None:
    p = event.payload
    at = ts(p, "converted_at") or event.occurred_at
    values = {
        "converted_at": at,
        "deal_id": uid(p.deal_id),
        "owner_id": uid(p.owner_id),
        "party_id": uid(p.party_id),
    }
    await upsert_all(
        session,
        _lead_row(
            event,
            uid(p.lead_id),
            values,
            {"converted_at": "least", "owner_id": "first", "party_id": "first"},
        ),
        _party_row(
            event,
            uid(p.party_id),
            {"lead_id": uid(p.lead_id), "converted_at": at, "is_customer": True},
            {"lead_id": "first", "converted_at": "least"},
        ),
    )


async def on_lead_merged(session: AsyncSession, event: Event[lead_ev.LeadMerged]) -> None:
    """The duplicate lead folds into the surviving one: it stays counted once, as a duplicate."""
    p = event.payload
    await _lead(
        session,
        event,
        uid(p.duplicate_lead_id),
        {"merged_into_lead_id": uid(p.lead_id), "is_duplicate": True},
        {},
    )


async def on_lead_activity_added(
    session: AsyncSession, event: Event[lead_ev.LeadActivityAdded]
) -> None:
    """First response: the earliest activity on the lead (R4 response time)."""
    p = event.payload
    await _lead(
        session,
        event,
        uid(p.lead_id),
        {"first_response_at": ts(p, "added_at") or event.occurred_at},
        {"first_response_at": "least"},
    )


# --------------------------------------------------------------------------- leads: deal


async def _stage_entered(
    session: AsyncSession,
    event: Event,
    deal_id,
    *,
    entered_at: dt.datetime,
    to_stage_id,
    from_stage_id=None,
    name: str | None = None,
    probability: int | None = None,
) -> None:
    if deal_id is None or to_stage_id is None:
        return
    await upsert(
        session,
        DealStageFact,
        keys={
            "tenant_id": event.tenant_id,
            "deal_id": deal_id,
            "entered_at": entered_at,
            "to_stage_id": to_stage_id,
        },
        values={
            "from_stage_id": from_stage_id,
            "to_stage_name": name,
            "probability": probability,
        },
    )
    # left_at of every stage visit = when the next one began: recomputed for the deal, so the
    # order the stage changes arrive in does not matter.
    await session.execute(
        text(
            """
            UPDATE deal_stage_fact f SET left_at = n.next_at
            FROM (
                SELECT entered_at, to_stage_id,
                       lead(entered_at) OVER (ORDER BY entered_at, to_stage_id) AS next_at
                FROM deal_stage_fact WHERE tenant_id = :t AND deal_id = :d
            ) n
            WHERE f.tenant_id = :t AND f.deal_id = :d AND f.entered_at = n.entered_at
              AND f.to_stage_id = n.to_stage_id AND f.left_at IS DISTINCT FROM n.next_at
            """
        ),
        {"t": event.tenant_id, "d": deal_id},
    )


async def on_deal_created(session: AsyncSession, event: Event[deal_ev.DealCreated]) -> None:
    p = event.payload
    deal_id = uid(p.deal_id)
    if deal_id is None:
        return
    created_at = ts(p, "created_at") or event.occurred_at
    await upsert(
        session,
        DealFact,
        keys={"tenant_id": event.tenant_id, "deal_id": deal_id},
        values={
            "lead_id": uid(p.lead_id),
            "party_id": uid(p.party_id),
            "pipeline_id": uid(p.pipeline_id),
            "stage_id": uid(p.stage_id),
            "owner_id": uid(p.owner_id),
            "amount_agorot": p.amount_agorot,
            "created_at": created_at,
        },
        # a stage change or an amount from won may have arrived first: those are newer
        rules={"stage_id": "first", "amount_agorot": "first", "owner_id": "first"},
    )
    await _stage_entered(
        session, event, deal_id, entered_at=created_at, to_stage_id=uid(p.stage_id)
    )


async def on_deal_stage_changed(
    session: AsyncSession, event: Event[deal_ev.DealStageChanged]
) -> None:
    p = event.payload
    deal_id = uid(p.deal_id)
    if deal_id is None:
        return
    at = ts(p, "changed_at") or event.occurred_at
    await _stage_entered(
        session,
        event,
        deal_id,
        entered_at=at,
        to_stage_id=uid(p.to_stage_id),
        from_stage_id=uid(p.from_stage_id),
        name=txt(p.to_stage_name),
        probability=p.probability,
    )
    # the deal's current stage is its latest visit
    latest = text(
        """
        UPDATE deal_fact d SET stage_id = s.to_stage_id, stage_name = s.to_stage_name
        FROM (
            SELECT to_stage_id, to_stage_name FROM deal_stage_fact
            WHERE tenant_id = :t AND deal_id = :d ORDER BY entered_at DESC, to_stage_id DESC
            LIMIT 1
        ) s
        WHERE d.tenant_id = :t AND d.deal_id = :d
        """
    )
    await upsert(
        session,
        DealFact,
        keys={"tenant_id": event.tenant_id, "deal_id": deal_id},
        values={"created_at": None},
        rules={"created_at": "skip"},
    )
    await session.execute(latest, {"t": event.tenant_id, "d": deal_id})


async def on_deal_won(session: AsyncSession, event: Event[deal_ev.DealWon]) -> None:
    p = event.payload
    deal_id = uid(p.deal_id)
    if deal_id is None:
        return
    await upsert(
        session,
        DealFact,
        keys={"tenant_id": event.tenant_id, "deal_id": deal_id},
        values={
            "status": "won",
            "won_at": ts(p, "won_at") or event.occurred_at,
            "amount_agorot": p.amount_agorot,
            "owner_id": uid(p.owner_id),
            "party_id": uid(p.party_id),
            "lead_id": uid(p.lead_id),
            "pipeline_id": uid(p.pipeline_id),
        },
        rules={"won_at": "least"},
    )


async def on_deal_lost(session: AsyncSession, event: Event[deal_ev.DealLost]) -> None:
    p = event.payload
    deal_id = uid(p.deal_id)
    if deal_id is None:
        return
    await upsert(
        session,
        DealFact,
        keys={"tenant_id": event.tenant_id, "deal_id": deal_id},
        values={
            "status": "lost",
            "lost_at": ts(p, "lost_at") or event.occurred_at,
            "lost_reason": txt(p.lost_reason),
            "owner_id": uid(p.owner_id),
            "party_id": uid(p.party_id),
            "amount_agorot": p.amount_agorot or None,
        },
        # a won deal stays won if a stale "lost" arrives after it
        rules={"lost_at": "least", "status": "skip"},
        extra=lambda c, ex: {"status": case((c.status == "won", c.status), else_=ex.status)},
    )


async def on_target_set(session: AsyncSession, event: Event[target_ev.TargetSet]) -> None:
    p = event.payload
    target_id, start = uid(p.target_id), day(p.period_start)
    if target_id is None or start is None or p.period not in ("month", "quarter", "year"):
        return
    set_at = ts(p, "set_at") or event.occurred_at
    stmt_values = {
        "owner_id": uid(p.owner_id),
        "team_id": uid(p.team_id),
        "period": p.period,
        "period_start": start,
        "amount_agorot": p.amount_agorot,
        "deal_count": p.deal_count,
        "set_at": set_at,
    }
    # the latest setting wins, whatever order the settings arrive in
    await upsert(
        session,
        TargetFact,
        keys={"tenant_id": event.tenant_id, "target_id": target_id},
        values=stmt_values,
        rules={k: "skip" for k in stmt_values},
        extra=lambda c, ex: {
            k: case((c.set_at <= ex.set_at, ex[k]), else_=c[k]) for k in stmt_values
        },
    )


# --------------------------------------------------------------------------- billing

DOCUMENT_TYPES = {
    "quote": "quote",
    "order": "order",
    "delivery_note": "delivery",
    "delivery": "delivery",
    "tax_invoice": "invoice",
    "invoice": "invoice",
    "invoice_receipt": "invoice_receipt",
    "receipt": "receipt",
    "credit_note": "credit",
    "credit": "credit",
}


async def on_document_issued(session: AsyncSession, event: Event) -> None:
    """quote/order/delivery/invoice/receipt/credit ``.issued``: one row per document."""
    d: bill.IssuedDocument = event.payload.document
    document_id = uid(d.document_id)
    doc_type = DOCUMENT_TYPES.get(d.document_type) or DOCUMENT_TYPES.get(event.type.split(".")[0])
    if document_id is None or doc_type is None:
        return
    await upsert(
        session,
        DocumentFact,
        keys={"tenant_id": event.tenant_id, "document_id": document_id},
        values={
            "document_type": doc_type,
            "number": d.number,
            "party_id": uid(d.party_id),
            "base_document_id": uid(d.base_document_id),
            "issue_date": day(d.issue_date),
            "subtotal_agorot": d.subtotal_agorot,
            "vat_agorot": d.vat_agorot,
            "total_agorot": d.total_agorot,
            "issued_at": ts(d, "issued_at") or event.occurred_at,
        },
    )


async def on_payment_received(session: AsyncSession, event: Event[bill.PaymentReceived]) -> None:
    p = event.payload
    payment_id = uid(p.payment_id)
    if payment_id is None:
        return
    await upsert(
        session,
        PaymentFact,
        keys={"tenant_id": event.tenant_id, "payment_id": payment_id},
        values={
            "party_id": uid(p.party_id),
            "method": txt(p.method),
            "amount_agorot": p.amount_agorot,
            "status": "received",
            "occurred_at": ts(p, "received_at") or event.occurred_at,
        },
        # received is final: a late "failed" of the same payment must not undo it
        rules={"status": "always", "occurred_at": "always"},
    )


async def on_payment_failed(session: AsyncSession, event: Event[bill.PaymentFailed]) -> None:
    p = event.payload
    payment_id = uid(p.payment_id)
    if payment_id is None:
        return
    await upsert(
        session,
        PaymentFact,
        keys={"tenant_id": event.tenant_id, "payment_id": payment_id},
        values={
            "party_id": uid(p.party_id),
            "amount_agorot": p.amount_agorot,
            "status": "failed",
            "occurred_at": ts(p, "failed_at") or event.occurred_at,
            "reason": txt(p.reason),
        },
        rules={
            "status": "skip",
            "occurred_at": "skip",
            "party_id": "first",
            "amount_agorot": "first",
        },
        # a payment already received stays received at its time
        extra=lambda c, ex: {
            "occurred_at": case((c.status == "received", c.occurred_at), else_=ex.occurred_at)
        },
    )


# --------------------------------------------------------------------------- messaging

STATUS_RANK = {"queued": 0, "sending": 1, "sent": 2, "delivered": 3, "read": 4, "failed": 5}


def _rank(col) -> Any:
    return case(
        *((col == status, literal(rank)) for status, rank in STATUS_RANK.items()), else_=literal(-1)
    )


async def _message(
    session: AsyncSession, event: Event, message_id, values: dict[str, Any], rules=None
) -> None:
    if message_id is None:
        return
    status = values.pop("status", None)
    await upsert(
        session,
        MessageFact,
        keys={"tenant_id": event.tenant_id, "message_id": message_id},
        values={**values, "status": status},
        rules={**(rules or {}), "status": "skip"},
        # the furthest status wins (delivered after read does not step back)
        extra=(
            lambda c, ex: {
                "status": case(
                    (c.status.is_(None), ex.status),
                    (_rank(ex.status) > _rank(c.status), ex.status),
                    else_=c.status,
                )
            }
        )
        if status
        else None,
    )


async def on_message_queued(session: AsyncSession, event: Event[msg_ev.MessageQueued]) -> None:
    p = event.payload
    await _message(
        session,
        event,
        uid(p.message_id),
        {
            "party_id": uid(p.party_id),
            "channel": txt(p.channel),
            "purpose": txt(p.purpose),
            "direction": "out",
            "campaign_id": uid(p.campaign_id),
            "queued_at": ts(p, "queued_at") or event.occurred_at,
            "status": "queued",
        },
        {"queued_at": "least"},
    )


async def on_message_sent(session: AsyncSession, event: Event[msg_ev.MessageSent]) -> None:
    p = event.payload
    await _message(
        session,
        event,
        uid(p.message_id),
        {
            "party_id": uid(p.party_id),
            "channel": txt(p.channel),
            "purpose": txt(p.purpose),
            "direction": "out",
            "campaign_id": uid(p.campaign_id),
            "sent_at": ts(p, "sent_at") or event.occurred_at,
            "segments": p.segments,
            "cost_agorot": p.cost_agorot,
            "status": "sent",
        },
        {"sent_at": "least"},
    )


async def on_message_status_changed(
    session: AsyncSession, event: Event[msg_ev.MessageStatusChanged]
) -> None:
    p = event.payload
    at = ts(p, "changed_at") or event.occurred_at
    stamp = {"delivered": "delivered_at", "read": "read_at", "failed": "failed_at"}.get(p.status)
    values: dict[str, Any] = {
        "party_id": uid(p.party_id),
        "channel": txt(p.channel),
        "campaign_id": uid(p.campaign_id),
        "reason": txt(p.reason),
        "status": txt(p.status),
    }
    rules = {}
    if stamp:
        values[stamp] = at
        rules[stamp] = "least"
    if p.status == "sent":
        values["sent_at"] = at
        rules["sent_at"] = "least"
    await _message(session, event, uid(p.message_id), values, rules)


async def on_message_received(session: AsyncSession, event: Event[msg_ev.MessageReceived]) -> None:
    """An inbound message: counted at the time it arrived (``sent_at`` is its send time)."""
    p = event.payload
    await _message(
        session,
        event,
        uid(p.message_id),
        {
            "party_id": uid(p.party_id),
            "channel": txt(p.channel),
            "direction": "in",
            "sent_at": ts(p, "received_at") or event.occurred_at,
        },
        {"sent_at": "least"},
    )
    await session.execute(
        update(MessageFact)
        .where(
            MessageFact.tenant_id == event.tenant_id,
            MessageFact.message_id == uid(p.message_id),
            MessageFact.status.is_(None),
        )
        .values(status="received")
    )


async def on_call_started(session: AsyncSession, event: Event[msg_ev.CallStarted]) -> None:
    p = event.payload
    call_id = uid(p.call_id)
    if call_id is None:
        return
    await upsert(
        session,
        CallFact,
        keys={"tenant_id": event.tenant_id, "call_id": call_id},
        values={
            "party_id": uid(p.party_id),
            "direction": txt(p.direction),
            "agent_extension": txt(p.agent_extension),
            "from_number": txt(p.from_number),
            "to_number": txt(p.to_number),
            "started_at": ts(p, "started_at") or event.occurred_at,
        },
        rules={"started_at": "least"},
    )


async def on_call_ended(session: AsyncSession, event: Event[msg_ev.CallEnded]) -> None:
    p = event.payload
    call_id = uid(p.call_id)
    if call_id is None:
        return
    ended = ts(p, "ended_at") or event.occurred_at
    await upsert(
        session,
        CallFact,
        keys={"tenant_id": event.tenant_id, "call_id": call_id},
        values={
            "party_id": uid(p.party_id),
            "direction": txt(p.direction),
            "agent_extension": txt(p.agent_extension),
            "from_number": txt(p.from_number),
            "to_number": txt(p.to_number),
            "ended_at": ended,
            "started_at": ended - dt.timedelta(seconds=p.duration_seconds),
            "duration_seconds": p.duration_seconds,
            "answered": p.answered,
        },
        rules={"started_at": "first"},
    )


# --------------------------------------------------------------------------- contacts


async def on_customer_created(session: AsyncSession, event: Event[cust.CustomerCreated]) -> None:
    p = event.payload
    await _party(
        session,
        event,
        uid(p.party_id),
        {"name": txt(p.name), "is_customer": True, "lead_id": uid(p.source_lead_id)},
        {"lead_id": "first"},
    )


# contact.changed, contacts.changed (an import's or a bulk update's batches) and account.changed
# carry a card's full state: its dynamic field values replace the party's attributes (a cleared
# field disappears), unless the party already holds a newer card state. Single events of a party
# share its key (one partition, in order) but a batch is keyed by its import job, so it may
# arrive after a later single edit of one of its parties: attributes_at (the card state's
# changed_at) decides, not arrival. updated_at cannot: lead and customer events move it too.
# A card makes its party a customer (the customers subject of R1, R5): an account, or a contact
# of no account (a contact of an account is one of that customer's people); once a customer,
# always one, so the flag does not depend on the events' order.
# One statement per event, however many parties it carries (unnest of arrays).
_NEWER = "(p.attributes_at IS NULL OR excluded.attributes_at >= p.attributes_at)"
_CARDS = text(
    "INSERT INTO party_dim AS p (tenant_id, party_id, name, attributes, attributes_at, "
    "is_customer, updated_at) "
    "SELECT CAST(:tenant_id AS uuid), u.party_id, u.name, CAST(u.attributes AS jsonb), u.at, "
    "u.customer, CAST(:occurred_at AS timestamptz) "
    "FROM unnest(CAST(:party_ids AS uuid[]), CAST(:names AS text[]), "
    "CAST(:attributes AS text[]), CAST(:ats AS timestamptz[]), CAST(:customers AS boolean[])) "
    "AS u(party_id, name, attributes, at, customer) "
    "ON CONFLICT (tenant_id, party_id) DO UPDATE SET "
    "is_customer = p.is_customer OR excluded.is_customer, "
    f"name = CASE WHEN {_NEWER} THEN coalesce(excluded.name, p.name) ELSE p.name END, "
    f"attributes = CASE WHEN {_NEWER} THEN excluded.attributes ELSE p.attributes END, "
    "attributes_at = greatest(p.attributes_at, excluded.attributes_at), "
    "updated_at = greatest(p.updated_at, excluded.updated_at)"
)


def _card_values(fields) -> dict[str, Any]:
    """A card event's ``custom_fields`` (key -> JSON text) as the values they encode."""
    out: dict[str, Any] = {}
    for key, raw in fields.items():
        try:
            out[key] = json.loads(raw)
        except ValueError:
            out[key] = raw
    return out


async def _apply_cards(session: AsyncSession, event: Event, cards: list) -> None:
    """File card states (ContactChanged or AccountChanged messages) into party_dim at once."""
    latest: dict[Any, tuple[dt.datetime, str | None, str, bool]] = {}
    for c in cards:
        party_id = uid(c.party_id)
        if party_id is None:
            continue
        at = ts(c, "changed_at") or event.occurred_at
        if party_id in latest and latest[party_id][0] > at:
            continue  # the same party twice in one batch: its newest state
        values = json.dumps(_card_values(c.custom_fields), ensure_ascii=False)
        customer = isinstance(c, contact_ev.AccountChanged) or not c.account_id
        latest[party_id] = (at, txt(c.name), values, customer)
    if not latest:
        return
    await session.execute(
        _CARDS,
        {
            "tenant_id": event.tenant_id,
            "occurred_at": event.occurred_at,
            "party_ids": list(latest),
            "names": [v[1] for v in latest.values()],
            "attributes": [v[2] for v in latest.values()],
            "ats": [v[0] for v in latest.values()],
            "customers": [v[3] for v in latest.values()],
        },
    )


async def on_contact_changed(
    session: AsyncSession, event: Event[contact_ev.ContactChanged]
) -> None:
    """Dynamic field values of the contact (R1 builder fields), merged into the party's row."""
    await _apply_cards(session, event, [event.payload])


async def on_contacts_changed(
    session: AsyncSession, event: Event[contact_ev.ContactsChanged]
) -> None:
    """R1: a batch of contacts' states (an import's merge, a bulk update), in one statement."""
    await _apply_cards(session, event, list(event.payload.contacts))


async def on_account_changed(
    session: AsyncSession, event: Event[contact_ev.AccountChanged]
) -> None:
    """R1: an account's dynamic field values, on the account's party."""
    await _apply_cards(session, event, [event.payload])


async def on_task_created(session: AsyncSession, event: Event[task_ev.TaskCreated]) -> None:
    p = event.payload
    task_id = uid(p.task_id)
    if task_id is None:
        return
    await upsert(
        session,
        TaskFact,
        keys={"tenant_id": event.tenant_id, "task_id": task_id},
        values={
            "task_type_key": txt(p.task_type_key),
            "party_id": uid(p.party_id),
            "assignee_user_id": uid(p.assignee_user_id),
            "creator_user_id": uid(p.creator_user_id),
            "created_at": ts(p, "created_at") or event.occurred_at,
            "due_at": ts(p, "due_at"),
            "sla_due_at": ts(p, "sla_due_at"),
        },
        rules={"assignee_user_id": "first"},
    )


async def on_task_assigned(session: AsyncSession, event: Event[task_ev.TaskAssigned]) -> None:
    p = event.payload
    task_id = uid(p.task_id)
    if task_id is None:
        return
    await upsert(
        session,
        TaskFact,
        keys={"tenant_id": event.tenant_id, "task_id": task_id},
        values={"assignee_user_id": uid(p.to_user_id)},
    )


async def on_task_completed(session: AsyncSession, event: Event[task_ev.TaskCompleted]) -> None:
    p = event.payload
    task_id = uid(p.task_id)
    if task_id is None:
        return
    sla_due = ts(p, "sla_due_at")
    await upsert(
        session,
        TaskFact,
        keys={"tenant_id": event.tenant_id, "task_id": task_id},
        values={
            "task_type_key": txt(p.task_type_key),
            "party_id": uid(p.party_id),
            "assignee_user_id": uid(p.assignee_user_id),
            "created_at": ts(p, "created_at"),
            "sla_due_at": sla_due,
            "completed_at": ts(p, "completed_at") or event.occurred_at,
            "sla_met": p.sla_met if sla_due is not None else None,
        },
        rules={"created_at": "first", "completed_at": "least"},
    )


async def on_task_sla_breached(
    session: AsyncSession, event: Event[task_ev.TaskSlaBreached]
) -> None:
    p = event.payload
    task_id = uid(p.task_id)
    if task_id is None:
        return
    await upsert(
        session,
        TaskFact,
        keys={"tenant_id": event.tenant_id, "task_id": task_id},
        values={
            "task_type_key": txt(p.task_type_key),
            "party_id": uid(p.party_id),
            "assignee_user_id": uid(p.assignee_user_id),
            "sla_due_at": ts(p, "sla_due_at"),
            "sla_breached_at": ts(p, "detected_at") or event.occurred_at,
            "sla_met": False,
        },
        rules={"sla_breached_at": "least", "assignee_user_id": "first", "sla_met": "always"},
    )
