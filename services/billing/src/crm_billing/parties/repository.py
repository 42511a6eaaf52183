"""Every query of the parties module."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_billing.parties.models import Party


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
        """Insert or overwrite the party with contacts' copy, unless the stored copy is newer.

        A provisional party (made from a won deal, origin 'deal') is always overwritten: it
        becomes contacts' customer, the same row; a phone or email contacts leaves empty
        keeps the deal's.
        """
        stmt = pg_insert(Party).values(
            tenant_id=tenant_id,
            party_id=party_id,
            name=name,
            phone=phone,
            email=email,
            updated_at=updated_at,
            origin="contacts",
        )
        provisional = Party.origin == "deal"
        stmt = stmt.on_conflict_do_update(
            index_elements=[Party.tenant_id, Party.party_id],
            set_={
                "name": stmt.excluded.name,
                "phone": func.coalesce(stmt.excluded.phone, Party.phone),
                "email": func.coalesce(stmt.excluded.email, Party.email),
                "updated_at": stmt.excluded.updated_at,
                "origin": "contacts",
            },
            where=or_(provisional, Party.updated_at <= stmt.excluded.updated_at),
        )
        await self.session.execute(stmt)

    async def insert_provisional(
        self,
        *,
        tenant_id: uuid.UUID,
        party_id: uuid.UUID,
        name: str,
        phone: str | None,
        email: str | None,
        updated_at: dt.datetime,
    ) -> None:
        """A party known only from a won deal (origin 'deal'), unless billing has it already.

        Contacts' copy is never touched; a provisional one only gains a missing phone/email.
        """
        stmt = pg_insert(Party).values(
            tenant_id=tenant_id,
            party_id=party_id,
            name=name,
            phone=phone,
            email=email,
            updated_at=updated_at,
            origin="deal",
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[Party.tenant_id, Party.party_id],
            set_={
                "phone": func.coalesce(Party.phone, stmt.excluded.phone),
                "email": func.coalesce(Party.email, stmt.excluded.email),
            },
            where=Party.origin == "deal",
        )
        await self.session.execute(stmt)
