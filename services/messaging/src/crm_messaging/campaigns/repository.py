"""Every query of the campaigns module."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_messaging.campaigns.models import Campaign, CampaignRecipient
from crm_messaging.messages.models import Message


class CampaignRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, *, tenant_id: uuid.UUID, campaign_id: uuid.UUID, lock: bool = False
    ) -> Campaign | None:
        stmt = select(Campaign).where(Campaign.tenant_id == tenant_id, Campaign.id == campaign_id)
        if lock:
            stmt = stmt.with_for_update()
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_idempotency_key(self, *, tenant_id: uuid.UUID, key: str) -> Campaign | None:
        stmt = select(Campaign).where(
            Campaign.tenant_id == tenant_id, Campaign.idempotency_key == key
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add_recipients(self, rows: list[dict]) -> None:
        for i in range(0, len(rows), 2000):
            stmt = pg_insert(CampaignRecipient).values(rows[i : i + 2000])
            await self.session.execute(
                stmt.on_conflict_do_nothing(index_elements=["campaign_id", "address"])
            )

    async def due(self, *, now: dt.datetime) -> list[tuple[uuid.UUID, uuid.UUID]]:
        await self.session.execute(text("SELECT set_config('app.dispatcher', 'on', true)"))
        stmt = select(Campaign.tenant_id, Campaign.id).where(
            Campaign.status.in_(("scheduled", "running")), Campaign.scheduled_at <= now
        )
        return [tuple(r) for r in (await self.session.execute(stmt)).all()]

    async def running(self) -> list[tuple[uuid.UUID, uuid.UUID]]:
        await self.session.execute(text("SELECT set_config('app.dispatcher', 'on', true)"))
        stmt = select(Campaign.tenant_id, Campaign.id).where(Campaign.status == "running")
        return [tuple(r) for r in (await self.session.execute(stmt)).all()]

    async def next_pending(self, *, campaign_id: uuid.UUID, limit: int) -> list[CampaignRecipient]:
        stmt = (
            select(CampaignRecipient)
            .where(
                CampaignRecipient.campaign_id == campaign_id, CampaignRecipient.state == "pending"
            )
            .order_by(CampaignRecipient.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def unfinished(self, *, campaign_id: uuid.UUID) -> bool:
        """A recipient still pending or a message still queued/sending (two index probes,
        not the full progress aggregate: the dispatcher asks on every pass)."""
        pending = (
            select(CampaignRecipient.id)
            .where(
                CampaignRecipient.campaign_id == campaign_id, CampaignRecipient.state == "pending"
            )
            .limit(1)
        )
        if (await self.session.execute(pending)).first() is not None:
            return True
        in_flight = (
            select(Message.id)
            .where(Message.campaign_id == campaign_id, Message.status.in_(("queued", "sending")))
            .limit(1)
        )
        return (await self.session.execute(in_flight)).first() is not None

    async def progress(self, *, campaign_id: uuid.UUID) -> list[tuple[str, str | None, int]]:
        stmt = (
            select(CampaignRecipient.state, Message.status, func.count())
            .select_from(CampaignRecipient)
            .outerjoin(Message, Message.id == CampaignRecipient.message_id)
            .where(CampaignRecipient.campaign_id == campaign_id)
            .group_by(CampaignRecipient.state, Message.status)
        )
        return [tuple(r) for r in (await self.session.execute(stmt)).all()]
