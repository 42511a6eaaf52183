"""Every query of the parties module."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_messaging.parties.models import Party


class PartyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, *, tenant_id: uuid.UUID, party_id: uuid.UUID) -> Party | None:
        stmt = select(Party).where(Party.tenant_id == tenant_id, Party.party_id == party_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def upsert(
        self,
        *,
        tenant_id: uuid.UUID,
        party_id: uuid.UUID,
        name: str,
        phone: str | None,
        email: str | None,
        updated_at: dt.datetime,
    ) -> None:
        """Insert or overwrite the party, unless the stored copy is newer."""
        stmt = pg_insert(Party).values(
            tenant_id=tenant_id,
            party_id=party_id,
            name=name,
            phone=phone,
            email=email,
            updated_at=updated_at,
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[Party.tenant_id, Party.party_id],
            set_={c: stmt.excluded[c] for c in ("name", "phone", "email", "updated_at")},
            where=Party.updated_at <= stmt.excluded.updated_at,
        )
        await self.session.execute(stmt)

    async def by_phone(self, *, tenant_id: uuid.UUID, phone: str) -> Party | None:
        stmt = (
            select(Party)
            .where(Party.tenant_id == tenant_id, Party.phone == phone)
            .order_by(Party.updated_at.desc())
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def by_email(self, *, tenant_id: uuid.UUID, email: str) -> Party | None:
        stmt = (
            select(Party)
            .where(Party.tenant_id == tenant_id, Party.email == email)
            .order_by(Party.updated_at.desc())
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def many(self, *, tenant_id: uuid.UUID, party_ids: list[uuid.UUID]) -> dict:
        stmt = select(Party).where(Party.tenant_id == tenant_id, Party.party_id.in_(party_ids))
        return {p.party_id: p for p in (await self.session.execute(stmt)).scalars()}
