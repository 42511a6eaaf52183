"""Every query of the messages module."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_messaging.messages.models import Message, MessageAttachment, WebhookReceipt


class MessageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, *, tenant_id: uuid.UUID, message_id: uuid.UUID) -> Message | None:
        stmt = select(Message).where(Message.tenant_id == tenant_id, Message.id == message_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_idempotency_key(self, *, tenant_id: uuid.UUID, key: str) -> Message | None:
        stmt = select(Message).where(Message.tenant_id == tenant_id, Message.idempotency_key == key)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_provider_id(
        self, *, tenant_id: uuid.UUID, channel: str, provider_message_id: str
    ) -> Message | None:
        stmt = select(Message).where(
            Message.tenant_id == tenant_id,
            Message.channel == channel,
            Message.provider_message_id == provider_message_id,
            Message.direction == "out",
        )
        return (await self.session.execute(stmt)).scalars().first()

    async def add(self, message: Message, attachments: list[MessageAttachment]) -> bool:
        """Insert; False (and nothing written) when the idempotency key is taken.

        ``ON CONFLICT DO NOTHING`` never aborts the transaction, so no savepoint is needed.
        """
        values = {
            c.key: getattr(message, c.key)
            for c in Message.__table__.columns
            if getattr(message, c.key, None) is not None
        }
        stmt = (
            pg_insert(Message)
            .values(**values)
            .on_conflict_do_nothing(
                index_elements=["tenant_id", "idempotency_key"],
                index_where=text("idempotency_key IS NOT NULL"),
            )
            .returning(Message.id)
        )
        if (await self.session.execute(stmt)).scalar_one_or_none() is None:
            return False
        for att in attachments:
            self.session.add(att)
        if attachments:
            await self.session.flush()
        return True

    async def last_inbound_at(
        self, *, tenant_id: uuid.UUID, channel: str, address: str
    ) -> dt.datetime | None:
        stmt = select(func.max(Message.created_at)).where(
            Message.tenant_id == tenant_id,
            Message.channel == channel,
            Message.direction == "in",
            Message.from_address == address,
        )
        return (await self.session.execute(stmt)).scalar_one()

    async def list_for_party(
        self, *, tenant_id: uuid.UUID, party_id: uuid.UUID, limit: int, before: uuid.UUID | None
    ) -> list[Message]:
        stmt = select(Message).where(Message.tenant_id == tenant_id, Message.party_id == party_id)
        if before is not None:
            stmt = stmt.where(Message.id < before)
        stmt = stmt.order_by(Message.id.desc()).limit(limit)
        return list((await self.session.execute(stmt)).scalars())

    async def attachments(self, *, message_ids: list[uuid.UUID]) -> list[MessageAttachment]:
        stmt = select(MessageAttachment).where(MessageAttachment.message_id.in_(message_ids))
        return list((await self.session.execute(stmt)).scalars())

    # --- the dispatcher -------------------------------------------------------------

    async def due_tenants(self, *, now: dt.datetime, limit: int) -> list[uuid.UUID]:
        """Tenants with due messages (the dispatcher's read-only cross-tenant scan)."""
        await self.session.execute(text("SELECT set_config('app.dispatcher', 'on', true)"))
        stmt = (
            select(Message.tenant_id)
            .where(Message.status == "queued", Message.next_attempt_at <= now)
            .group_by(Message.tenant_id)
            .limit(limit)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def stale_claims(self, *, older_than: dt.datetime, limit: int) -> list[tuple]:
        await self.session.execute(text("SELECT set_config('app.dispatcher', 'on', true)"))
        stmt = (
            select(Message.tenant_id, Message.id)
            .where(Message.status == "sending", Message.claimed_at < older_than)
            .limit(limit)
        )
        return [tuple(r) for r in (await self.session.execute(stmt)).all()]

    async def claim(self, *, tenant_id: uuid.UUID, now: dt.datetime, limit: int) -> list[Message]:
        """Mark up to ``limit`` due messages of one tenant ``sending`` (skips locked rows).

        Two statements on purpose: ``UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE
        SKIP LOCKED)`` may run the sub-select more than once and claim more than ``n``.
        """
        due = (
            select(Message.id)
            .where(
                Message.tenant_id == tenant_id,
                Message.status == "queued",
                Message.next_attempt_at <= now,
            )
            .order_by(Message.next_attempt_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        ids = list((await self.session.execute(due)).scalars())
        if not ids:
            return []
        stmt = (
            update(Message)
            .where(Message.id.in_(ids))
            .values(
                status="sending",
                claimed_at=now,
                attempts=Message.attempts + 1,
                updated_at=now,
            )
            .returning(Message)
        )
        result = await self.session.execute(stmt, execution_options={"populate_existing": True})
        return list(result.scalars())

    async def add_receipt(self, *, tenant_id: uuid.UUID, provider: str, key: str) -> bool:
        stmt = (
            pg_insert(WebhookReceipt)
            .values(tenant_id=tenant_id, provider=provider, receipt_key=key)
            .on_conflict_do_nothing()
            .returning(WebhookReceipt.receipt_key)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none() is not None
