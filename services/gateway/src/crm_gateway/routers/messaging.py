"""/v1/messaging: messages, consent, templates, campaigns, channels, calls, dialer, screen-pop."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from google.protobuf.json_format import MessageToDict
from pydantic import BaseModel, Field

from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_gateway.auth import Principal, principal
from crm_gateway.backends import Call, Services
from crm_gateway.problems import ProblemException
from crm_gateway.routers.webhooks import messaging_stub

router = APIRouter(prefix="/v1/messaging", tags=["messaging"])

ChannelName = Literal["email", "sms", "whatsapp"]
PurposeName = Literal["transactional", "marketing"]
ProviderName = Literal["whatsapp", "sms", "pbx", "email"]
CHANNEL = {"email": pb.CHANNEL_EMAIL, "sms": pb.CHANNEL_SMS, "whatsapp": pb.CHANNEL_WHATSAPP}
PURPOSE = {"transactional": pb.PURPOSE_TRANSACTIONAL, "marketing": pb.PURPOSE_MARKETING}
PROVIDER = {
    "whatsapp": pb.PROVIDER_WHATSAPP,
    "sms": pb.PROVIDER_TWILIO,
    "pbx": pb.PROVIDER_PBX,
    "email": pb.PROVIDER_EMAIL,
}


def out(message) -> dict:
    """Proto -> JSON with the field names of the proto, enums as names, defaults included."""
    return MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


class AttachmentIn(BaseModel):
    filename: str = Field(min_length=1, max_length=255)
    content_type: str = Field(min_length=3, max_length=100)
    content_base64: str


class SendIn(BaseModel):
    idempotency_key: str = Field(min_length=1, max_length=200)
    channel: ChannelName
    purpose: PurposeName = "transactional"
    party_id: str | None = None
    to: str | None = Field(default=None, max_length=320)
    subject: str = ""
    text: str = ""
    html: str = ""
    template: str | None = None
    language: Literal["he", "en"] = "he"
    variables: dict[str, str] = {}
    attachments: list[AttachmentIn] = []


@router.post("/messages", status_code=202, summary="Send a message (queued; idempotent by key)")
async def send_message(body: SendIn, call: Call, services: Services) -> dict:
    try:
        files = [
            pb.Attachment(
                filename=a.filename,
                content_type=a.content_type,
                content=base64.b64decode(a.content_base64, validate=True),
            )
            for a in body.attachments
        ]
    except ValueError:
        raise ProblemException(
            422,
            "the request is not valid",
            errors=[{"field": "attachments", "detail": "content_base64 must be base64"}],
        ) from None
    resp = await messaging_stub(services).SendMessage(
        pb.SendMessageRequest(
            idempotency_key=body.idempotency_key,
            channel=CHANNEL[body.channel],
            purpose=PURPOSE[body.purpose],
            party_id=body.party_id or "",
            to_address=body.to or "",
            subject=body.subject,
            text=body.text,
            html=body.html,
            template_name=body.template or "",
            language=body.language,
            variables=body.variables,
            attachments=files,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {"message": out(resp.message), "replayed": resp.replayed}


@router.get("/messages/{message_id}", summary="A message and its delivery status")
async def get_message(message_id: str, call: Call, services: Services) -> dict:
    resp = await messaging_stub(services).GetMessage(
        pb.GetMessageRequest(message_id=message_id), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.message)


@router.get("/parties/{party_id}", summary="The party as messaging knows it (from contacts)")
async def get_party(party_id: str, call: Call, services: Services) -> dict:
    resp = await messaging_stub(services).GetParty(
        pb.GetPartyRequest(party_id=party_id), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.party)


@router.get("/parties/{party_id}/messages", summary="A party's messages, newest first")
async def list_messages(
    party_id: str,
    call: Call,
    services: Services,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=100)] = None,
) -> dict:
    resp = await messaging_stub(services).ListMessages(
        pb.ListMessagesRequest(party_id=party_id, page_size=page_size, page_token=page_token or ""),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {
        "items": [out(m) for m in resp.messages],
        "next_page_token": resp.next_page_token or None,
    }


class ConsentIn(BaseModel):
    channel: ChannelName
    purpose: PurposeName
    granted: bool
    source: str = Field(min_length=1, max_length=100)
    party_id: str | None = None
    address: str | None = None


@router.put("/consents", summary="Record an opt-in or opt-out")
async def set_consent(body: ConsentIn, call: Call, services: Services) -> dict:
    resp = await messaging_stub(services).SetConsent(
        pb.SetConsentRequest(
            party_id=body.party_id or "",
            address=body.address or "",
            channel=CHANNEL[body.channel],
            purpose=PURPOSE[body.purpose],
            granted=body.granted,
            source=body.source,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.consent)


class TemplateIn(BaseModel):
    channel: ChannelName
    language: Literal["he", "en"] = "he"
    subject: str = ""
    text: str
    html: str = ""
    provider_template: str | None = None


@router.put("/templates/{name}", summary="Create or replace a template")
async def put_template(name: str, body: TemplateIn, call: Call, services: Services) -> dict:
    resp = await messaging_stub(services).PutTemplate(
        pb.PutTemplateRequest(
            template=pb.Template(
                name=name,
                channel=CHANNEL[body.channel],
                language=body.language,
                subject=body.subject,
                text=body.text,
                html=body.html,
                provider_template=body.provider_template or "",
            )
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.template)


class PreviewIn(BaseModel):
    channel: ChannelName
    language: Literal["he", "en"] = "he"
    party_id: str | None = None
    variables: dict[str, str] = {}


@router.post("/templates/{name}/preview", summary="Render a template without sending")
async def preview_template(name: str, body: PreviewIn, call: Call, services: Services) -> dict:
    resp = await messaging_stub(services).PreviewTemplate(
        pb.PreviewTemplateRequest(
            name=name,
            channel=CHANNEL[body.channel],
            language=body.language,
            party_id=body.party_id or "",
            variables=body.variables,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp)


class RecipientIn(BaseModel):
    party_id: str | None = None
    address: str | None = None
    variables: dict[str, str] = {}


class CampaignIn(BaseModel):
    idempotency_key: str = Field(default="", max_length=200)
    name: str = Field(min_length=1, max_length=200)
    channel: ChannelName
    purpose: PurposeName = "marketing"
    template: str
    language: Literal["he", "en"] = "he"
    # A list of recipients, a saved contacts segment (C7), or both.
    recipients: list[RecipientIn] = Field(default=[], max_length=20000)
    segment_id: str | None = Field(default=None, max_length=64)
    rate_per_second: int = Field(default=0, ge=0, le=10000)
    scheduled_at: dt.datetime | None = None


@router.post("/campaigns", status_code=201, summary="Create a campaign (now or scheduled)")
async def create_campaign(body: CampaignIn, call: Call, services: Services) -> dict:
    req = pb.CreateCampaignRequest(
        idempotency_key=body.idempotency_key,
        name=body.name,
        channel=CHANNEL[body.channel],
        purpose=PURPOSE[body.purpose],
        template_name=body.template,
        language=body.language,
        recipients=[
            pb.Recipient(party_id=r.party_id or "", address=r.address or "", variables=r.variables)
            for r in body.recipients
        ],
        rate_per_second=body.rate_per_second,
        segment_id=body.segment_id or "",
    )
    if body.scheduled_at is not None:
        req.scheduled_at.FromDatetime(body.scheduled_at)
    resp = await messaging_stub(services).CreateCampaign(
        req, metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.campaign)


@router.get("/campaigns/{campaign_id}", summary="A campaign and its progress")
async def get_campaign(campaign_id: str, call: Call, services: Services) -> dict:
    resp = await messaging_stub(services).GetCampaign(
        pb.GetCampaignRequest(campaign_id=campaign_id), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.campaign)


class ChannelIn(BaseModel):
    webhook_secret: str = Field(min_length=16, max_length=500)
    verify_token: str = Field(default="", max_length=200)
    sender: str = Field(default="", max_length=320)


@router.put("/channels/{provider}", summary="Configure a provider account (webhook secret)")
async def configure_channel(
    provider: ProviderName, body: ChannelIn, call: Call, services: Services
) -> dict:
    resp = await messaging_stub(services).ConfigureChannel(
        pb.ConfigureChannelRequest(
            provider=PROVIDER[provider],
            webhook_secret=body.webhook_secret,
            verify_token=body.verify_token,
            sender=body.sender,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {"provider": provider, "sender": resp.sender}


class CallIn(BaseModel):
    agent_extension: str = Field(min_length=1, max_length=32)
    party_id: str | None = None
    to: str | None = None


@router.post("/calls", status_code=201, summary="Click-to-call through the PBX")
async def start_call(body: CallIn, call: Call, services: Services) -> dict:
    resp = await messaging_stub(services).StartCall(
        pb.StartCallRequest(
            agent_extension=body.agent_extension,
            party_id=body.party_id or "",
            to_number=body.to or "",
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.call)


@router.get("/parties/{party_id}/calls", summary="A party's call records")
async def list_calls(party_id: str, call: Call, services: Services) -> dict:
    resp = await messaging_stub(services).ListCalls(
        pb.ListCallsRequest(party_id=party_id), metadata=call.metadata, timeout=call.timeout
    )
    return {"items": [out(c) for c in resp.calls]}


class DialerEntryIn(BaseModel):
    party_id: str | None = None
    phone: str | None = None
    note: str = ""


class DialerIn(BaseModel):
    # Numbers, or a billing list: source "lapsed_customers" (sku + days) or "collections".
    entries: list[DialerEntryIn] = Field(default=[], max_length=10000)
    source: Literal["lapsed_customers", "collections"] | None = None
    sku: str = Field(default="", max_length=100)
    days: int = Field(default=0, ge=0, le=3650)
    as_of: dt.date | None = None
    min_overdue_agorot: int = Field(default=0, ge=0)


@router.post("/dialer/{queue}/entries", summary="Add numbers to an auto-dialer queue")
async def enqueue_dialer(queue: str, body: DialerIn, call: Call, services: Services) -> dict:
    resp = await messaging_stub(services).EnqueueDialer(
        pb.EnqueueDialerRequest(
            queue=queue,
            entries=[
                pb.DialerEntry(party_id=e.party_id or "", phone=e.phone or "", note=e.note)
                for e in body.entries
            ],
            source=body.source or "",
            sku=body.sku,
            days=body.days,
            as_of=body.as_of.isoformat() if body.as_of else "",
            min_overdue_agorot=body.min_overdue_agorot,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {"added": resp.added, "skipped": resp.skipped}


@router.post("/dialer/{queue}/next", summary="Hand the next number to a free agent")
async def next_dialer(
    queue: str,
    call: Call,
    services: Services,
    agent_extension: Annotated[str, Query(min_length=1, max_length=32)],
) -> dict:
    resp = await messaging_stub(services).NextDialerEntry(
        pb.NextDialerEntryRequest(queue=queue, agent_extension=agent_extension),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {"entry": out(resp.entry) if resp.HasField("entry") else None}


@router.get(
    "/screen-pops/stream",
    summary="Server-sent events: the customer card of each incoming call",
    response_class=StreamingResponse,
)
async def screen_pops(
    request: Request,
    extension: Annotated[str | None, Query(max_length=32)] = None,
) -> StreamingResponse:
    who: Principal = await principal(request)
    screen_pops = request.app.state.screen_pops
    await screen_pops.start()  # no-op once listening (lifespan starts it)
    hub = screen_pops.hub
    sub = hub.subscribe(who.tenant_id, extension)

    async def stream() -> AsyncIterator[bytes]:
        try:
            yield b": connected\n\n"
            while True:
                try:
                    payload = await asyncio.wait_for(sub.queue.get(), 15)
                except TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                data = json.dumps(payload, ensure_ascii=False)
                yield f"event: screen-pop\ndata: {data}\n\n".encode()
        finally:
            hub.unsubscribe(sub)

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
