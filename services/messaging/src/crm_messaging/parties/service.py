"""Party use cases. They flush; the edge commits."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import NotFound
from crm_messaging.parties.models import Party
from crm_messaging.parties.repository import PartyRepository


async def record_party(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    name: str,
    phone: str | None,
    email: str | None,
    updated_at: dt.datetime,
) -> None:
    await PartyRepository(session).upsert(
        tenant_id=tenant_id,
        party_id=party_id,
        name=name,
        phone=phone,
        email=email,
        updated_at=updated_at,
    )


async def get_party(*, session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID) -> Party:
    party = await PartyRepository(session).get(tenant_id=tenant_id, party_id=party_id)
    if party is None:
        raise NotFound(f"party {party_id} not found")
    return party
