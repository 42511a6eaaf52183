"""Every query of the telephony module."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_messaging.telephony.models import Call, DialerEntry


class CallRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_provider_id(self, *, tenant_id: uuid.UUID, provider_call_id: str) -> Call | None:
        stmt = (
            select(Call)
            .where(Call.tenant_id == tenant_id, Call.provider_call_id == provider_call_id)
            .with_for_update()
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def list_for_party(
        self, *, tenant_id: uuid.UUID, party_id: uuid.UUID, limit: int
    ) -> list[Call]:
        stmt = (
            select(Call)
            .where(Call.tenant_id == tenant_id, Call.party_id == party_id)
            .order_by(Call.id.desc())
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())


class DialerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, rows: list[dict]) -> int:
        if not rows:
            return 0
        stmt = (
            pg_insert(DialerEntry).values(rows).on_conflict_do_nothing().returning(DialerEntry.id)
        )
        return len((await self.session.execute(stmt)).all())

    async def next_waiting(self, *, tenant_id: uuid.UUID, queue: str) -> DialerEntry | None:
        stmt = (
            select(DialerEntry)
            .where(
                DialerEntry.tenant_id == tenant_id,
                DialerEntry.queue == queue,
                DialerEntry.status == "waiting",
            )
            .order_by(DialerEntry.created_at, DialerEntry.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()
