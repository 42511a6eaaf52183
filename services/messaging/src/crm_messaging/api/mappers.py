"""Domain <-> protobuf."""

from __future__ import annotations

from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_common.errors import FieldViolation, InvalidArgument
from crm_common.protoutil import timestamp
from crm_messaging.campaigns.models import Campaign
from crm_messaging.campaigns.service import Progress
from crm_messaging.consent.models import Consent
from crm_messaging.messages.models import Message
from crm_messaging.parties.models import Party
from crm_messaging.telephony.models import Call, DialerEntry
from crm_messaging.templates.models import Template
from crm_messaging.templates.service import template_placeholders

CHANNEL_TO_PB = {"email": pb.CHANNEL_EMAIL, "sms": pb.CHANNEL_SMS, "whatsapp": pb.CHANNEL_WHATSAPP}
CHANNEL_FROM_PB = {v: k for k, v in CHANNEL_TO_PB.items()}
PURPOSE_TO_PB = {"transactional": pb.PURPOSE_TRANSACTIONAL, "marketing": pb.PURPOSE_MARKETING}
PURPOSE_FROM_PB = {v: k for k, v in PURPOSE_TO_PB.items()}
PROVIDER_TO_PB = {
    "whatsapp": pb.PROVIDER_WHATSAPP,
    "twilio": pb.PROVIDER_TWILIO,
    "pbx": pb.PROVIDER_PBX,
    "email": pb.PROVIDER_EMAIL,
}
PROVIDER_FROM_PB = {v: k for k, v in PROVIDER_TO_PB.items()}


def _enum(value: int, table: dict, field: str, default: str | None = None) -> str:
    if value in table:
        return table[value]
    if default is not None and value == 0:
        return default
    raise InvalidArgument(
        f"{field} is required", violations=[FieldViolation(field, "required: choose a value")]
    )


def channel_of(value: int, field: str = "channel") -> str:
    return _enum(value, CHANNEL_FROM_PB, field)


def purpose_of(value: int, field: str = "purpose") -> str:
    return _enum(value, PURPOSE_FROM_PB, field, default="transactional")


def provider_of(value: int) -> str:
    return _enum(value, PROVIDER_FROM_PB, "provider")


def party_to_pb(party: Party) -> pb.Party:
    return pb.Party(
        party_id=str(party.party_id),
        name=party.name,
        phone=party.phone or "",
        email=party.email or "",
        updated_at=timestamp(party.updated_at),
    )


def _s(v) -> str:
    return str(v) if v is not None else ""


def message_to_pb(m: Message) -> pb.Message:
    return pb.Message(
        id=str(m.id),
        party_id=_s(m.party_id),
        channel=CHANNEL_TO_PB[m.channel],
        purpose=PURPOSE_TO_PB[m.purpose],
        direction=m.direction,
        to_address=m.to_address,
        from_address=m.from_address,
        subject=m.subject,
        text=m.text,
        html=m.html,
        status=m.status,
        failure_reason=m.failure_reason or "",
        provider_message_id=m.provider_message_id or "",
        attempts=m.attempts,
        segments=m.segments,
        cost_agorot=m.cost_agorot,
        campaign_id=_s(m.campaign_id),
        thread_id=m.thread_id or "",
        created_at=timestamp(m.created_at),
        updated_at=timestamp(m.updated_at),
    )


def consent_to_pb(c: Consent) -> pb.Consent:
    return pb.Consent(
        party_id=_s(c.party_id),
        address=c.address,
        channel=CHANNEL_TO_PB[c.channel],
        purpose=PURPOSE_TO_PB[c.purpose],
        granted=c.granted,
        source=c.source,
        changed_at=timestamp(c.changed_at),
    )


def template_to_pb(t: Template) -> pb.Template:
    return pb.Template(
        name=t.name,
        channel=CHANNEL_TO_PB[t.channel],
        language=t.language,
        subject=t.subject,
        text=t.text,
        html=t.html,
        provider_template=t.provider_template or "",
        placeholders=template_placeholders(t),
    )


def campaign_to_pb(c: Campaign, p: Progress) -> pb.Campaign:
    return pb.Campaign(
        id=str(c.id),
        name=c.name,
        channel=CHANNEL_TO_PB[c.channel],
        purpose=PURPOSE_TO_PB[c.purpose],
        template_name=c.template_name,
        language=c.language,
        status=c.status,
        rate_per_second=c.rate_per_second,
        scheduled_at=timestamp(c.scheduled_at),
        progress=pb.CampaignProgress(
            total=p.total,
            pending=p.pending,
            queued=p.queued,
            sent=p.sent,
            delivered=p.delivered,
            failed=p.failed,
            opted_out=p.opted_out,
        ),
        created_at=timestamp(c.created_at),
        segment_id=str(c.segment_id) if c.segment_id else "",
        resolved_at=timestamp(c.resolved_at) if c.resolved_at else None,
        skipped_no_address=c.skipped_no_address or 0,
        failure_reason=c.failure_reason or "",
    )


def call_to_pb(c: Call) -> pb.Call:
    return pb.Call(
        id=str(c.id),
        party_id=_s(c.party_id),
        direction=c.direction,
        from_number=c.from_number,
        to_number=c.to_number,
        agent_extension=c.agent_extension,
        status=c.status,
        duration_seconds=c.duration_seconds,
        recording_url=c.recording_url or "",
        provider_call_id=c.provider_call_id,
        started_at=timestamp(c.started_at),
        ended_at=timestamp(c.ended_at),
    )


def dialer_to_pb(e: DialerEntry) -> pb.DialerEntry:
    return pb.DialerEntry(
        id=str(e.id),
        queue=e.queue,
        party_id=_s(e.party_id),
        phone=e.phone,
        note=e.note,
        status=e.status,
        agent_extension=e.agent_extension or "",
    )
