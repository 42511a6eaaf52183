"""Party use cases. They flush; the edge commits."""

from __future__ import annotations

import datetime as dt
import functools
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


@functools.lru_cache(maxsize=65536)
def normalized_phone(raw: str) -> str | None:
    """E.164 of ``raw`` (Israeli numbers may be local: 050-...), or None if it is no number.

    Cached: libphonenumber is slow (it retries imports of region metadata it does not
    have), and a campaign normalises every recipient more than once.
    """
    from crm_common.normalize import normalize_phone

    raw = raw.strip()
    if not raw:
        return None
    try:
        return normalize_phone(raw if raw.startswith(("+", "0")) else "+" + raw)
    except ValueError:
        return None


async def find_by_phone(*, session: AsyncSession, tenant_id: uuid.UUID, phone: str) -> Party | None:
    e164 = normalized_phone(phone)
    if e164 is None:
        return None
    return await PartyRepository(session).by_phone(tenant_id=tenant_id, phone=e164)


async def find_by_address(
    *, session: AsyncSession, tenant_id: uuid.UUID, channel: str, address: str
) -> Party | None:
    repo = PartyRepository(session)
    if channel == "email":
        return await repo.by_email(tenant_id=tenant_id, email=address.lower())
    return await repo.by_phone(tenant_id=tenant_id, phone=address)
