"""The dispatcher: ``crm-messaging work``.

One loop, any number of replicas (rows are claimed with ``FOR UPDATE SKIP LOCKED``):

1. recover messages left ``sending`` by a crashed dispatcher: re-queue them when
   the provider dedupes on our idempotency key, else fail them as "delivery
   unknown" (at most once: never a second copy to the customer);
2. advance due campaigns: turn the next throttled batch of recipients into
   queued messages (each recipient once: one message per idempotency key);
3. per tenant, claim due messages, send them concurrently through the channel's
   adapter, then store each result: ``sent`` (+ MessageSent), a retry with
   exponential backoff and jitter on a transient error, or ``failed``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import uuid
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crm_common.db import unit_of_work
from crm_messaging.campaigns import service as campaigns
from crm_messaging.messages import events
from crm_messaging.messages.models import Message
from crm_messaging.messages.repository import MessageRepository
from crm_messaging.providers.base import (
    NotConfigured,
    OutboundAttachment,
    OutboundMessage,
    PermanentSendError,
    ProviderAdapter,
    SendResult,
    TransientSendError,
)
from crm_messaging.settings import MessagingSettings
from crm_messaging.upstreams import Upstreams, UpstreamUnavailable

_log = logging.getLogger(__name__)


def build_adapters(settings: MessagingSettings) -> dict[str, ProviderAdapter]:
    from crm_messaging.providers.email import SmtpEmailAdapter
    from crm_messaging.providers.sms import TwilioSmsAdapter
    from crm_messaging.providers.whatsapp import WhatsAppCloudAdapter

    adapters: dict[str, ProviderAdapter] = {
        "email": NotConfigured("email"),
        "sms": NotConfigured("sms"),
        "whatsapp": NotConfigured("whatsapp"),
    }
    if settings.smtp_host:
        adapters["email"] = SmtpEmailAdapter(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            starttls=settings.smtp_starttls,
        )
    if settings.sms_api_url:
        adapters["sms"] = TwilioSmsAdapter(
            api_url=settings.sms_api_url,
            account_sid=settings.sms_account_sid,
            auth_token=settings.sms_auth_token.get_secret_value(),
        )
    if settings.whatsapp_api_url:
        adapters["whatsapp"] = WhatsAppCloudAdapter(
            api_url=settings.whatsapp_api_url,
            access_token=settings.whatsapp_access_token.get_secret_value(),
            phone_number_id=settings.whatsapp_phone_number_id,
        )
    return adapters


def backoff(attempts: int, *, base_ms: int, max_ms: int) -> dt.timedelta:
    """Exponential backoff with full jitter in [50%, 100%] of the step."""
    step = min(max_ms, base_ms * 2 ** max(0, attempts - 1))
    return dt.timedelta(milliseconds=step * random.uniform(0.5, 1.0))


@dataclass
class Outcome:
    message_id: uuid.UUID
    result: SendResult | None = None
    error: Exception | None = None


class Dispatcher:
    def __init__(
        self,
        *,
        settings: MessagingSettings,
        sessionmaker: async_sessionmaker[AsyncSession],
        adapters: dict[str, ProviderAdapter] | None = None,
        upstreams: Upstreams | None = None,
    ) -> None:
        self.settings = settings
        # contacts (campaign segments); None: segment campaigns wait.
        self.upstreams = upstreams
        self.sessionmaker = sessionmaker
        self.adapters = adapters if adapters is not None else build_adapters(settings)
        self.limit = asyncio.Semaphore(settings.worker_concurrency)

    # --- one pass -------------------------------------------------------------------

    async def run_once(self, now: dt.datetime | None = None) -> int:
        """One pass of every step; returns how many messages were handed to providers."""
        now = now or dt.datetime.now(UTC)
        await self.recover_stale(now)
        await self.advance_campaigns(now)
        sent = 0
        async with unit_of_work(self.sessionmaker) as session:
            tenants = await MessageRepository(session).due_tenants(now=now, limit=100)
        for tenant_id in tenants:
            sent += await self.dispatch_tenant(tenant_id, now)
        await self.finish_campaigns(now)
        return sent

    async def run(self, stop: asyncio.Event) -> None:
        idle = self.settings.worker_poll_interval_ms / 1000
        _log.info("dispatcher started")
        try:
            while not stop.is_set():
                try:
                    handed = await self.run_once()
                except Exception:  # keep the loop alive; the next pass retries
                    _log.exception("dispatcher pass failed")
                    handed = 0
                if not handed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), idle)
        finally:
            await asyncio.gather(*(a.close() for a in self.adapters.values()))

    # --- steps ----------------------------------------------------------------------

    async def recover_stale(self, now: dt.datetime) -> None:
        lease = dt.timedelta(milliseconds=self.settings.worker_claim_lease_ms)
        async with unit_of_work(self.sessionmaker) as session:
            stale = await MessageRepository(session).stale_claims(older_than=now - lease, limit=500)
        recovered: dict[str, int] = {}
        for tenant_id, message_id in stale:
            async with unit_of_work(self.sessionmaker, tenant_id=tenant_id) as session:
                message = await session.get(Message, message_id, with_for_update=True)
                if message is None or message.status != "sending":
                    continue
                adapter = self.adapters[message.channel]
                if adapter.supports_idempotency:
                    message.status = "queued"
                    message.next_attempt_at = now
                else:
                    message.status = "failed"
                    message.failure_reason = (
                        "delivery unknown: the dispatcher stopped while sending and the "
                        "provider cannot deduplicate a retry"
                    )
                    await events.message_status_changed(session, message, now)
                message.updated_at = now
                recovered[message.status] = recovered.get(message.status, 0) + 1
        if recovered:
            _log.warning("recovered stale claims", extra={"recovered": recovered})

    async def advance_campaigns(self, now: dt.datetime) -> None:
        async with unit_of_work(self.sessionmaker) as session:
            due = await campaigns.due_campaigns(session=session, now=now)
        for tenant_id, campaign_id in due:
            try:
                async with unit_of_work(self.sessionmaker, tenant_id=tenant_id) as session:
                    await campaigns.advance(
                        session=session,
                        tenant_id=tenant_id,
                        campaign_id=campaign_id,
                        now=now,
                        sms_cost_per_segment=self.settings.sms_cost_per_segment_agorot,
                        upstreams=self.upstreams,
                    )
            except UpstreamUnavailable as exc:  # rolled back; the next pass tries again
                _log.warning(
                    "campaign waits for an upstream",
                    extra={"campaign_id": str(campaign_id), "error": exc.message},
                )

    async def finish_campaigns(self, now: dt.datetime) -> None:
        async with unit_of_work(self.sessionmaker) as session:
            running = await campaigns.running_campaigns(session=session)
        for tenant_id, campaign_id in running:
            async with unit_of_work(self.sessionmaker, tenant_id=tenant_id) as session:
                await campaigns.complete_if_done(
                    session=session, tenant_id=tenant_id, campaign_id=campaign_id, now=now
                )

    async def dispatch_tenant(self, tenant_id: uuid.UUID, now: dt.datetime) -> int:
        # The lease runs from the claim itself, not from the start of the pass.
        claimed_at = max(now, dt.datetime.now(UTC))
        async with unit_of_work(self.sessionmaker, tenant_id=tenant_id) as session:
            repo = MessageRepository(session)
            claimed = await repo.claim(
                tenant_id=tenant_id, now=claimed_at, limit=self.settings.worker_batch_size
            )
            with_files = [m.id for m in claimed if m.channel == "email"]
            files = await repo.attachments(message_ids=with_files) if with_files else []
        if not claimed:
            return 0
        by_message: dict[uuid.UUID, list[OutboundAttachment]] = {}
        for f in files:
            by_message.setdefault(f.message_id, []).append(
                OutboundAttachment(f.filename, f.content_type, f.content)
            )
        outcomes = await asyncio.gather(*(self._send(m, by_message.get(m.id, [])) for m in claimed))
        await self._record(tenant_id, outcomes, claimed_at)
        return len(claimed)

    def outbound(self, m: Message, files: list[OutboundAttachment]) -> OutboundMessage:
        s = self.settings
        sender = {
            "email": s.email_from,
            "sms": s.sms_from,
            "whatsapp": s.whatsapp_phone_number_id,
        }[m.channel]
        base = s.public_base_url.rstrip("/")
        return OutboundMessage(
            id=m.id,
            tenant_id=m.tenant_id,
            channel=m.channel,
            to_address=m.to_address,
            from_address=m.from_address or sender,
            subject=m.subject,
            text=m.text,
            html=m.html,
            language=m.language,
            provider_template=m.provider_template,
            template_params=tuple(m.template_params or ()),
            attachments=tuple(files),
            unsubscribe_url=f"{base}/v1/unsubscribe/{m.tenant_id}/{m.id}",
            unsubscribe_mailto=s.unsubscribe_mailto,
        )

    async def _send(self, m: Message, files: list[OutboundAttachment]) -> Outcome:
        async with self.limit:
            try:
                result = await self.adapters[m.channel].send(self.outbound(m, files))
                return Outcome(m.id, result=result)
            except (TransientSendError, PermanentSendError) as exc:
                return Outcome(m.id, error=exc)
            except Exception as exc:  # an adapter bug must not lose the message
                _log.exception("adapter raised", extra={"message_id": str(m.id)})
                return Outcome(m.id, error=TransientSendError(repr(exc)))

    async def _record(
        self, tenant_id: uuid.UUID, outcomes: list[Outcome], claimed_at: dt.datetime
    ) -> None:
        async with unit_of_work(self.sessionmaker, tenant_id=tenant_id) as session:
            ids = [o.message_id for o in outcomes]
            # Only the messages this claim still holds: one whose lease ran out was
            # recovered (and maybe claimed and sent again) by another pass, which
            # records its own outcome; recording ours too would emit MessageSent twice.
            rows = {
                m.id: m
                for m in (
                    await session.execute(
                        select(Message)
                        .where(
                            Message.id.in_(ids),
                            Message.status == "sending",
                            Message.claimed_at == claimed_at,
                        )
                        .with_for_update()
                    )
                ).scalars()
            }
            lost = len(ids) - len(rows)
            if lost:
                _log.warning("claims lost before their outcome was recorded", extra={"lost": lost})
            outcomes = [o for o in outcomes if o.message_id in rows]
            now = dt.datetime.now(UTC)
            # One flush of every update at the end, not one per outbox insert.
            with session.no_autoflush:
                await self._apply(session, rows, outcomes, now)
            await session.flush()

    async def _apply(self, session, rows, outcomes, now) -> None:
        s = self.settings
        batch = events.OutboxBatch()
        for o in outcomes:
            m = rows[o.message_id]
            m.updated_at = now
            m.claimed_at = None
            if o.result is not None:
                m.status = "sent"
                m.provider_message_id = o.result.provider_message_id
                m.sent_at = now
                m.failure_reason = None
                await events.message_sent(session, m, batch)
            elif isinstance(o.error, TransientSendError) and m.attempts < s.worker_max_attempts:
                m.status = "queued"
                m.failure_reason = str(o.error)[:1000]
                m.next_attempt_at = now + backoff(
                    m.attempts, base_ms=s.worker_backoff_base_ms, max_ms=s.worker_backoff_max_ms
                )
            else:
                m.status = "failed"
                m.failure_reason = str(o.error)[:1000]
                await events.message_status_changed(session, m, now, batch)
        await batch.flush(session)


async def serve_worker(settings: MessagingSettings) -> None:
    from crm_common.db import create_engine, create_sessionmaker
    from crm_common.grpc.server import stop_on_signals

    engine = create_engine(
        settings.database_url.get_secret_value(), pool_size=settings.database_pool_size
    )
    upstreams = Upstreams(settings)
    try:
        dispatcher = Dispatcher(
            settings=settings, sessionmaker=create_sessionmaker(engine), upstreams=upstreams
        )
        await dispatcher.run(stop_on_signals())
    finally:
        await upstreams.close()
        await engine.dispose()
