"""Consent rules (M5), enforced on every send, campaign and notice.

* Marketing needs a prior opt-in on that channel (Israel's Communications Law,
  section 30A, the "anti-spam law"), and its subject (email) or body (SMS,
  WhatsApp) must start with the word "פרסומת".
* Transactional messages go out unless the address opted out of them.
* An SMS STOP reply opts the number out of both purposes on SMS; an unsubscribe
  link opts the address out of marketing on that channel.
"""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import UTC

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.messaging.v1 import message_events_pb2 as ev
from crm_common.errors import Validator
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp
from crm_messaging.consent.models import Consent
from crm_messaging.consent.repository import ConsentRepository
from crm_messaging.messages.models import CHANNELS, PURPOSES

CONSENT_TOPIC = "crm.messaging.consent"
STOP_WORDS = {
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "הסר",
    "הסרה",
    "הסירו",
    "עצור",
}


def is_stop_reply(text: str) -> bool:
    return text.strip().strip(".!").upper() in STOP_WORDS


def refusal(decisions: dict[tuple[str, str], bool], address: str, purpose: str) -> str | None:
    """Why ``address`` may not receive a ``purpose`` message, or None when it may."""
    decision = decisions.get((address, purpose))
    if purpose == "marketing" and decision is not True:
        if decision is False:
            return "opted out of marketing"
        return "no prior consent to marketing"
    if purpose == "transactional" and decision is False:
        return "opted out"
    return None


async def refusals(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    channel: str,
    purpose: str,
    addresses: list[str],
) -> dict[str, str]:
    decisions = await ConsentRepository(session).decisions(
        tenant_id=tenant_id, channel=channel, addresses=addresses
    )
    out = {}
    for address in addresses:
        reason = refusal(decisions, address, purpose)
        if reason:
            out[address] = reason
    return out


async def set_consent(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    channel: str,
    address: str,
    purpose: str,
    granted: bool,
    source: str,
    party_id: uuid.UUID | None,
    at: dt.datetime | None = None,
) -> Consent:
    v = Validator()
    if channel not in CHANNELS:
        v.add("channel", f"must be one of {', '.join(CHANNELS)}")
    if purpose not in PURPOSES:
        v.add("purpose", f"must be one of {', '.join(PURPOSES)}")
    if not source.strip() or len(source) > 100:
        v.add("source", "required (where the decision was made), at most 100 characters")
    v.raise_if_any("the consent is not valid")
    at = at or dt.datetime.now(UTC)
    consent = await ConsentRepository(session).upsert(
        tenant_id=tenant_id,
        channel=channel,
        address=address,
        purpose=purpose,
        party_id=party_id,
        granted=granted,
        source=source.strip(),
        changed_at=at,
    )
    await add_event(
        session,
        topic=CONSENT_TOPIC,
        aggregate_type="consent",
        aggregate_id=str(party_id or address),
        tenant_id=tenant_id,
        event=ev.ConsentChanged(
            party_id=str(party_id or ""),
            address=address,
            channel=channel,
            purpose=purpose,
            granted=granted,
            source=source.strip(),
            changed_at=timestamp(at),
        ),
        occurred_at=at,
    )
    return consent


async def opt_out_everything(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    channel: str,
    address: str,
    source: str,
    party_id: uuid.UUID | None,
) -> None:
    for purpose in PURPOSES:
        await set_consent(
            session=session,
            tenant_id=tenant_id,
            channel=channel,
            address=address,
            purpose=purpose,
            granted=False,
            source=source,
            party_id=party_id,
        )


async def list_consents(
    *, session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID | None, address: str | None
) -> list[Consent]:
    return await ConsentRepository(session).list(
        tenant_id=tenant_id, party_id=party_id, address=address
    )
