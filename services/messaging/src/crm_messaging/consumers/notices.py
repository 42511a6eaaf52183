"""Handlers of the events that become notices (M6). They flush; the consumer loop commits."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import UTC
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.billing.v1 import billing_events_pb2 as billing_ev
from crm.events.contacts.v1 import contact_events_pb2 as contact_ev
from crm.events.contacts.v1 import task_events_pb2 as task_ev
from crm_common.kafka.consumer import Event
from crm_messaging.campaigns.notices import send_notice
from crm_messaging.parties.repository import PartyRepository

CONTACT_TOPIC = "crm.contacts.contact"
TASK_TOPIC = "crm.contacts.task"
REMINDER_BEFORE = dt.timedelta(hours=24)
IL = ZoneInfo("Asia/Jerusalem")
ORDER_TOPIC = "crm.billing.order"


def _uuid(raw: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None


async def on_birthday_due(session: AsyncSession, event: Event[contact_ev.BirthdayDue]) -> None:
    e = event.payload
    kind = "anniversary" if e.occasion == "anniversary" else "birthday"
    await send_notice(
        session=session,
        tenant_id=event.tenant_id,
        kind=kind,
        key=f"{e.contact_id or e.party_id}:{e.date}",
        party_id=_uuid(e.party_id),
        phone=e.phones[0] if e.phones else "",
        email=e.emails[0] if e.emails else "",
        variables={
            "first_name": e.first_name,
            "last_name": e.last_name,
            "name": f"{e.first_name} {e.last_name}".strip(),
            "years": str(e.years) if e.years else "",
        },
    )


async def on_order_shipped(session: AsyncSession, event: Event[billing_ev.OrderShipped]) -> None:
    e = event.payload
    await send_notice(
        session=session,
        tenant_id=event.tenant_id,
        kind="shipment",
        key=e.document_id,
        party_id=_uuid(e.party_id),
        phone=e.phone,
        email="",
        variables={
            "name": e.customer_name,
            "order_number": str(e.number),
            "expected_arrival": e.expected_arrival,
            "carrier": e.carrier,
            "tracking_number": e.tracking_number,
        },
    )


async def on_task_created(session: AsyncSession, event: Event[task_ev.TaskCreated]) -> None:
    """A meeting with a customer: remind the customer a day before (or now, if sooner)."""
    e = event.payload
    party_id = _uuid(e.party_id)
    if e.task_type_key != "meeting" or party_id is None or not e.HasField("due_at"):
        return
    due = e.due_at.ToDatetime(tzinfo=UTC)
    if due <= dt.datetime.now(UTC):
        return
    party = await PartyRepository(session).get(tenant_id=event.tenant_id, party_id=party_id)
    if party is None:
        return
    local = due.astimezone(IL)
    await send_notice(
        session=session,
        tenant_id=event.tenant_id,
        kind="meeting",
        key=f"{e.task_id}:{due.isoformat()}",
        party_id=party_id,
        phone=party.phone or "",
        email=party.email or "",
        variables={
            "first_name": party.name.split()[0] if party.name.split() else party.name,
            "name": party.name,
            "title": e.title,
            "date": local.strftime("%d/%m/%Y"),
            "time": local.strftime("%H:%M"),
        },
        send_at=due - REMINDER_BEFORE,
    )
