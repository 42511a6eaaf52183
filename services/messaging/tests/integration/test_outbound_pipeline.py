"""M1: one outbound pipeline (stored with its idempotency key, queued, sent by the
dispatcher through a provider adapter, retried with backoff, statuses from callbacks),
with real SMTP for email and the simulated HTTP provider for SMS and WhatsApp."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import UTC

import grpc
import pytest
from sqlalchemy import func, select

from crm.events.messaging.v1 import message_events_pb2 as ev
from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_common.db import unit_of_work
from crm_common.grpc.errors import from_rpc_error
from crm_messaging.messages.models import Message
from crm_messaging.providers.sms import sms_cost_agorot, sms_encoding, sms_segments

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def send(stub, tenant, **fields) -> pb.SendMessageResponse:
    fields.setdefault("idempotency_key", str(uuid.uuid4()))
    fields.setdefault("purpose", pb.PURPOSE_TRANSACTIONAL)
    return await stub.SendMessage(pb.SendMessageRequest(**fields), metadata=md(tenant), timeout=5)


def md(tenant):
    return (("x-tenant-id", str(tenant)),)


class TestEmail:
    async def test_m1_hebrew_email_with_html_rtl_attachment_reaches_the_smtp_server(
        self, messaging, smtp_server, h
    ):
        stub, sessionmaker, _, dispatcher = messaging
        _, mailbox = smtp_server
        tenant = uuid.uuid4()
        party = await h.add_party(sessionmaker, tenant, email="Dana@Example.co.il")
        resp = await send(
            stub,
            tenant,
            channel=pb.CHANNEL_EMAIL,
            party_id=str(party),
            subject="חשבונית מס׳ 1024 מהעסק של דנה",
            text="שלום דנה,\nמצורפת החשבונית שלך.\nתודה!",
            html="<p>שלום דנה,</p><p>מצורפת <b>החשבונית</b> שלך.</p>",
            attachments=[
                pb.Attachment(
                    filename="חשבונית-1024.pdf", content_type="application/pdf", content=PDF
                )
            ],
        )
        msg = resp.message
        assert (msg.status, msg.to_address, msg.party_id) == (
            "queued",
            "dana@example.co.il",
            str(party),
        )
        before = len(mailbox.envelopes)

        assert await dispatcher.run_once() >= 1

        assert len(mailbox.envelopes) == before + 1
        envelope = mailbox.envelopes[-1]
        assert envelope.rcpt_tos == ["dana@example.co.il"]
        mail = mailbox.messages()[-1]
        assert mail["Subject"] == "חשבונית מס׳ 1024 מהעסק של דנה"
        assert "העסק של דנה" in str(mail["From"])
        assert mail["Content-Language"] == "he"
        text = mail.get_body(preferencelist=("plain",)).get_content()
        assert "מצורפת החשבונית שלך" in text
        html = mail.get_body(preferencelist=("html",)).get_content()
        assert '<html lang="he" dir="rtl">' in html
        assert "direction:rtl" in html and "<b>החשבונית</b>" in html
        (attachment,) = list(mail.iter_attachments())
        assert attachment.get_filename() == "חשבונית-1024.pdf"
        assert attachment.get_content() == PDF
        unsubscribe = mail["List-Unsubscribe"]
        assert f"https://crm.example/v1/unsubscribe/{tenant}/{msg.id}" in unsubscribe
        assert "mailto:" in unsubscribe
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert msg.id in mail["Message-ID"]

        got = (
            await stub.GetMessage(pb.GetMessageRequest(message_id=msg.id), metadata=md(tenant))
        ).message
        assert got.status == "sent" and got.attempts == 1
        events = await h.outbox_events(sessionmaker, aggregate_id=msg.id)
        assert [e.type for e in events] == ["message.queued", "message.sent"]
        sent = ev.MessageSent.FromString(events[1].payload)
        assert (sent.party_id, sent.channel, sent.subject) == (str(party), "email", msg.subject)

    async def test_m1_english_email_is_left_to_right_and_text_only_gets_an_html_part(
        self, messaging, smtp_server
    ):
        stub, _, _, dispatcher = messaging
        _, mailbox = smtp_server
        tenant = uuid.uuid4()
        await send(
            stub,
            tenant,
            channel=pb.CHANNEL_EMAIL,
            to_address="ron@example.com",
            subject="Your invoice",
            text="Hello <Ron>",
            language="en",
        )
        await dispatcher.run_once()
        mail = mailbox.messages()[-1]
        html = mail.get_body(preferencelist=("html",)).get_content()
        assert 'dir="ltr"' in html and "Hello &lt;Ron&gt;" in html


class TestIdempotencyAndValidation:
    async def test_m1_the_same_idempotency_key_returns_the_same_message_once(self, messaging):
        stub, sessionmaker, _, _ = messaging
        tenant = uuid.uuid4()
        fields = dict(
            idempotency_key="order-77-shipped",
            channel=pb.CHANNEL_SMS,
            to_address="052-555-1234",
            text="ההזמנה שלך נשלחה",
        )
        first = await send(stub, tenant, **fields)
        again = await send(stub, tenant, **fields)
        assert (first.replayed, again.replayed) == (False, True)
        assert first.message.id == again.message.id
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            count = (
                await s.execute(
                    select(func.count()).select_from(Message).where(Message.tenant_id == tenant)
                )
            ).scalar_one()
        assert count == 1

    async def test_m1_an_invalid_request_names_every_field_and_stores_nothing(self, messaging, h):
        stub, sessionmaker, _, _ = messaging
        tenant = uuid.uuid4()
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.SendMessage(
                pb.SendMessageRequest(channel=pb.CHANNEL_EMAIL, to_address="not-an-email"),
                metadata=md(tenant),
                timeout=5,
            )
        assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        fields = {v.field for v in from_rpc_error(exc.value).violations}
        assert {"idempotency_key", "text", "subject"} <= fields
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await send(stub, tenant, channel=pb.CHANNEL_SMS, to_address="12", text="x")
        assert [v.field for v in from_rpc_error(exc.value).violations] == ["to_address"]
        assert await h.outbox_events(sessionmaker, tenant_id=tenant) == []


class TestRetries:
    async def test_m1_transient_errors_are_retried_with_backoff_then_sent_once(
        self, messaging, simulator
    ):
        stub, sessionmaker, _, dispatcher = messaging
        tenant = uuid.uuid4()
        msg = (
            await send(stub, tenant, channel=pb.CHANNEL_SMS, to_address="0525551000", text="שלום")
        ).message
        simulator.fail_next(2, 503)
        await dispatcher.dispatch_tenant(tenant, dt.datetime.now(UTC))
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            row = await s.get(Message, uuid.UUID(msg.id))
        assert (row.status, row.attempts) == ("queued", 1)
        assert "503" in row.failure_reason
        first_delay = row.next_attempt_at - row.updated_at
        assert dt.timedelta(milliseconds=500) <= first_delay <= dt.timedelta(milliseconds=1000)
        # Not due yet: a pass now sends nothing.
        assert await dispatcher.dispatch_tenant(tenant, dt.datetime.now(UTC)) == 0
        await dispatcher.dispatch_tenant(tenant, row.next_attempt_at)
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            row = await s.get(Message, uuid.UUID(msg.id))
        assert (row.status, row.attempts) == ("queued", 2)
        assert row.next_attempt_at - row.updated_at >= dt.timedelta(milliseconds=1000)
        await dispatcher.dispatch_tenant(tenant, row.next_attempt_at)
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            row = await s.get(Message, uuid.UUID(msg.id))
        assert (row.status, row.attempts) == ("sent", 3)
        assert simulator.received_per_recipient()["+972525551000"] == 1

    async def test_m1_a_permanent_error_fails_the_message_with_its_reason(
        self, messaging, simulator, h
    ):
        stub, sessionmaker, _, dispatcher = messaging
        tenant = uuid.uuid4()
        msg = (
            await send(stub, tenant, channel=pb.CHANNEL_SMS, to_address="0525551001", text="hi")
        ).message
        simulator.fail_next(1, 400)
        await dispatcher.dispatch_tenant(tenant, dt.datetime.now(UTC))
        got = (
            await stub.GetMessage(pb.GetMessageRequest(message_id=msg.id), metadata=md(tenant))
        ).message
        assert got.status == "failed" and "400" in got.failure_reason
        events = await h.outbox_events(sessionmaker, aggregate_id=msg.id)
        assert [e.type for e in events] == ["message.queued", "message.status_changed"]
        assert ev.MessageStatusChanged.FromString(events[1].payload).status == "failed"

    async def test_m1_a_send_cut_off_by_a_crash_is_recovered_without_a_second_copy(
        self, messaging, simulator, smtp_server
    ):
        """SMS (the provider dedupes on our key) is re-queued; email (SMTP cannot) is failed."""
        stub, sessionmaker, settings, dispatcher = messaging
        tenant = uuid.uuid4()
        sms = (
            await send(stub, tenant, channel=pb.CHANNEL_SMS, to_address="0525551002", text="a")
        ).message
        mail = (
            await send(
                stub,
                tenant,
                channel=pb.CHANNEL_EMAIL,
                to_address="x@example.com",
                subject="s",
                text="t",
            )
        ).message
        now = dt.datetime.now(UTC)
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            from crm_messaging.messages.repository import MessageRepository

            claimed = await MessageRepository(s).claim(tenant_id=tenant, now=now, limit=10)
        assert {str(m.id) for m in claimed} == {sms.id, mail.id}
        # ... and the dispatcher dies here. A pass after the lease recovers the claims.
        await dispatcher.recover_stale(
            now + dt.timedelta(milliseconds=settings.worker_claim_lease_ms + 1)
        )
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            rows = {str(m.id): m for m in (await s.execute(select(Message))).scalars()}
        assert rows[sms.id].status == "queued"
        assert rows[mail.id].status == "failed"
        assert "delivery unknown" in rows[mail.id].failure_reason

    async def test_m1_a_slow_send_whose_claim_was_recovered_records_nothing_twice(
        self, messaging, h
    ):
        """A dispatcher that outlived its lease: another pass recovered, re-sent and
        recorded the message; the late outcome of the first claim is dropped (one
        MessageSent, not two)."""
        from crm_messaging.messages.repository import MessageRepository
        from crm_messaging.providers.base import SendResult
        from crm_messaging.worker import Outcome

        stub, sessionmaker, _, dispatcher = messaging
        tenant = uuid.uuid4()
        sms = (
            await send(stub, tenant, channel=pb.CHANNEL_SMS, to_address="0525551003", text="a")
        ).message
        first = dt.datetime.now(UTC) - dt.timedelta(hours=1)
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            await MessageRepository(s).claim(tenant_id=tenant, now=first, limit=10)
        # The lease ran out: recovered, and the next pass sends and records it.
        await dispatcher.recover_stale(dt.datetime.now(UTC))
        assert await dispatcher.dispatch_tenant(tenant, dt.datetime.now(UTC)) == 1
        # Now the first claim's send returns, late.
        await dispatcher._record(
            tenant, [Outcome(uuid.UUID(sms.id), result=SendResult("SMlate"))], first
        )
        async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
            row = (await s.execute(select(Message))).scalar_one()
        assert row.status == "sent" and row.provider_message_id != "SMlate"
        sent = [
            e
            for e in await h.outbox_events(sessionmaker, aggregate_id=sms.id)
            if e.type == "message.sent"
        ]
        assert len(sent) == 1


class TestStatusCallbacks:
    async def test_m1_delivery_statuses_move_forward_only_and_are_events(
        self, messaging, simulator, h
    ):
        stub, sessionmaker, _, dispatcher = messaging
        tenant = uuid.uuid4()
        msg = (
            await send(stub, tenant, channel=pb.CHANNEL_SMS, to_address="0525551003", text="x")
        ).message
        await dispatcher.dispatch_tenant(tenant, dt.datetime.now(UTC))
        sid = simulator.accepted[-1].provider_id

        async def callback(status: str, key: str, code: str = "") -> None:
            body = f"MessageSid={sid}&MessageStatus={status}&ErrorCode={code}".encode()
            await stub.IngestWebhook(
                pb.IngestWebhookRequest(provider=pb.PROVIDER_TWILIO, receipt_key=key, body=body),
                metadata=md(tenant),
                timeout=5,
            )

        await callback("delivered", "k1")
        await callback("sent", "k2")  # late and older: ignored
        got = (
            await stub.GetMessage(pb.GetMessageRequest(message_id=msg.id), metadata=md(tenant))
        ).message
        assert (got.status, got.provider_message_id) == ("delivered", sid)
        await callback("undelivered", "k3", code="30003")
        got = (
            await stub.GetMessage(pb.GetMessageRequest(message_id=msg.id), metadata=md(tenant))
        ).message
        assert (got.status, got.failure_reason) == ("failed", "error 30003")
        types = [e.type for e in await h.outbox_events(sessionmaker, aggregate_id=msg.id)]
        assert types == [
            "message.queued",
            "message.sent",
            "message.status_changed",
            "message.status_changed",
        ]


class TestSmsSegments:
    def test_m1_hebrew_sms_is_ucs2_70_then_67_per_part(self):
        assert sms_encoding("שלום") == "UCS-2"
        assert sms_segments("א" * 70) == 1
        assert sms_segments("א" * 71) == 2
        assert sms_segments("א" * 134) == 2
        assert sms_segments("א" * 135) == 3
        assert sms_cost_agorot("א" * 71, 8) == 16

    def test_m1_latin_sms_is_gsm7_160_then_153_and_extension_chars_count_twice(self):
        assert sms_encoding("Hello {name}") == "GSM-7"
        assert sms_segments("a" * 160) == 1
        assert sms_segments("a" * 161) == 2
        assert sms_segments("€" * 80) == 1
        assert sms_segments("€" * 81) == 2
        assert sms_segments("a" * 159 + "😀") == 3  # an emoji forces UCS-2: 161 units

    async def test_m1_a_queued_sms_carries_its_segments_and_cost(self, messaging):
        stub, _, _, _ = messaging
        msg = (
            await send(
                stub, uuid.uuid4(), channel=pb.CHANNEL_SMS, to_address="0525551004", text="ש" * 100
            )
        ).message
        assert (msg.segments, msg.cost_agorot) == (2, 16)
