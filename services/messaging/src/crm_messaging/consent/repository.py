"""Every query of the consent module."""

from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.audit import record_upsert
from crm_messaging.consent.models import Consent


class ConsentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def decisions(
        self, *, tenant_id: uuid.UUID, channel: str, addresses: list[str]
    ) -> dict[tuple[str, str], bool]:
        """``{(address, purpose): granted}`` for the given addresses on one channel."""
        stmt = select(Consent.address, Consent.purpose, Consent.granted).where(
            Consent.tenant_id == tenant_id,
            Consent.channel == channel,
            Consent.address.in_(addresses),
        )
        return {(a, p): g for a, p, g in (await self.session.execute(stmt)).all()}

    async def upsert(self, **values) -> Consent:
        stmt = pg_insert(Consent).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=["tenant_id", "channel", "address", "purpose"],
            set_={c: stmt.excluded[c] for c in ("party_id", "granted", "source", "changed_at")},
            where=Consent.changed_at <= stmt.excluded.changed_at,
        ).returning(Consent)
        result = await self.session.execute(stmt, execution_options={"populate_existing": True})
        row = result.scalar_one_or_none()
        if row is None:  # a newer decision is already stored
            row = (
                await self.session.execute(
                    select(Consent).where(
                        Consent.tenant_id == values["tenant_id"],
                        Consent.channel == values["channel"],
                        Consent.address == values["address"],
                        Consent.purpose == values["purpose"],
                    )
                )
            ).scalar_one()
        else:  # A5: the decision was stored
            key = f"{row.channel}:{row.address}:{row.purpose}"
            await record_upsert(self.session, Consent, key, values, tenant_id=row.tenant_id)
        return row

    async def list(
        self, *, tenant_id: uuid.UUID, party_id: uuid.UUID | None, address: str | None
    ) -> list[Consent]:
        conds = []
        if party_id is not None:
            conds.append(Consent.party_id == party_id)
        if address:
            conds.append(Consent.address == address)
        stmt = (
            select(Consent)
            .where(Consent.tenant_id == tenant_id, or_(*conds))
            .order_by(Consent.channel, Consent.purpose)
        )
        return list((await self.session.execute(stmt)).scalars())
