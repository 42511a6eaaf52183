"""Message use cases: accept a send request, apply provider statuses, record inbound.

They flush; the edge (gRPC interceptor, consumer loop, dispatcher) commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db import uuid7
from crm_common.errors import FailedPrecondition, NotFound, Validator
from crm_common.normalize import normalize_email
from crm_common.pagination import PageRequest
from crm_messaging.consent import service as consent
from crm_messaging.messages import events
from crm_messaging.messages.models import (
    CHANNELS,
    PURPOSES,
    STATUS_RANK,
    Message,
    MessageAttachment,
)
from crm_messaging.messages.repository import MessageRepository
from crm_messaging.parties.models import Party
from crm_messaging.parties.repository import PartyRepository
from crm_messaging.parties.service import find_by_address, normalized_phone
from crm_messaging.providers.sms import sms_cost_agorot, sms_segments
from crm_messaging.templates import service as templates
from crm_messaging.templates.models import Template

WHATSAPP_WINDOW = dt.timedelta(hours=24)
MAX_ATTACHMENTS_BYTES = 10 * 1024 * 1024
DEFAULT_SMS_COST_AGOROT = 8


@dataclass(frozen=True, slots=True)
class AttachmentIn:
    filename: str
    content_type: str
    content: bytes


@dataclass
class SendCommand:
    idempotency_key: str
    channel: str
    purpose: str
    party_id: uuid.UUID | None = None
    to_address: str = ""
    subject: str = ""
    text: str = ""
    html: str = ""
    template_name: str = ""
    language: str = "he"
    variables: Mapping[str, str] = field(default_factory=dict)
    attachments: list[AttachmentIn] = field(default_factory=list)
    campaign_id: uuid.UUID | None = None
    # Not before this moment (a reminder); None: now.
    send_at: dt.datetime | None = None


class Refused(FailedPrecondition):
    """The recipient may not receive this message (consent)."""


def normalize_address(channel: str, raw: str) -> str:
    """ValueError when ``raw`` is no address of the channel."""
    if channel == "email":
        return normalize_email(raw)
    e164 = normalized_phone(raw)
    if e164 is None:
        raise ValueError(f"not a valid phone number: {raw!r}")
    return e164


def has_marketing_mark(channel: str, subject: str, text: str) -> bool:
    head = subject if channel == "email" else text
    return head.lstrip().startswith(templates.MARKETING_MARK)


def validate(cmd: SendCommand) -> None:
    v = Validator()
    if not cmd.idempotency_key.strip() or len(cmd.idempotency_key) > 200:
        v.add("idempotency_key", "required, at most 200 characters")
    if cmd.channel not in CHANNELS:
        v.add("channel", f"must be one of {', '.join(CHANNELS)}")
    if cmd.purpose not in PURPOSES:
        v.add("purpose", f"must be one of {', '.join(PURPOSES)}")
    if cmd.party_id is None and not cmd.to_address.strip():
        v.add("to_address", "give a party_id or an address")
    elif cmd.to_address.strip() and cmd.channel in CHANNELS:
        try:
            normalize_address(cmd.channel, cmd.to_address)
        except ValueError as exc:
            v.add("to_address", str(exc))
    if not cmd.template_name and not cmd.text.strip() and not cmd.html.strip():
        v.add("text", "give a text (or html) or a template_name")
    if cmd.language not in templates.LANGUAGES:
        v.add("language", "must be 'he' or 'en'")
    if cmd.attachments and cmd.channel != "email":
        v.add("attachments", "only email messages carry attachments")
    if sum(len(a.content) for a in cmd.attachments) > MAX_ATTACHMENTS_BYTES:
        v.add("attachments", "at most 10 MB in total")
    for i, a in enumerate(cmd.attachments):
        if not a.filename.strip():
            v.add(f"attachments[{i}].filename", "required")
        if "/" not in a.content_type:
            v.add(f"attachments[{i}].content_type", "must be a MIME type such as application/pdf")
    if cmd.channel == "email" and not cmd.template_name and not cmd.subject.strip():
        v.add("subject", "required for email")
    v.raise_if_any("the message is not valid")


@dataclass
class Prepared:
    message: Message
    attachments: list[MessageAttachment]


async def prepare(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    cmd: SendCommand,
    party: Party | None,
    template: Template | None,
    refusal: str | None,
    now: dt.datetime,
    sms_cost_per_segment: int = DEFAULT_SMS_COST_AGOROT,
) -> Prepared:
    """Build the message row; raises when it must not be sent."""
    v = Validator()
    raw = cmd.to_address.strip()
    if not raw and party is not None:
        raw = (party.email if cmd.channel == "email" else party.phone) or ""
        if not raw:
            v.add("party_id", f"the party has no {'email' if cmd.channel == 'email' else 'phone'}")
    address = ""
    if raw:
        try:
            address = normalize_address(cmd.channel, raw)
        except ValueError as exc:
            v.add("to_address", str(exc))
    v.raise_if_any("the message is not valid")

    subject, text, html = cmd.subject, cmd.text, cmd.html
    provider_template, params = None, ()
    if template is not None:
        rendered = templates.render_template(template, party, cmd.variables)
        subject, text, html = rendered.subject, rendered.text, rendered.html
        provider_template, params = template.provider_template, rendered.params

    if cmd.purpose == "marketing" and not has_marketing_mark(cmd.channel, subject, text):
        where = "subject" if cmd.channel == "email" else "text"
        v.add(where, f"a marketing message must start with the word {templates.MARKETING_MARK!r}")
        v.raise_if_any("marketing messages must be marked as advertising (Communications Law §30A)")
    if refusal:
        raise Refused(f"{address} may not receive {cmd.purpose} {cmd.channel}: {refusal}")

    if cmd.channel == "whatsapp":
        last_in = await MessageRepository(session).last_inbound_at(
            tenant_id=tenant_id, channel="whatsapp", address=address
        )
        inside = last_in is not None and now - last_in < WHATSAPP_WINDOW
        if inside:
            provider_template, params = None, ()
        elif not provider_template:
            raise FailedPrecondition(
                "outside the 24-hour customer-service window WhatsApp allows only "
                "approved templates: send a template with a provider_template",
                reason="WHATSAPP_WINDOW_CLOSED",
            )

    segments = sms_segments(text) if cmd.channel == "sms" else 0
    message = Message(
        id=uuid7(),
        tenant_id=tenant_id,
        party_id=party.party_id if party else cmd.party_id,
        channel=cmd.channel,
        purpose=cmd.purpose,
        direction="out",
        to_address=address,
        from_address="",
        subject=subject,
        text=text,
        html=html,
        language=cmd.language,
        provider_template=provider_template,
        template_params=list(params),
        status="queued",
        attempts=0,
        next_attempt_at=max(now, cmd.send_at) if cmd.send_at else now,
        idempotency_key=cmd.idempotency_key,
        campaign_id=cmd.campaign_id,
        segments=segments,
        cost_agorot=sms_cost_agorot(text, sms_cost_per_segment) if cmd.channel == "sms" else 0,
        created_at=now,
        updated_at=now,
    )
    attachments = [
        MessageAttachment(
            id=uuid7(),
            tenant_id=tenant_id,
            message_id=message.id,
            filename=a.filename,
            content_type=a.content_type,
            content=a.content,
        )
        for a in cmd.attachments
    ]
    return Prepared(message=message, attachments=attachments)


async def send_message(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    cmd: SendCommand,
    sms_cost_per_segment: int = DEFAULT_SMS_COST_AGOROT,
    now: dt.datetime | None = None,
) -> tuple[Message, bool]:
    """Store and queue one message; ``(message, True)`` when the key was used before."""
    validate(cmd)
    repo = MessageRepository(session)
    existing = await repo.by_idempotency_key(tenant_id=tenant_id, key=cmd.idempotency_key)
    if existing is not None:
        return existing, True
    now = now or dt.datetime.now(UTC)
    party = None
    if cmd.party_id is not None:
        party = await PartyRepository(session).get(tenant_id=tenant_id, party_id=cmd.party_id)
        if party is None and not cmd.to_address:
            raise NotFound(f"party {cmd.party_id} not found")
    template = None
    if cmd.template_name:
        template = await templates.get_template(
            session=session,
            tenant_id=tenant_id,
            channel=cmd.channel,
            name=cmd.template_name,
            language=cmd.language,
        )
    address = cmd.to_address.strip() or (
        (party.email if cmd.channel == "email" else party.phone) if party else ""
    )
    refusal = None
    if address:
        try:
            normalized = normalize_address(cmd.channel, address)
        except ValueError:
            normalized = None
        if normalized is not None:
            refusal = (
                await consent.refusals(
                    session=session,
                    tenant_id=tenant_id,
                    channel=cmd.channel,
                    purpose=cmd.purpose,
                    addresses=[normalized],
                )
            ).get(normalized)
            if party is None and cmd.party_id is None:
                party = await find_by_address(
                    session=session, tenant_id=tenant_id, channel=cmd.channel, address=normalized
                )
    prepared = await prepare(
        session=session,
        tenant_id=tenant_id,
        cmd=cmd,
        party=party,
        template=template,
        refusal=refusal,
        now=now,
        sms_cost_per_segment=sms_cost_per_segment,
    )
    if not await repo.add(prepared.message, prepared.attachments):
        # A concurrent request with the same key won the race.
        existing = await repo.by_idempotency_key(tenant_id=tenant_id, key=cmd.idempotency_key)
        assert existing is not None
        return existing, True
    await events.message_queued(session, prepared.message)
    return prepared.message, False


async def get_message(
    *, session: AsyncSession, tenant_id: uuid.UUID, message_id: uuid.UUID
) -> Message:
    message = await MessageRepository(session).get(tenant_id=tenant_id, message_id=message_id)
    if message is None:
        raise NotFound(f"message {message_id} not found")
    return message


async def list_messages(
    *, session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID, page: PageRequest
) -> list[Message]:
    return await MessageRepository(session).list_for_party(
        tenant_id=tenant_id, party_id=party_id, limit=page.size + 1, before=page.before
    )


# Provider status words -> ours.
PROVIDER_STATUS = {
    "accepted": "sent",
    "queued": "sent",
    "sending": "sent",
    "sent": "sent",
    "delivered": "delivered",
    "read": "read",
    "undelivered": "failed",
    "failed": "failed",
}


async def apply_status(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    channel: str,
    provider_message_id: str,
    provider_status: str,
    reason: str,
    at: dt.datetime,
) -> Message | None:
    """Move a message forward on a provider callback (never backwards); None if unknown."""
    status = PROVIDER_STATUS.get(provider_status.lower())
    if status is None:
        return None
    message = await MessageRepository(session).by_provider_id(
        tenant_id=tenant_id, channel=channel, provider_message_id=provider_message_id
    )
    if message is None or message.status == "failed":
        return message
    if status != "failed" and STATUS_RANK.get(status, 0) <= STATUS_RANK.get(message.status, 0):
        return message
    message.status = status
    message.failure_reason = reason or None if status == "failed" else message.failure_reason
    message.updated_at = at
    await session.flush()
    await events.message_status_changed(session, message, at)
    return message


@dataclass
class Inbound:
    channel: str
    from_address: str
    to_address: str
    text: str
    provider_message_id: str
    at: dt.datetime
    subject: str = ""
    html: str = ""
    in_reply_to: str = ""


async def record_inbound(
    *, session: AsyncSession, tenant_id: uuid.UUID, inbound: Inbound
) -> Message:
    """Store an inbound message on the sender's party and thread; STOP replies opt out."""
    try:
        address = normalize_address(inbound.channel, inbound.from_address)
    except ValueError:
        address = inbound.from_address.strip().lower()
    repo = MessageRepository(session)
    party = await find_by_address(
        session=session, tenant_id=tenant_id, channel=inbound.channel, address=address
    )
    thread_id = f"{inbound.channel}:{address}"
    if inbound.in_reply_to:
        # Our Message-ID is <message-uuid@domain>: thread a reply to the message it answers.
        local = inbound.in_reply_to.strip("<> ").split("@", 1)[0]
        try:
            original = await repo.get(tenant_id=tenant_id, message_id=uuid.UUID(local))
        except ValueError:
            original = None
        if original is not None:
            thread_id = original.thread_id or f"email:{original.id}"
            if party is None and original.party_id is not None:
                party = await PartyRepository(session).get(
                    tenant_id=tenant_id, party_id=original.party_id
                )
    message = Message(
        id=uuid7(),
        tenant_id=tenant_id,
        party_id=party.party_id if party else None,
        channel=inbound.channel,
        purpose="transactional",
        direction="in",
        to_address=inbound.to_address,
        from_address=address,
        subject=inbound.subject,
        text=inbound.text,
        html=inbound.html,
        language="he",
        template_params=[],
        status="received",
        attempts=0,
        next_attempt_at=inbound.at,
        provider_message_id=inbound.provider_message_id,
        thread_id=thread_id,
        segments=sms_segments(inbound.text) if inbound.channel == "sms" else 0,
        cost_agorot=0,
        created_at=inbound.at,
        updated_at=inbound.at,
    )
    session.add(message)
    await session.flush()
    await events.message_received(session, message)
    if inbound.channel == "sms" and consent.is_stop_reply(inbound.text):
        await consent.opt_out_everything(
            session=session,
            tenant_id=tenant_id,
            channel="sms",
            address=address,
            source="sms STOP reply",
            party_id=message.party_id,
        )
    return message


async def unsubscribe(
    *, session: AsyncSession, tenant_id: uuid.UUID, message_id: uuid.UUID
) -> Message:
    """The List-Unsubscribe link: opt the message's recipient out of marketing."""
    message = await get_message(session=session, tenant_id=tenant_id, message_id=message_id)
    if message.direction != "out":
        raise NotFound(f"message {message_id} not found")
    await consent.set_consent(
        session=session,
        tenant_id=tenant_id,
        channel=message.channel,
        address=message.to_address,
        purpose="marketing",
        granted=False,
        source="unsubscribe link",
        party_id=message.party_id,
    )
    return message
