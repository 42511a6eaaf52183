"""gRPC servicer: proto in, use case, proto out. No queries, no commits."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import grpc

from crm.messaging.v1 import messaging_service_pb2 as pb
from crm.messaging.v1 import messaging_service_pb2_grpc as pb_grpc
from crm_common.context import current_tenant
from crm_common.db import current_session
from crm_common.errors import InvalidArgument
from crm_common.pagination import PageRequest, next_token
from crm_common.protoutil import parse_uuid
from crm_messaging.api import mappers as m
from crm_messaging.campaigns import service as campaigns
from crm_messaging.channels import service as channels
from crm_messaging.consent import service as consent
from crm_messaging.messages import service as messages
from crm_messaging.parties import service
from crm_messaging.providers.pbx import PbxAdapter
from crm_messaging.settings import MessagingSettings
from crm_messaging.telephony import service as telephony
from crm_messaging.templates import service as templates
from crm_messaging.upstreams import Upstreams
from crm_messaging.webhooks import service as webhooks


def _opt_uuid(raw: str, field: str) -> uuid.UUID | None:
    return parse_uuid(raw, field) if raw else None


class MessagingServicer(pb_grpc.MessagingServiceServicer):
    def __init__(
        self,
        *,
        sms_cost_per_segment: int,
        pbx: PbxAdapter,
        default_rate: int,
        upstreams: Upstreams | None = None,
    ) -> None:
        self.sms_cost_per_segment = sms_cost_per_segment
        self.pbx = pbx
        self.default_rate = default_rate
        self.upstreams = upstreams

    # --- parties -------------------------------------------------------------------

    async def GetParty(self, request: pb.GetPartyRequest, context) -> pb.GetPartyResponse:
        party = await service.get_party(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
        )
        return pb.GetPartyResponse(party=m.party_to_pb(party))

    async def FindPartyByPhone(self, request, context) -> pb.FindPartyByPhoneResponse:
        party = await service.find_by_phone(
            session=current_session(), tenant_id=current_tenant(), phone=request.phone
        )
        return pb.FindPartyByPhoneResponse(party=m.party_to_pb(party) if party else None)

    # --- messages ------------------------------------------------------------------

    async def SendMessage(self, request: pb.SendMessageRequest, context) -> pb.SendMessageResponse:
        cmd = messages.SendCommand(
            idempotency_key=request.idempotency_key,
            channel=m.channel_of(request.channel),
            purpose=m.purpose_of(request.purpose),
            party_id=_opt_uuid(request.party_id, "party_id"),
            to_address=request.to_address,
            subject=request.subject,
            text=request.text,
            html=request.html,
            template_name=request.template_name,
            language=request.language or "he",
            variables=dict(request.variables),
            attachments=[
                messages.AttachmentIn(a.filename, a.content_type, a.content)
                for a in request.attachments
            ],
        )
        message, replayed = await messages.send_message(
            session=current_session(),
            tenant_id=current_tenant(),
            cmd=cmd,
            sms_cost_per_segment=self.sms_cost_per_segment,
        )
        return pb.SendMessageResponse(message=m.message_to_pb(message), replayed=replayed)

    async def GetMessage(self, request, context) -> pb.GetMessageResponse:
        message = await messages.get_message(
            session=current_session(),
            tenant_id=current_tenant(),
            message_id=parse_uuid(request.message_id, "message_id"),
        )
        return pb.GetMessageResponse(message=m.message_to_pb(message))

    async def ListMessages(self, request, context) -> pb.ListMessagesResponse:
        page = PageRequest.parse(request.page_size, request.page_token)
        items = await messages.list_messages(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
            page=page,
        )
        return pb.ListMessagesResponse(
            messages=[m.message_to_pb(x) for x in items[: page.size]],
            next_page_token=next_token(items, page.size),
        )

    async def Unsubscribe(self, request, context) -> pb.UnsubscribeResponse:
        message = await messages.unsubscribe(
            session=current_session(),
            tenant_id=current_tenant(),
            message_id=parse_uuid(request.message_id, "message_id"),
        )
        return pb.UnsubscribeResponse(
            channel=m.CHANNEL_TO_PB[message.channel], address=message.to_address
        )

    # --- consent -------------------------------------------------------------------

    async def SetConsent(self, request, context) -> pb.SetConsentResponse:
        channel = m.channel_of(request.channel)
        party_id = _opt_uuid(request.party_id, "party_id")
        session, tenant = current_session(), current_tenant()
        raw = request.address
        if not raw and party_id is not None:
            party = await service.get_party(session=session, tenant_id=tenant, party_id=party_id)
            raw = (party.email if channel == "email" else party.phone) or ""
        try:
            address = messages.normalize_address(channel, raw)
        except ValueError as exc:
            raise InvalidArgument(
                "address is not valid", violations=[m.FieldViolation("address", str(exc))]
            ) from None
        record = await consent.set_consent(
            session=session,
            tenant_id=tenant,
            channel=channel,
            address=address,
            purpose=m._enum(request.purpose, m.PURPOSE_FROM_PB, "purpose"),
            granted=request.granted,
            source=request.source,
            party_id=party_id,
        )
        return pb.SetConsentResponse(consent=m.consent_to_pb(record))

    async def ListConsents(self, request, context) -> pb.ListConsentsResponse:
        party_id = _opt_uuid(request.party_id, "party_id")
        if party_id is None and not request.address:
            raise InvalidArgument("give a party_id or an address")
        items = await consent.list_consents(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=party_id,
            address=request.address or None,
        )
        return pb.ListConsentsResponse(consents=[m.consent_to_pb(c) for c in items])

    # --- templates -----------------------------------------------------------------

    async def PutTemplate(self, request, context) -> pb.PutTemplateResponse:
        t = request.template
        template = await templates.put_template(
            session=current_session(),
            tenant_id=current_tenant(),
            name=t.name,
            channel=m.channel_of(t.channel, "template.channel"),
            language=t.language or "he",
            subject=t.subject,
            text=t.text,
            html=t.html,
            provider_template=t.provider_template,
        )
        return pb.PutTemplateResponse(template=m.template_to_pb(template))

    async def PreviewTemplate(self, request, context) -> pb.PreviewTemplateResponse:
        session, tenant = current_session(), current_tenant()
        template = await templates.get_template(
            session=session,
            tenant_id=tenant,
            channel=m.channel_of(request.channel),
            name=request.name,
            language=request.language or "he",
        )
        party = None
        if request.party_id:
            party = await service.get_party(
                session=session,
                tenant_id=tenant,
                party_id=parse_uuid(request.party_id, "party_id"),
            )
        rendered = templates.render_template(template, party, dict(request.variables))
        return pb.PreviewTemplateResponse(
            subject=rendered.subject, text=rendered.text, html=rendered.html
        )

    # --- campaigns -----------------------------------------------------------------

    async def CreateCampaign(self, request, context) -> pb.CreateCampaignResponse:
        session, tenant = current_session(), current_tenant()
        campaign = await campaigns.create_campaign(
            session=session,
            tenant_id=tenant,
            idempotency_key=request.idempotency_key,
            name=request.name,
            channel=m.channel_of(request.channel),
            purpose=m.purpose_of(request.purpose),
            template_name=request.template_name,
            language=request.language or "he",
            recipients=[
                campaigns.RecipientIn(
                    party_id=_opt_uuid(r.party_id, f"recipients[{i}].party_id"),
                    address=r.address,
                    variables=dict(r.variables),
                )
                for i, r in enumerate(request.recipients)
            ],
            rate_per_second=request.rate_per_second,
            scheduled_at=(
                request.scheduled_at.ToDatetime(tzinfo=dt.UTC)
                if request.HasField("scheduled_at")
                else None
            ),
            default_rate=self.default_rate,
            segment_id=_opt_uuid(request.segment_id, "segment_id"),
            upstreams=self.upstreams,
        )
        _, progress = await campaigns.get_campaign(
            session=session, tenant_id=tenant, campaign_id=campaign.id
        )
        return pb.CreateCampaignResponse(campaign=m.campaign_to_pb(campaign, progress))

    async def GetCampaign(self, request, context) -> pb.GetCampaignResponse:
        campaign, progress = await campaigns.get_campaign(
            session=current_session(),
            tenant_id=current_tenant(),
            campaign_id=parse_uuid(request.campaign_id, "campaign_id"),
        )
        return pb.GetCampaignResponse(campaign=m.campaign_to_pb(campaign, progress))

    # --- channels and webhooks -----------------------------------------------------

    async def ConfigureChannel(self, request, context) -> pb.ConfigureChannelResponse:
        account = await channels.configure(
            session=current_session(),
            tenant_id=current_tenant(),
            provider=m.provider_of(request.provider),
            webhook_secret=request.webhook_secret,
            verify_token=request.verify_token,
            sender=request.sender,
        )
        return pb.ConfigureChannelResponse(
            provider=m.PROVIDER_TO_PB[account.provider], sender=account.sender
        )

    async def GetChannelSecrets(self, request, context) -> pb.GetChannelSecretsResponse:
        account = await channels.get(
            session=current_session(),
            tenant_id=current_tenant(),
            provider=m.provider_of(request.provider),
        )
        return pb.GetChannelSecretsResponse(
            webhook_secret=account.webhook_secret, verify_token=account.verify_token
        )

    async def IngestWebhook(self, request, context) -> pb.IngestWebhookResponse:
        items, pops = await webhooks.ingest(
            session=current_session(),
            tenant_id=current_tenant(),
            provider=m.provider_of(request.provider),
            receipt_key=request.receipt_key,
            body=request.body,
        )
        return pb.IngestWebhookResponse(
            items=items,
            screen_pops=[
                pb.ScreenPop(
                    call_id=str(p.call.id),
                    from_number=p.call.from_number,
                    agent_extension=p.call.agent_extension,
                    party=m.party_to_pb(p.party) if p.party else None,
                )
                for p in pops
            ],
        )

    # --- telephony -----------------------------------------------------------------

    async def StartCall(self, request, context) -> pb.StartCallResponse:
        call = await telephony.start_call(
            session=current_session(),
            tenant_id=current_tenant(),
            pbx=self.pbx,
            extension=request.agent_extension,
            party_id=_opt_uuid(request.party_id, "party_id"),
            to_number=request.to_number,
        )
        return pb.StartCallResponse(call=m.call_to_pb(call))

    async def ListCalls(self, request, context) -> pb.ListCallsResponse:
        calls = await telephony.list_calls(
            session=current_session(),
            tenant_id=current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
            limit=request.page_size or 50,
        )
        return pb.ListCallsResponse(calls=[m.call_to_pb(c) for c in calls])

    async def EnqueueDialer(self, request, context) -> pb.EnqueueDialerResponse:
        entries = [
            telephony.DialerIn(
                party_id=_opt_uuid(e.party_id, f"entries[{i}].party_id"),
                phone=e.phone,
                note=e.note,
            )
            for i, e in enumerate(request.entries)
        ]
        if request.source:
            if entries:
                raise InvalidArgument(
                    "give entries or a source, not both",
                    violations=[m.FieldViolation("source", "not with entries")],
                )
            entries = await telephony.dialer_entries_from_source(
                upstreams=self.upstreams,
                tenant_id=current_tenant(),
                queue=request.queue,
                source=request.source,
                sku=request.sku,
                days=request.days,
                as_of=request.as_of,
                min_overdue_agorot=request.min_overdue_agorot,
            )
            if not entries:
                return pb.EnqueueDialerResponse(added=0, skipped=0)
        added, skipped = await telephony.enqueue_dialer(
            session=current_session(),
            tenant_id=current_tenant(),
            queue=request.queue,
            entries=entries,
        )
        return pb.EnqueueDialerResponse(added=added, skipped=skipped)

    async def NextDialerEntry(self, request, context) -> pb.NextDialerEntryResponse:
        entry = await telephony.next_dialer_entry(
            session=current_session(),
            tenant_id=current_tenant(),
            queue=request.queue,
            extension=request.agent_extension,
        )
        return pb.NextDialerEntryResponse(entry=m.dialer_to_pb(entry) if entry else None)


def make_register(settings: MessagingSettings) -> Callable[[grpc.aio.Server], None]:
    def register_with(server: grpc.aio.Server) -> None:
        servicer = MessagingServicer(
            sms_cost_per_segment=settings.sms_cost_per_segment_agorot,
            pbx=PbxAdapter(
                api_url=settings.pbx_api_url, api_token=settings.pbx_api_token.get_secret_value()
            ),
            default_rate=settings.campaign_default_rate_per_second,
            upstreams=Upstreams(settings),
        )
        pb_grpc.add_MessagingServiceServicer_to_server(servicer, server)

    return register_with


def register(server: grpc.aio.Server) -> None:
    make_register(MessagingSettings())(server)


SERVICE_NAMES = [pb.DESCRIPTOR.services_by_name["MessagingService"].full_name]
