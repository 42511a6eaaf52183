"""M5 consent per channel and purpose (marketing needs prior consent and the word
"פרסומת" first), M4 templates in Hebrew and English with placeholders and preview."""

from __future__ import annotations

import uuid

import grpc
import pytest

from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_common.grpc.errors import from_rpc_error


async def put(stub, md, **t):
    return (
        await stub.PutTemplate(pb.PutTemplateRequest(template=pb.Template(**t)), metadata=md)
    ).template


class TestConsent:
    async def test_m5_marketing_without_prior_consent_is_refused_and_nothing_is_stored(
        self, messaging, h
    ):
        stub, sessionmaker, _, _ = messaging
        tenant = uuid.uuid4()
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.SendMessage(
                pb.SendMessageRequest(
                    idempotency_key="m1",
                    channel=pb.CHANNEL_SMS,
                    purpose=pb.PURPOSE_MARKETING,
                    to_address="0547778899",
                    text="פרסומת: 20% הנחה השבוע",
                ),
                metadata=h.md(tenant),
            )
        assert exc.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert "no prior consent to marketing" in exc.value.details()
        assert await h.outbox_events(sessionmaker, tenant_id=tenant) == []

    async def test_m5_marketing_with_consent_must_start_with_the_advertising_word(
        self, messaging, h
    ):
        stub, _, _, _ = messaging
        tenant = uuid.uuid4()
        await stub.SetConsent(
            pb.SetConsentRequest(
                address="054-777-8899",
                channel=pb.CHANNEL_SMS,
                purpose=pb.PURPOSE_MARKETING,
                granted=True,
                source="טופס הרשמה באתר",
            ),
            metadata=h.md(tenant),
        )
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.SendMessage(
                pb.SendMessageRequest(
                    idempotency_key="m2",
                    channel=pb.CHANNEL_SMS,
                    purpose=pb.PURPOSE_MARKETING,
                    to_address="0547778899",
                    text="20% הנחה השבוע! פרסומת",
                ),
                metadata=h.md(tenant),
            )
        assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert [v.field for v in from_rpc_error(exc.value).violations] == ["text"]
        ok = await stub.SendMessage(
            pb.SendMessageRequest(
                idempotency_key="m3",
                channel=pb.CHANNEL_SMS,
                purpose=pb.PURPOSE_MARKETING,
                to_address="0547778899",
                text="פרסומת: 20% הנחה השבוע",
            ),
            metadata=h.md(tenant),
        )
        assert ok.message.status == "queued"

    async def test_m5_email_marketing_needs_the_word_in_the_subject(self, messaging, h):
        stub, _, _, _ = messaging
        tenant = uuid.uuid4()
        await stub.SetConsent(
            pb.SetConsentRequest(
                address="fan@example.com",
                channel=pb.CHANNEL_EMAIL,
                purpose=pb.PURPOSE_MARKETING,
                granted=True,
                source="newsletter signup",
            ),
            metadata=h.md(tenant),
        )
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.SendMessage(
                pb.SendMessageRequest(
                    idempotency_key="e1",
                    channel=pb.CHANNEL_EMAIL,
                    purpose=pb.PURPOSE_MARKETING,
                    to_address="fan@example.com",
                    subject="מבצע סוף עונה",
                    text="פרסומת: מבצע סוף עונה",
                ),
                metadata=h.md(tenant),
            )
        assert [v.field for v in from_rpc_error(exc.value).violations] == ["subject"]

    async def test_m5_an_opt_out_blocks_transactional_too_and_is_per_channel(self, messaging, h):
        stub, _, _, _ = messaging
        tenant = uuid.uuid4()
        party = await h.add_party(
            messaging[1], tenant, phone="+972547778899", email="opted@example.com"
        )
        await stub.SetConsent(
            pb.SetConsentRequest(
                party_id=str(party),
                channel=pb.CHANNEL_SMS,
                purpose=pb.PURPOSE_TRANSACTIONAL,
                granted=False,
                source="phone call",
            ),
            metadata=h.md(tenant),
        )
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.SendMessage(
                pb.SendMessageRequest(
                    idempotency_key="t1", channel=pb.CHANNEL_SMS, party_id=str(party), text="תזכורת"
                ),
                metadata=h.md(tenant),
            )
        assert "opted out" in exc.value.details()
        email = await stub.SendMessage(
            pb.SendMessageRequest(
                idempotency_key="t2",
                channel=pb.CHANNEL_EMAIL,
                party_id=str(party),
                subject="תזכורת",
                text="תזכורת לפגישה",
            ),
            metadata=h.md(tenant),
        )
        assert email.message.status == "queued"
        listed = await stub.ListConsents(
            pb.ListConsentsRequest(party_id=str(party)), metadata=h.md(tenant)
        )
        assert [(c.address, c.granted) for c in listed.consents] == [("+972547778899", False)]


class TestTemplates:
    async def test_m4_hebrew_and_english_templates_fill_contact_and_dynamic_fields(
        self, messaging, h
    ):
        stub, sessionmaker, _, _ = messaging
        tenant = uuid.uuid4()
        party = await h.add_party(sessionmaker, tenant, name="דנה לוי", email="dana@example.com")
        md = h.md(tenant)
        he = await put(
            stub,
            md,
            name="invoice",
            channel=pb.CHANNEL_EMAIL,
            language="he",
            subject="חשבונית {{invoice_no}} מ{{account.name}}",
            text="שלום {{first_name}}, סכום לתשלום: {{amount}} ₪",
            html="<p>שלום <b>{{first_name}}</b></p>",
        )
        assert list(he.placeholders) == ["invoice_no", "account.name", "first_name", "amount"]
        await put(
            stub,
            md,
            name="invoice",
            channel=pb.CHANNEL_EMAIL,
            language="en",
            subject="Invoice {{invoice_no}} from {{account.name}}",
            text="Hello {{first_name}}, amount due: ILS {{amount}}",
        )
        variables = {"invoice_no": "1024", "account.name": "אופיס בע״מ", "amount": "1,170.00"}
        preview = await stub.PreviewTemplate(
            pb.PreviewTemplateRequest(
                name="invoice",
                channel=pb.CHANNEL_EMAIL,
                language="he",
                party_id=str(party),
                variables=variables,
            ),
            metadata=md,
        )
        assert preview.subject == "חשבונית 1024 מאופיס בע״מ"
        assert preview.text == "שלום דנה, סכום לתשלום: 1,170.00 ₪"
        assert preview.html == "<p>שלום <b>דנה</b></p>"
        en = await stub.PreviewTemplate(
            pb.PreviewTemplateRequest(
                name="invoice",
                channel=pb.CHANNEL_EMAIL,
                language="en",
                variables={**variables, "first_name": "<Dana>"},
            ),
            metadata=md,
        )
        assert en.text == "Hello <Dana>, amount due: ILS 1,170.00"
        sent = await stub.SendMessage(
            pb.SendMessageRequest(
                idempotency_key="inv-1024",
                channel=pb.CHANNEL_EMAIL,
                party_id=str(party),
                template_name="invoice",
                language="he",
                variables=variables,
            ),
            metadata=md,
        )
        assert (sent.message.subject, sent.message.to_address) == (
            "חשבונית 1024 מאופיס בע״מ",
            "dana@example.com",
        )

    async def test_m4_a_missing_placeholder_is_a_clear_error_naming_it(self, messaging, h):
        stub, sessionmaker, _, _ = messaging
        tenant = uuid.uuid4()
        md = h.md(tenant)
        await put(
            stub,
            md,
            name="meeting",
            channel=pb.CHANNEL_SMS,
            language="he",
            text="שלום {{first_name}}, נתראה ב{{date}} בשעה {{time}}",
        )
        for call in (
            stub.PreviewTemplate(
                pb.PreviewTemplateRequest(
                    name="meeting", channel=pb.CHANNEL_SMS, variables={"first_name": "דנה"}
                ),
                metadata=md,
            ),
            stub.SendMessage(
                pb.SendMessageRequest(
                    idempotency_key="meet-1",
                    channel=pb.CHANNEL_SMS,
                    to_address="0547778899",
                    template_name="meeting",
                    variables={"first_name": "דנה"},
                ),
                metadata=md,
            ),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as exc:
                await call
            assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert "{{date}}, {{time}}" in exc.value.details()
            assert [v.field for v in from_rpc_error(exc.value).violations] == [
                "variables.date",
                "variables.time",
            ]
        assert await h.outbox_events(sessionmaker, tenant_id=tenant) == []

    async def test_m4_an_unknown_template_or_language_is_not_found(self, messaging, h):
        stub, _, _, _ = messaging
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.PreviewTemplate(
                pb.PreviewTemplateRequest(name="nope", channel=pb.CHANNEL_SMS, language="en"),
                metadata=h.md(uuid.uuid4()),
            )
        assert exc.value.code() == grpc.StatusCode.NOT_FOUND
