"""Telephony use cases (M2). They flush; the edge commits."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db import uuid7
from crm_common.errors import FailedPrecondition, NotFound, Validator
from crm_messaging.parties.models import Party
from crm_messaging.parties.repository import PartyRepository
from crm_messaging.parties.service import find_by_phone, normalized_phone
from crm_messaging.providers.base import PermanentSendError, TransientSendError
from crm_messaging.providers.pbx import PbxAdapter
from crm_messaging.telephony import events
from crm_messaging.telephony.models import Call, DialerEntry
from crm_messaging.telephony.repository import CallRepository, DialerRepository
from crm_messaging.upstreams import Upstreams

CALL_EVENTS = ("call.started", "call.answered", "call.ended", "call.recording_ready")
_EXTENSION = re.compile(r"^[0-9A-Za-z*#+-]{1,32}$")
_QUEUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class CallEvent:
    event: str
    call_id: str
    direction: str
    from_number: str
    to_number: str
    extension: str
    at: dt.datetime
    duration_seconds: int = 0
    recording_url: str = ""


@dataclass(frozen=True, slots=True)
class ScreenPop:
    call: Call
    party: Party | None


async def on_call_event(
    *, session: AsyncSession, tenant_id: uuid.UUID, e: CallEvent
) -> ScreenPop | None:
    """Apply one PBX call event; an incoming call's start returns the screen-pop."""
    repo = CallRepository(session)
    call = await repo.by_provider_id(tenant_id=tenant_id, provider_call_id=e.call_id)
    created = call is None
    if call is None:
        customer_number = e.from_number if e.direction == "in" else e.to_number
        party = await find_by_phone(session=session, tenant_id=tenant_id, phone=customer_number)
        call = Call(
            id=uuid7(),
            tenant_id=tenant_id,
            provider_call_id=e.call_id,
            party_id=party.party_id if party else None,
            direction=e.direction,
            from_number=normalized_phone(e.from_number) or e.from_number,
            to_number=normalized_phone(e.to_number) or e.to_number,
            agent_extension=e.extension,
            status="ringing",
            duration_seconds=0,
            started_at=e.at,
        )
        session.add(call)
        await session.flush()
        await events.call_started(session, call)
    if e.extension and not call.agent_extension:
        call.agent_extension = e.extension
    if e.event == "call.answered" and call.answered_at is None:
        call.answered_at = e.at
        if call.status == "ringing":
            call.status = "answered"
    elif e.event == "call.ended" and call.ended_at is None:
        call.status = "ended"
        call.ended_at = e.at
        call.duration_seconds = e.duration_seconds or (
            int((e.at - call.answered_at).total_seconds()) if call.answered_at else 0
        )
        await session.flush()
        await events.call_ended(session, call)
    elif e.event == "call.recording_ready" and e.recording_url:
        call.recording_url = e.recording_url
        await session.flush()
        await events.call_recorded(session, call, e.at)
    await session.flush()
    if created and e.event == "call.started" and e.direction == "in":
        party = (
            await PartyRepository(session).get(tenant_id=tenant_id, party_id=call.party_id)
            if call.party_id
            else None
        )
        return ScreenPop(call=call, party=party)
    return None


async def start_call(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    pbx: PbxAdapter,
    extension: str,
    party_id: uuid.UUID | None,
    to_number: str,
) -> Call:
    """Click-to-call: the PBX rings the agent, then dials the customer."""
    v = Validator()
    if not _EXTENSION.match(extension or ""):
        v.add("agent_extension", "required: the agent's PBX extension")
    party = None
    if party_id is not None:
        party = await PartyRepository(session).get(tenant_id=tenant_id, party_id=party_id)
        if party is None:
            raise NotFound(f"party {party_id} not found")
    number = normalized_phone(to_number or (party.phone if party and party.phone else ""))
    if number is None:
        v.add("to_number", "a valid phone number (or a party that has one)")
    v.raise_if_any("the call request is not valid")
    assert number is not None
    reference = uuid7()
    try:
        provider_id = await pbx.click_to_call(
            extension=extension, to_number=number, reference=str(reference)
        )
    except (PermanentSendError, TransientSendError) as exc:
        raise FailedPrecondition(f"the PBX did not place the call: {exc}") from exc
    if party is None:
        party = await find_by_phone(session=session, tenant_id=tenant_id, phone=number)
    now = dt.datetime.now(UTC)
    call = Call(
        id=reference,
        tenant_id=tenant_id,
        provider_call_id=provider_id,
        party_id=party.party_id if party else None,
        direction="out",
        from_number=extension,
        to_number=number,
        agent_extension=extension,
        status="ringing",
        duration_seconds=0,
        started_at=now,
    )
    session.add(call)
    await session.flush()
    await events.call_started(session, call)
    return call


async def list_calls(
    *, session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID, limit: int
) -> list[Call]:
    return await CallRepository(session).list_for_party(
        tenant_id=tenant_id, party_id=party_id, limit=min(max(limit, 1), 200)
    )


@dataclass(frozen=True, slots=True)
class DialerIn:
    party_id: uuid.UUID | None
    phone: str
    note: str


async def enqueue_dialer(
    *, session: AsyncSession, tenant_id: uuid.UUID, queue: str, entries: list[DialerIn]
) -> tuple[int, int]:
    """Add numbers to a queue; a number already waiting in it is skipped."""
    v = Validator()
    if not _QUEUE.match(queue or ""):
        v.add("queue", "a lower-case queue name such as 'telemarketing' or 'collections'")
    if not entries:
        v.add("entries", "at least one entry")
    parties = await PartyRepository(session).many(
        tenant_id=tenant_id, party_ids=[e.party_id for e in entries if e.party_id]
    )
    rows, seen = [], set()
    for i, e in enumerate(entries):
        party = parties.get(e.party_id) if e.party_id else None
        number = normalized_phone(e.phone or (party.phone if party and party.phone else ""))
        if number is None:
            v.add(f"entries[{i}].phone", "a valid phone number (or a party that has one)")
            continue
        if number in seen:
            continue
        seen.add(number)
        rows.append(
            {
                "id": uuid7(),
                "tenant_id": tenant_id,
                "queue": queue,
                "party_id": e.party_id or (party.party_id if party else None),
                "phone": number,
                "note": e.note[:500],
                "status": "waiting",
            }
        )
    v.raise_if_any("the dialer entries are not valid")
    added = await DialerRepository(session).add(rows)
    return added, len(entries) - added


async def next_dialer_entry(
    *, session: AsyncSession, tenant_id: uuid.UUID, queue: str, extension: str
) -> DialerEntry | None:
    v = Validator()
    if not _QUEUE.match(queue or ""):
        v.add("queue", "required")
    if not _EXTENSION.match(extension or ""):
        v.add("agent_extension", "required: the free agent's extension")
    v.raise_if_any("the request is not valid")
    entry = await DialerRepository(session).next_waiting(tenant_id=tenant_id, queue=queue)
    if entry is None:
        return None
    entry.status = "assigned"
    entry.agent_extension = extension
    entry.assigned_at = dt.datetime.now(UTC)
    await session.flush()
    return entry


DIALER_SOURCES = ("lapsed_customers", "collections")


def _agorot(amount: int) -> str:
    return f"{amount // 100:,}.{amount % 100:02d} ₪"


async def dialer_entries_from_source(
    *,
    upstreams: Upstreams | None,
    tenant_id: uuid.UUID,
    queue: str,
    source: str,
    sku: str = "",
    days: int = 0,
    as_of: str = "",
    min_overdue_agorot: int = 0,
) -> list[DialerIn]:
    """The numbers of a billing list, resolved through billing's gRPC.

    ``lapsed_customers``: customers who bought ``sku`` but not in the last ``days``
    (telemarketing). ``collections``: parties whose balance overdue more than 30 days
    (GetAging's buckets past 0-30) is at least ``min_overdue_agorot`` (at least 1).
    """
    v = Validator()
    if not _QUEUE.match(queue or ""):
        v.add("queue", "a lower-case queue name such as 'telemarketing' or 'collections'")
    if source not in DIALER_SOURCES:
        v.add("source", f"one of {', '.join(DIALER_SOURCES)}")
    elif source == "lapsed_customers":
        if not sku.strip():
            v.add("sku", "is required for lapsed_customers")
        if days <= 0:
            v.add("days", "must be positive for lapsed_customers")
    if min_overdue_agorot < 0:
        v.add("min_overdue_agorot", "must not be negative")
    if as_of and not _DATE.match(as_of):
        v.add("as_of", "YYYY-MM-DD")
    v.raise_if_any("the dialer source is not valid")
    if upstreams is None:
        raise FailedPrecondition("dialer sources need the billing service")
    entries: list[DialerIn] = []
    if source == "lapsed_customers":
        for c in await upstreams.lapsed_customers(tenant_id, sku=sku, days=days, as_of=as_of):
            if not c.phone:
                continue
            entries.append(
                DialerIn(
                    party_id=uuid.UUID(c.party_id) if c.party_id else None,
                    phone=c.phone,
                    note=f"{c.customer_name}: לא קנה {sku} מאז {c.last_bought}",
                )
            )
        return entries
    floor = max(1, min_overdue_agorot)
    for row in await upstreams.aging(tenant_id, as_of=as_of):
        overdue = row.bucket_31_60_agorot + row.bucket_61_90_agorot + row.bucket_over_90_agorot
        if not row.party_id or not row.phone or overdue < floor:
            continue
        entries.append(
            DialerIn(
                party_id=uuid.UUID(row.party_id),
                phone=row.phone,
                note=f"{row.customer_name}: חוב בפיגור {_agorot(overdue)}"
                f" (מעל 90 יום {_agorot(row.bucket_over_90_agorot)})",
            )
        )
    return entries
