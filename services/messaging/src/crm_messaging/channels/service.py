"""Channel accounts: what each tenant's provider webhooks are verified with."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.audit import record_upsert
from crm_common.errors import NotFound, Validator
from crm_messaging.channels.models import PROVIDERS, ChannelAccount


async def configure(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    provider: str,
    webhook_secret: str,
    verify_token: str,
    sender: str,
) -> ChannelAccount:
    v = Validator()
    if provider not in PROVIDERS:
        v.add("provider", f"must be one of {', '.join(PROVIDERS)}")
    if len(webhook_secret) < 16 or len(webhook_secret) > 500:
        v.add("webhook_secret", "16 to 500 characters")
    if provider == "whatsapp" and len(verify_token) < 8:
        v.add("verify_token", "at least 8 characters for the WhatsApp verification handshake")
    v.raise_if_any("the channel configuration is not valid")
    stmt = pg_insert(ChannelAccount).values(
        tenant_id=tenant_id,
        provider=provider,
        webhook_secret=webhook_secret,
        verify_token=verify_token,
        sender=sender,
        updated_at=func.now(),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["tenant_id", "provider"],
        set_={
            c: stmt.excluded[c] for c in ("webhook_secret", "verify_token", "sender", "updated_at")
        },
    ).returning(ChannelAccount)
    row = (await session.execute(stmt, execution_options={"populate_existing": True})).scalar_one()
    written = {"webhook_secret": webhook_secret, "verify_token": verify_token, "sender": sender}
    await record_upsert(session, ChannelAccount, provider, written, tenant_id=tenant_id)  # A5
    return row


async def get(*, session: AsyncSession, tenant_id: uuid.UUID, provider: str) -> ChannelAccount:
    stmt = select(ChannelAccount).where(
        ChannelAccount.tenant_id == tenant_id, ChannelAccount.provider == provider
    )
    account = (await session.execute(stmt)).scalar_one_or_none()
    if account is None:
        raise NotFound(f"no {provider} channel is configured for this tenant")
    return account
