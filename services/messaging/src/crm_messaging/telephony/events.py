"""Call events on topic ``crm.messaging.call``: every call lands on the party's timeline."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.messaging.v1 import message_events_pb2 as ev
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp
from crm_messaging.telephony.models import Call

CALL_TOPIC = "crm.messaging.call"


async def _add(session: AsyncSession, call: Call, event, at) -> None:
    await add_event(
        session,
        topic=CALL_TOPIC,
        aggregate_type="call",
        aggregate_id=call.id,
        tenant_id=call.tenant_id,
        event=event,
        occurred_at=at,
    )


def _party(call: Call) -> str:
    return str(call.party_id) if call.party_id else ""


async def call_started(session: AsyncSession, call: Call) -> None:
    await _add(
        session,
        call,
        ev.CallStarted(
            call_id=str(call.id),
            party_id=_party(call),
            direction=call.direction,
            from_number=call.from_number,
            to_number=call.to_number,
            agent_extension=call.agent_extension,
            started_at=timestamp(call.started_at),
        ),
        call.started_at,
    )


async def call_ended(session: AsyncSession, call: Call) -> None:
    await _add(
        session,
        call,
        ev.CallEnded(
            call_id=str(call.id),
            party_id=_party(call),
            direction=call.direction,
            from_number=call.from_number,
            to_number=call.to_number,
            agent_extension=call.agent_extension,
            duration_seconds=call.duration_seconds,
            answered=call.answered_at is not None,
            ended_at=timestamp(call.ended_at),
        ),
        call.ended_at,
    )


async def call_recorded(session: AsyncSession, call: Call, at) -> None:
    await _add(
        session,
        call,
        ev.CallRecorded(
            call_id=str(call.id),
            party_id=_party(call),
            recording_url=call.recording_url or "",
            recorded_at=timestamp(at),
        ),
        at,
    )
