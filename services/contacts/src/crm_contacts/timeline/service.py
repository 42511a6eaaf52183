"""Timeline use cases (C4): append entries, read a party's timeline newest first."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db import uuid7
from crm_common.errors import InvalidArgument
from crm_common.normalize import decode_page_token, encode_page_token
from crm_contacts.timeline.models import TimelineEntry

# Kinds the card can filter on (C4); other services' events map onto these.
KINDS = (
    "lead",
    "customer",
    "call",
    "meeting",
    "note",
    "email",
    "whatsapp",
    "sms",
    "recording",
    "quote",
    "order",
    "invoice",
    "payment",
    "service",
    "hours",
    "task",
    "transfer",
    "section_record",
    "attachment",
)


@dataclass
class EntryData:
    party_id: uuid.UUID
    kind: str
    title: str
    occurred_at: dt.datetime
    body: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    actor_user_id: uuid.UUID | None = None


async def add_entry(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    entry: EntryData,
    *,
    source: str,
    source_event_id: uuid.UUID | None = None,
) -> bool:
    """Insert one entry; False if this event was already recorded (replays are no-ops)."""
    if entry.kind not in KINDS:
        raise ValueError(f"unknown timeline kind {entry.kind}")
    stmt = (
        pg_insert(TimelineEntry)
        .values(
            id=uuid7(),
            tenant_id=tenant_id,
            party_id=entry.party_id,
            kind=entry.kind,
            occurred_at=entry.occurred_at,
            title=entry.title[:300],
            body=entry.body,
            source=source,
            source_event_id=source_event_id,
            actor_user_id=entry.actor_user_id,
            data=entry.data,
        )
        .on_conflict_do_nothing()
        .returning(TimelineEntry.id)
    )
    return (await session.execute(stmt)).first() is not None


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _token(e: TimelineEntry) -> str:
    # Keyset on (occurred_at, id): the id's 16 bytes + the instant in microseconds.
    micros = (e.occurred_at - _EPOCH) // dt.timedelta(microseconds=1)
    return f"{micros}.{encode_page_token(e.id)}"


def _parse_token(token: str) -> tuple[dt.datetime, uuid.UUID]:
    try:
        micros, tid = token.split(".", 1)
        return _EPOCH + dt.timedelta(microseconds=int(micros)), decode_page_token(tid)
    except ValueError:
        raise InvalidArgument("page_token is not valid") from None


async def party_timeline(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    *,
    kinds: list[str],
    page_size: int,
    page_token: str,
) -> tuple[list[TimelineEntry], str]:
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise InvalidArgument(f"unknown kind(s): {', '.join(bad)}")
    size = min(page_size or 50, 200)
    stmt = select(TimelineEntry).where(
        TimelineEntry.tenant_id == tenant_id, TimelineEntry.party_id == party_id
    )
    if kinds:
        stmt = stmt.where(TimelineEntry.kind.in_(kinds))
    if page_token:
        at, last = _parse_token(page_token)
        stmt = stmt.where(
            or_(
                TimelineEntry.occurred_at < at,
                and_(TimelineEntry.occurred_at == at, TimelineEntry.id < last),
            )
        )
    stmt = stmt.order_by(TimelineEntry.occurred_at.desc(), TimelineEntry.id.desc()).limit(size + 1)
    rows = list((await session.execute(stmt)).scalars())
    token = _token(rows[size - 1]) if len(rows) > size else ""
    return rows[:size], token
