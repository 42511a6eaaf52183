"""Transfer a customer to another employee (C6) and birthday greetings (C8)."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from sqlalchemy import extract, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.contacts.v1 import contact_events_pb2 as ev
from crm_common.audit import record_bulk
from crm_common.db import uuid7
from crm_common.errors import NotFound
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp
from crm_contacts.card.extra_models import GreetingSent
from crm_contacts.card.models import Account, Contact
from crm_contacts.tasks.models import Task, TaskDelegation
from crm_contacts.timeline.service import EntryData, add_entry

CONTACT_TOPIC = "crm.contacts.contact"
DEFAULT_TZ = "Asia/Jerusalem"


async def transfer_customer(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    party_id: uuid.UUID,
    to_user_id: uuid.UUID,
    by_user_id: uuid.UUID | None,
    include_open_tasks: bool,
    include_open_deals: bool = False,
) -> int:
    """Set the new owner of the card, optionally move its open tasks; timeline + event.

    Open deals live in the leads service: the event's ``move_deals`` asks it to move them."""
    now = dt.datetime.now(dt.UTC)
    owner = None
    for model in (Contact, Account):
        row = (
            await session.execute(
                select(model).where(model.tenant_id == tenant_id, model.party_id == party_id)
            )
        ).scalar_one_or_none()
        if row is not None:
            owner = row.owner_user_id
            row.owner_user_id = to_user_id
            row.updated_at = now
            break
    else:
        raise NotFound(f"no card with party {party_id}")
    moved = 0
    if include_open_tasks:
        tasks = list(
            (
                await session.execute(
                    update(Task)
                    .where(
                        Task.tenant_id == tenant_id,
                        Task.party_id == party_id,
                        Task.status == "open",
                        Task.assignee_user_id != to_user_id,
                    )
                    .values(assignee_user_id=to_user_id, updated_at=now)
                    .returning(Task.id)
                )
            ).scalars()
        )
        # Delegation history keeps who had each task (T2); the from user is the previous owner.
        for task_id in tasks:
            session.add(
                TaskDelegation(
                    tenant_id=tenant_id,
                    task_id=task_id,
                    from_user_id=owner,
                    to_user_id=to_user_id,
                    by_user_id=by_user_id,
                    note="customer transfer",
                    created_at=now,
                )
            )
        moved = len(tasks)
        await record_bulk(
            session,
            "tasks",
            tasks,
            "update",
            {"assignee_user_id": [None, to_user_id]},
            tenant_id=tenant_id,
        )
    await session.flush()
    await add_entry(
        session,
        tenant_id,
        EntryData(
            party_id=party_id,
            kind="transfer",
            title="הלקוח הועבר לטיפול עובד אחר",
            occurred_at=now,
            data={
                "from_user_id": str(owner) if owner else "",
                "to_user_id": str(to_user_id),
                "tasks_moved": moved,
                "move_deals": include_open_deals,
            },
            actor_user_id=by_user_id,
        ),
        source="contacts",
    )
    await add_event(
        session,
        topic=CONTACT_TOPIC,
        aggregate_type="customer",
        aggregate_id=party_id,
        tenant_id=tenant_id,
        event=ev.CustomerTransferred(
            party_id=str(party_id),
            from_user_id=str(owner) if owner else "",
            to_user_id=str(to_user_id),
            by_user_id=str(by_user_id) if by_user_id else "",
            tasks_moved=moved,
            transferred_at=timestamp(now),
            move_deals=include_open_deals,
        ),
        occurred_at=now,
    )
    return moved


async def emit_birthdays(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    now: dt.datetime | None = None,
    time_zone: str = DEFAULT_TZ,
) -> int:
    """C8: one BirthdayDue per contact whose birthday or anniversary is today in the tenant's
    time zone; recorded in greetings_sent so running the job again the same day emits nothing.
    29 February birthdays are greeted on 28 February in common years.
    """
    tz = ZoneInfo(time_zone)
    today = (now or dt.datetime.now(dt.UTC)).astimezone(tz).date()
    leap_day = today.month == 2 and today.day == 28 and not _is_leap(today.year)
    sent = 0
    for occasion, column in (("birthday", Contact.birthday), ("anniversary", Contact.anniversary)):
        day_match = (extract("month", column) == today.month) & (
            extract("day", column) == today.day
        )
        if leap_day:
            day_match = or_(
                day_match, (extract("month", column) == 2) & (extract("day", column) == 29)
            )
        contacts = (
            await session.execute(select(Contact).where(Contact.tenant_id == tenant_id, day_match))
        ).scalars()
        for c in contacts:
            fresh = (
                await session.execute(
                    pg_insert(GreetingSent)
                    .values(
                        id=uuid7(),
                        tenant_id=tenant_id,
                        contact_id=c.id,
                        occasion=occasion,
                        year=today.year,
                        created_at=dt.datetime.now(dt.UTC),
                    )
                    .on_conflict_do_nothing()
                    .returning(GreetingSent.id)
                )
            ).first()
            if fresh is None:
                continue
            born = getattr(c, occasion)
            await add_event(
                session,
                topic=CONTACT_TOPIC,
                aggregate_type="contact",
                aggregate_id=c.party_id,
                tenant_id=tenant_id,
                event=ev.BirthdayDue(
                    party_id=str(c.party_id),
                    contact_id=str(c.id),
                    occasion=occasion,
                    first_name=c.first_name,
                    last_name=c.last_name or "",
                    phones=list(c.phones or []),
                    emails=list(c.emails or []),
                    date=today.isoformat(),
                    years=today.year - born.year,
                    time_zone=time_zone,
                ),
            )
            sent += 1
    return sent


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
