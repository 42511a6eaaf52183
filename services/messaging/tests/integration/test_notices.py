"""M6 notices: a birthday greeting from contacts' BirthdayDue and the shipment SMS from
billing's OrderShipped, each once per source event, consent honoured."""

from __future__ import annotations

import datetime as dt
import uuid
from datetime import UTC

from sqlalchemy import select

from crm.events.billing.v1 import billing_events_pb2 as billing_ev
from crm.events.contacts.v1 import contact_events_pb2 as contact_ev
from crm.events.contacts.v1 import task_events_pb2 as task_ev
from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_common.db import unit_of_work, uuid7
from crm_common.kafka.consumer import Event
from crm_messaging.consumers import notices
from crm_messaging.messages.models import Message


def event(tenant, type_, payload, topic) -> Event:
    return Event(
        id=uuid7(),
        type=type_,
        tenant_id=tenant,
        occurred_at=dt.datetime.now(UTC),
        topic=topic,
        key="k",
        payload=payload,
        headers={},
    )


async def handle(sessionmaker, tenant, handler, ev) -> None:
    async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
        await handler(s, ev)


async def messages_of(sessionmaker, tenant) -> list[Message]:
    async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
        return list((await s.execute(select(Message).order_by(Message.id))).scalars())


class TestBirthday:
    async def test_m6_birthday_due_sends_one_greeting_per_occasion(self, messaging, simulator, h):
        _, sessionmaker, _, dispatcher = messaging
        tenant = uuid.uuid4()
        payload = contact_ev.BirthdayDue(
            party_id=str(uuid.uuid4()),
            contact_id=str(uuid.uuid4()),
            occasion="birthday",
            first_name="נועה",
            last_name="כהן",
            phones=["054-777-0001"],
            date="2026-11-25",
        )
        for _ in range(2):  # a redelivered event (another event id) sends nothing more
            await handle(
                sessionmaker,
                tenant,
                notices.on_birthday_due,
                event(tenant, "birthday.due", payload, notices.CONTACT_TOPIC),
            )
        (msg,) = await messages_of(sessionmaker, tenant)
        assert (msg.channel, msg.to_address, msg.text) == (
            "sms",
            "+972547770001",
            "יום הולדת שמח, נועה! מאחלים לך שנה נפלאה 🎉",
        )
        await dispatcher.dispatch_tenant(tenant, h.later(0))
        assert simulator.received_per_recipient()["+972547770001"] == 1

    async def test_m6_the_tenants_template_replaces_the_default_and_opt_outs_are_honoured(
        self, messaging, h
    ):
        stub, sessionmaker, _, _ = messaging
        tenant = uuid.uuid4()
        await stub.PutTemplate(
            pb.PutTemplateRequest(
                template=pb.Template(
                    name="birthday",
                    channel=pb.CHANNEL_SMS,
                    language="he",
                    text="{{first_name}}, כל צוות המספרה מאחל לך מזל טוב!",
                )
            ),
            metadata=h.md(tenant),
        )
        await stub.SetConsent(
            pb.SetConsentRequest(
                address="0547770003",
                channel=pb.CHANNEL_SMS,
                purpose=pb.PURPOSE_TRANSACTIONAL,
                granted=False,
                source="customer request",
            ),
            metadata=h.md(tenant),
        )
        for phone in ("0547770002", "0547770003"):
            payload = contact_ev.BirthdayDue(
                party_id=str(uuid.uuid4()),
                contact_id=str(uuid.uuid4()),
                occasion="birthday",
                first_name="אורי",
                phones=[phone],
                date="2026-11-25",
            )
            await handle(
                sessionmaker,
                tenant,
                notices.on_birthday_due,
                event(tenant, "birthday.due", payload, notices.CONTACT_TOPIC),
            )
        msgs = await messages_of(sessionmaker, tenant)
        assert [(m.to_address, m.text) for m in msgs] == [
            ("+972547770002", "אורי, כל צוות המספרה מאחל לך מזל טוב!")
        ]


class TestShipment:
    async def test_m6_order_shipped_texts_the_customer_the_arrival_date_once(self, messaging, h):
        _, sessionmaker, _, _ = messaging
        tenant = uuid.uuid4()
        payload = billing_ev.OrderShipped(
            document_id=str(uuid.uuid4()),
            number=5012,
            party_id=str(uuid.uuid4()),
            customer_name="שירה",
            phone="+972547770004",
            expected_arrival="2026-11-29",
            carrier="דואר ישראל",
            tracking_number="RR123456789IL",
        )
        for _ in range(2):
            await handle(
                sessionmaker,
                tenant,
                notices.on_order_shipped,
                event(tenant, "order.shipped", payload, notices.ORDER_TOPIC),
            )
        (msg,) = await messages_of(sessionmaker, tenant)
        assert msg.text == (
            "שלום שירה, הזמנה 5012 נשלחה ותגיע עד 2026-11-29. "
            "חברת שילוח: דואר ישראל, מספר מעקב: RR123456789IL"
        )
        assert msg.segments == 2 and msg.purpose == "transactional"


class TestMeetingReminder:
    async def test_m6_a_meeting_with_a_customer_is_reminded_a_day_before_once(self, messaging, h):
        _, sessionmaker, _, dispatcher = messaging
        tenant = uuid.uuid4()
        party = await h.add_party(sessionmaker, tenant, name="טל ברק", phone="+972547770005")
        due = dt.datetime(2030, 3, 4, 8, 30, tzinfo=UTC)  # 10:30 in Israel (winter time)
        payload = task_ev.TaskCreated(
            task_id=str(uuid.uuid4()),
            title="הצגת הצעה",
            task_type_key="meeting",
            party_id=str(party),
        )
        payload.due_at.FromDatetime(due)
        other = task_ev.TaskCreated(
            task_id=str(uuid.uuid4()), task_type_key="call", party_id=str(party)
        )
        other.due_at.FromDatetime(due)
        for p in (payload, payload, other):
            await handle(
                sessionmaker,
                tenant,
                notices.on_task_created,
                event(tenant, "task.created", p, notices.TASK_TOPIC),
            )
        (msg,) = await messages_of(sessionmaker, tenant)
        assert msg.text == "תזכורת: טל, נקבעה לך פגישה (הצגת הצעה) ב-04/03/2030 בשעה 10:30."
        assert msg.next_attempt_at == due - dt.timedelta(hours=24)
        # Not due yet: the dispatcher leaves it queued.
        assert await dispatcher.dispatch_tenant(tenant, dt.datetime.now(UTC)) == 0
