"""Timeline fed by events (C4), tasks, reminders, SLA and rules (T1-T7), birthdays (C8) and
import (C9), on a real PostgreSQL. Event handlers run as the consumer runs them: in a unit of
work with the event's tenant bound."""

from __future__ import annotations

import datetime as dt
import uuid

import grpc
import pytest
from google.protobuf.struct_pb2 import ListValue, Struct
from google.protobuf.timestamp_pb2 import Timestamp
from sqlalchemy import select, update

from crm.contacts.v1 import card_service_pb2 as pb
from crm.contacts.v1 import tasks_service_pb2 as tpb
from crm.events.billing.v1 import billing_events_pb2 as bill
from crm.events.contacts.v1 import contact_events_pb2 as cev
from crm.events.contacts.v1 import task_events_pb2 as tev
from crm.events.leads.v1 import deal_events_pb2 as deal
from crm.events.leads.v1 import lead_events_pb2 as lead
from crm_common.context import CallContext, bind_context
from crm_common.db import unit_of_work, uuid7
from crm_common.grpc.errors import from_rpc_error
from crm_common.kafka.consumer import Event
from crm_common.plumbing import outbox_table
from crm_contacts.card import transfer
from crm_contacts.consumers.registry import FEEDS, handler_for
from crm_contacts.tasks.models import Task

ACCOUNTING = uuid.UUID("0194f7a0-0000-7000-8000-00000000acc0")


def st(**kw) -> Struct:
    s = Struct()
    s.update(kw)
    return s


def lv(*items) -> ListValue:
    out = ListValue()
    out.extend(items)
    return out


async def deliver(
    contacts,
    tenant: uuid.UUID,
    topic: str,
    event_type: str,
    payload,
    *,
    at: dt.datetime | None = None,
    event_id: uuid.UUID | None = None,
) -> None:
    """Run the subscribed handler as ConsumerRunner does (tenant bound, one transaction)."""
    feed = next(f for f in FEEDS if (f.topic, f.event_type) == (topic, event_type))
    event = Event(
        id=event_id or uuid7(),
        type=event_type,
        tenant_id=tenant,
        occurred_at=at or dt.datetime.now(dt.UTC),
        topic=topic,
        key="k",
        payload=payload,
        headers={},
    )
    with bind_context(CallContext(tenant_id=tenant)):
        async with unit_of_work(contacts.sessionmaker, tenant_id=tenant) as s:
            await handler_for(feed)(s, event)


async def outbox(contacts, type_: str, aggregate_id: str | None = None) -> list:
    async with unit_of_work(contacts.sessionmaker) as s:
        q = select(outbox_table).where(outbox_table.c.type == type_)
        if aggregate_id:
            q = q.where(outbox_table.c.aggregate_id == aggregate_id)
        return list(await s.execute(q.order_by(outbox_table.c.id)))


class TestLeadConversion:
    async def test_l5_conversion_with_an_account_makes_the_company_with_the_person_as_primary(
        self, contacts, caller
    ):
        from crm_contacts.card import service as card

        party = uuid7()
        conv = lead.LeadConverted(
            lead_id=str(uuid7()),
            party_id=str(party),
            name="רונית אברהם",
            email="ronit@example.co.il",
            source="exhibition",
            account_name='אברהם הנדסה בע"מ',
        )
        await deliver(contacts, caller.tenant, "crm.leads.lead", "lead.converted", conv)
        await deliver(
            contacts, caller.tenant, "crm.leads.lead", "lead.converted", conv, event_id=uuid7()
        )  # the same conversion again makes no second account
        async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
            contact = await card.contact_by_party(s, caller.tenant, party)
            assert contact is not None and contact.account_id is not None
            account = await card.get_account(s, caller.tenant, contact.account_id)
            members = await card.account_contacts(s, caller.tenant, account.id)
        assert account.name == 'אברהם הנדסה בע"מ'
        assert account.primary_contact_id == contact.id
        assert [m.id for m in members] == [contact.id]

    async def test_l5_conversion_without_an_account_makes_a_person_only(self, contacts, caller):
        from crm_contacts.card import service as card

        party = uuid7()
        conv = lead.LeadConverted(
            lead_id=str(uuid7()),
            party_id=str(party),
            name="יוסי",
            email="y@x.co.il",
            source="web",
        )
        await deliver(contacts, caller.tenant, "crm.leads.lead", "lead.converted", conv)
        async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
            contact = await card.contact_by_party(s, caller.tenant, party)
        assert contact is not None and contact.account_id is None


class TestTimeline:
    async def test_c4_timeline_from_lead_and_billing_events_newest_first_filtered_paged(
        self, contacts, caller
    ):
        party = str(uuid7())
        t0 = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
        cap = lead.LeadCaptured(
            lead_id=str(uuid7()),
            party_id=party,
            name="דנה לוי",
            phone="+972525551234",
            source="radio",
        )
        await deliver(contacts, caller.tenant, "crm.leads.lead", "lead.captured", cap, at=t0)
        conv = lead.LeadConverted(
            lead_id=cap.lead_id,
            party_id=party,
            name="דנה לוי",
            phone="+972525551234",
            source="radio",
        )
        await deliver(
            contacts,
            caller.tenant,
            "crm.leads.lead",
            "lead.converted",
            conv,
            at=t0 + dt.timedelta(hours=1),
        )
        inv = bill.InvoiceIssued(
            document=bill.IssuedDocument(
                document_id=str(uuid7()),
                document_type="tax_invoice",
                number=1001,
                party_id=party,
                total_agorot=117000,
            )
        )
        await deliver(
            contacts,
            caller.tenant,
            "crm.billing.invoice",
            "invoice.issued",
            inv,
            at=t0 + dt.timedelta(hours=2),
        )
        pay = bill.PaymentReceived(
            payment_id=str(uuid7()), party_id=party, method="credit_card", amount_agorot=117000
        )
        payment_id = uuid7()
        await deliver(
            contacts,
            caller.tenant,
            "crm.billing.payment",
            "payment.received",
            pay,
            at=t0 + dt.timedelta(hours=3),
            event_id=payment_id,
        )
        # A replayed event adds nothing.
        await deliver(
            contacts,
            caller.tenant,
            "crm.billing.payment",
            "payment.received",
            pay,
            at=t0 + dt.timedelta(hours=3),
            event_id=payment_id,
        )
        page1 = await contacts.card.ListTimeline(
            pb.ListTimelineRequest(party_id=party, page_size=2), metadata=caller.md, timeout=5
        )
        page2 = await contacts.card.ListTimeline(
            pb.ListTimelineRequest(party_id=party, page_size=2, page_token=page1.next_page_token),
            metadata=caller.md,
            timeout=5,
        )
        kinds = [e.kind for e in page1.entries] + [e.kind for e in page2.entries]
        assert kinds == ["payment", "invoice", "lead", "lead"]
        assert page2.next_page_token == ""
        assert "1,170.00" in page1.entries[1].title
        only = await contacts.card.ListTimeline(
            pb.ListTimelineRequest(party_id=party, kinds=["invoice", "payment"]),
            metadata=caller.md,
            timeout=5,
        )
        assert [e.source for e in only.entries] == ["billing", "billing"]
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.card.ListTimeline(
                pb.ListTimelineRequest(party_id=party, kinds=["gossip"]),
                metadata=caller.md,
                timeout=5,
            )
        assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        # L5 made the customer and its card; the phone finds it (screen-pop).
        found = await contacts.card.LookupByPhone(
            pb.LookupByPhoneRequest(phone="052-5551234"), metadata=caller.md, timeout=5
        )
        assert [c.party_id for c in found.contacts] == [party]
        assert found.contacts[0].first_name == "דנה"

    async def test_c4_timeline_is_per_tenant(self, contacts, caller):
        party = str(uuid7())
        cap = lead.LeadCaptured(lead_id=str(uuid7()), party_id=party, name="x", source="web")
        await deliver(contacts, caller.tenant, "crm.leads.lead", "lead.captured", cap)
        other = await contacts.card.ListTimeline(
            pb.ListTimelineRequest(party_id=party),
            metadata=(("x-tenant-id", str(uuid.uuid4())),),
            timeout=5,
        )
        assert list(other.entries) == []


class TestTasks:
    async def test_t2_subtasks_delegation_history_and_completion_order(self, contacts, caller):
        boss, worker = caller, caller.as_user(uuid.uuid4())
        parent = (
            await contacts.tasks.CreateTask(
                tpb.CreateTaskRequest(
                    title="התקנה אצל לקוח", priority=1, assignee_user_id=str(boss.user)
                ),
                metadata=boss.md,
                timeout=5,
            )
        ).task
        sub = (
            await contacts.tasks.CreateTask(
                tpb.CreateTaskRequest(title="להזמין חלקים", parent_id=parent.id),
                metadata=boss.md,
                timeout=5,
            )
        ).task
        await contacts.tasks.DelegateTask(
            tpb.DelegateTaskRequest(task_id=sub.id, to_user_id=str(worker.user), note="דחוף"),
            metadata=boss.md,
            timeout=5,
        )
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.tasks.CompleteTask(
                tpb.CompleteTaskRequest(task_id=parent.id), metadata=boss.md, timeout=5
            )
        assert exc.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        await contacts.tasks.CompleteTask(
            tpb.CompleteTaskRequest(task_id=sub.id), metadata=worker.md, timeout=5
        )
        done = await contacts.tasks.CompleteTask(
            tpb.CompleteTaskRequest(task_id=parent.id), metadata=boss.md, timeout=5
        )
        assert done.task.status == "done"
        details = await contacts.tasks.GetTask(
            tpb.GetTaskRequest(task_id=parent.id), metadata=boss.md, timeout=5
        )
        assert [s.id for s in details.subtasks] == [sub.id]
        sub_details = await contacts.tasks.GetTask(
            tpb.GetTaskRequest(task_id=sub.id), metadata=boss.md, timeout=5
        )
        (d,) = sub_details.delegations
        assert (d.from_user_id, d.to_user_id, d.by_user_id, d.note) == (
            str(boss.user),
            str(worker.user),
            str(boss.user),
            "דחוף",
        )
        assigned = await outbox(contacts, "task.assigned", sub.id)
        assert tev.TaskAssigned.FromString(assigned[0].payload).to_user_id == str(worker.user)

    async def test_t6_each_user_lists_only_their_own_tasks(self, contacts, caller):
        me, other = caller, caller.as_user(uuid.uuid4())
        mine = (
            await contacts.tasks.CreateTask(
                tpb.CreateTaskRequest(title="שלי"), metadata=me.md, timeout=5
            )
        ).task
        await contacts.tasks.CreateTask(
            tpb.CreateTaskRequest(title="שלו", assignee_user_id=str(other.user)),
            metadata=me.md,
            timeout=5,
        )
        listed = await contacts.tasks.ListMyTasks(
            tpb.ListMyTasksRequest(), metadata=me.md, timeout=5
        )
        assert [t.id for t in listed.tasks] == [mine.id]
        theirs = await contacts.tasks.ListMyTasks(
            tpb.ListMyTasksRequest(), metadata=other.md, timeout=5
        )
        assert [t.title for t in theirs.tasks] == ["שלו"]
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.tasks.CompleteTask(
                tpb.CompleteTaskRequest(task_id=mine.id),
                metadata=caller.as_user(uuid.uuid4()).md,
                timeout=5,
            )
        assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED

    async def test_t6_a_team_lead_sees_the_teams_tasks_a_rep_only_their_own(self, contacts, caller):
        team = str(uuid.uuid4())

        def md(user: uuid.UUID, scope: str) -> tuple[tuple[str, str], ...]:
            return (
                ("x-tenant-id", str(caller.tenant)),
                ("x-user-id", str(user)),
                ("x-user-team", team),
                ("x-record-scope", scope),
            )

        rep, lead_user, outsider = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        await contacts.tasks.CreateTask(
            tpb.CreateTaskRequest(title="של הנציג"), metadata=md(rep, "own"), timeout=5
        )
        await contacts.tasks.CreateTask(
            tpb.CreateTaskRequest(title="של מישהו אחר"),
            metadata=(("x-tenant-id", str(caller.tenant)), ("x-user-id", str(outsider))),
            timeout=5,
        )
        team_view = await contacts.tasks.ListMyTasks(
            tpb.ListMyTasksRequest(include_team=True), metadata=md(lead_user, "team"), timeout=5
        )
        assert [t.title for t in team_view.tasks] == ["של הנציג"]
        assert team_view.tasks[0].team_id == team
        everyone = await contacts.tasks.ListMyTasks(
            tpb.ListMyTasksRequest(include_team=True), metadata=md(lead_user, "all"), timeout=5
        )
        assert len(everyone.tasks) == 2
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.tasks.ListMyTasks(
                tpb.ListMyTasksRequest(include_team=True), metadata=md(rep, "own"), timeout=5
            )
        assert exc.value.code() == grpc.StatusCode.PERMISSION_DENIED

    async def test_t3_sla_breach_is_marked_once_emitted_and_reported(self, contacts, caller):
        await contacts.tasks.CreateTaskType(
            tpb.CreateTaskTypeRequest(key="callback", name="חזרה ללקוח", sla_minutes=30),
            metadata=caller.md,
            timeout=5,
        )
        late = (
            await contacts.tasks.CreateTask(
                tpb.CreateTaskRequest(title="לחזור", task_type_key="callback"),
                metadata=caller.md,
                timeout=5,
            )
        ).task
        ok = (
            await contacts.tasks.CreateTask(
                tpb.CreateTaskRequest(title="לחזור 2", task_type_key="callback"),
                metadata=caller.md,
                timeout=5,
            )
        ).task
        assert late.sla_due_at.ToDatetime(tzinfo=dt.UTC) - late.created_at.ToDatetime(
            tzinfo=dt.UTC
        ) == dt.timedelta(minutes=30)
        # Move one task's SLA into the past, as time passing would.
        async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
            await s.execute(
                update(Task)
                .where(Task.id == uuid.UUID(late.id))
                .values(sla_due_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
            )
        first = await contacts.tasks.CheckSla(tpb.CheckSlaRequest(), metadata=caller.md, timeout=5)
        again = await contacts.tasks.CheckSla(tpb.CheckSlaRequest(), metadata=caller.md, timeout=5)
        assert (first.breached, again.breached) == (1, 0)
        (row,) = await outbox(contacts, "task.sla_breached", late.id)
        breach = tev.TaskSlaBreached.FromString(row.payload)
        assert breach.task_type_key == "callback"
        await contacts.tasks.CompleteTask(
            tpb.CompleteTaskRequest(task_id=ok.id), metadata=caller.md, timeout=5
        )
        (done,) = await outbox(contacts, "task.completed", ok.id)
        completed = tev.TaskCompleted.FromString(done.payload)
        assert completed.sla_met is True
        assert completed.task_type_key == "callback"
        report = await contacts.tasks.SlaReport(
            tpb.SlaReportRequest(), metadata=caller.md, timeout=5
        )
        (r,) = report.rows
        assert (r.task_type_key, r.done_within_sla, r.open_breached) == ("callback", 1, 1)

    async def test_t1_reminders_due_and_follow_up_lists(self, contacts, caller):
        soon = Timestamp()
        soon.FromDatetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
        later = Timestamp()
        later.FromDatetime(dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
        r1 = (
            await contacts.tasks.CreateReminder(
                tpb.CreateReminderRequest(remind_at=soon, note="להתקשר"),
                metadata=caller.md,
                timeout=5,
            )
        ).reminder
        await contacts.tasks.CreateReminder(
            tpb.CreateReminderRequest(remind_at=later, note="מעקב הצעה", follow_up=True),
            metadata=caller.md,
            timeout=5,
        )
        # Make r1 due (its time passes).
        from crm_contacts.tasks.models import Reminder

        async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
            await s.execute(
                update(Reminder)
                .where(Reminder.id == uuid.UUID(r1.id))
                .values(remind_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
            )
        due = await contacts.tasks.ListReminders(
            tpb.ListRemindersRequest(), metadata=caller.md, timeout=5
        )
        assert [r.note for r in due.reminders] == ["להתקשר"]
        follow = await contacts.tasks.ListReminders(
            tpb.ListRemindersRequest(follow_up=True), metadata=caller.md, timeout=5
        )
        assert [r.note for r in follow.reminders] == ["מעקב הצעה"]
        await contacts.tasks.DismissReminder(
            tpb.DismissReminderRequest(reminder_id=r1.id), metadata=caller.md, timeout=5
        )
        due = await contacts.tasks.ListReminders(
            tpb.ListRemindersRequest(), metadata=caller.md, timeout=5
        )
        assert list(due.reminders) == []
        past = Timestamp()
        past.FromDatetime(dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.tasks.CreateReminder(
                tpb.CreateReminderRequest(remind_at=past, note="x"), metadata=caller.md, timeout=5
            )
        assert {v.field for v in from_rpc_error(exc.value).violations} == {"remind_at"}


class TestRules:
    async def test_t4_deal_won_matching_the_condition_creates_the_accounting_task_once(
        self, contacts, caller
    ):
        await contacts.tasks.CreateTaskType(
            tpb.CreateTaskTypeRequest(key="issue_invoice", name="הפקת חשבונית", sla_minutes=240),
            metadata=caller.md,
            timeout=5,
        )
        rule = (
            await contacts.tasks.CreateRule(
                tpb.CreateRuleRequest(
                    rule=tpb.Rule(
                        name="עסקה נסגרה -> חשבונית",
                        kind="on_event",
                        topic="crm.leads.deal",
                        event_type="deal.won",
                        conditions=lv({"path": "amount_agorot", "op": "gt", "value": 100000}),
                        task_template=st(
                            title="להפיק חשבונית: {title}",
                            assignee_user_id=str(ACCOUNTING),
                            task_type_key="issue_invoice",
                            priority=1,
                        ),
                        enabled=True,
                    )
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).rule
        party, deal_id = str(uuid7()), str(uuid7())
        won = deal.DealWon(
            deal_id=deal_id, party_id=party, title="מזגן לסלון", amount_agorot=450000
        )
        event_id = uuid7()
        for _ in range(2):  # a redelivery makes no second task
            await deliver(
                contacts, caller.tenant, "crm.leads.deal", "deal.won", won, event_id=event_id
            )
        small = deal.DealWon(
            deal_id=str(uuid7()), party_id=party, title="סינון", amount_agorot=5000
        )
        await deliver(contacts, caller.tenant, "crm.leads.deal", "deal.won", small)
        listed = await contacts.tasks.ListMyTasks(
            tpb.ListMyTasksRequest(), metadata=caller.as_user(ACCOUNTING).md, timeout=5
        )
        (task,) = listed.tasks
        assert task.title == "להפיק חשבונית: מזגן לסלון"
        assert (task.party_id, task.deal_id, task.rule_id) == (party, deal_id, rule.id)
        assert task.task_type_key == "issue_invoice"
        assert task.priority == 1
        (created,) = await outbox(contacts, "task.created", task.id)
        assert tev.TaskCreated.FromString(created.payload).rule_id == rule.id

    async def test_t4_bad_rules_are_refused(self, contacts, caller):
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.tasks.CreateRule(
                tpb.CreateRuleRequest(
                    rule=tpb.Rule(
                        name="x",
                        kind="on_event",
                        topic="crm.nowhere",
                        event_type="thing.happened",
                        conditions=lv({"path": "a", "op": "like"}),
                        task_template=st(title="", assignee_user_id="bob"),
                    )
                ),
                metadata=caller.md,
                timeout=5,
            )
        fields = {v.field for v in from_rpc_error(exc.value).violations}
        assert fields == {
            "event_type",
            "conditions[0].op",
            "task_template.title",
            "task_template.assignee_user_id",
        }

    async def test_t5_completing_a_task_of_a_type_requests_the_action_by_event(
        self, contacts, caller
    ):
        await contacts.tasks.CreateTaskType(
            tpb.CreateTaskTypeRequest(key="schedule_meeting", name="תיאום פגישה"),
            metadata=caller.md,
            timeout=5,
        )
        rule = (
            await contacts.tasks.CreateRule(
                tpb.CreateRuleRequest(
                    rule=tpb.Rule(
                        name="פגישה נקבעה -> מייל",
                        kind="on_task_completed",
                        task_type_key="schedule_meeting",
                        action=st(
                            action="messaging.send_email",
                            params={"template": "meeting_confirmed", "task": "{title}"},
                        ),
                        enabled=True,
                    )
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).rule
        party = str(uuid7())
        task = (
            await contacts.tasks.CreateTask(
                tpb.CreateTaskRequest(
                    title="פגישה עם דנה", task_type_key="schedule_meeting", party_id=party
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).task
        done = await contacts.tasks.CompleteTask(
            tpb.CompleteTaskRequest(task_id=task.id), metadata=caller.md, timeout=5
        )
        assert done.actions_requested == 1
        (row,) = await outbox(contacts, "task.action_requested", task.id)
        action = tev.TaskActionRequested.FromString(row.payload)
        assert (action.action, action.rule_id, action.party_id) == (
            "messaging.send_email",
            rule.id,
            party,
        )
        assert dict(action.params) == {"template": "meeting_confirmed", "task": "פגישה עם דנה"}
        tl = await contacts.card.ListTimeline(
            pb.ListTimelineRequest(party_id=party, kinds=["task"]), metadata=caller.md, timeout=5
        )
        assert len(tl.entries) == 1


class TestBirthdays:
    async def test_c8_birthday_due_once_per_year_in_jerusalem_time(self, contacts, caller):
        c = (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(
                    first_name="נועה", birthday="1990-03-15", phones=["054-7654321"]
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).contact
        # 22:30 UTC on 14 March is 00:30 on 15 March in Jerusalem (UTC+2).
        now = dt.datetime(2027, 3, 14, 22, 30, tzinfo=dt.UTC)
        async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
            assert await transfer.emit_birthdays(s, caller.tenant, now=now) == 1
        async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
            assert await transfer.emit_birthdays(s, caller.tenant, now=now) == 0
        async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
            assert (
                await transfer.emit_birthdays(s, caller.tenant, now=now, time_zone="UTC") == 0
            )  # still 14 March in UTC
        (row,) = await outbox(contacts, "birthday.due", c.party_id)
        due = cev.BirthdayDue.FromString(row.payload)
        assert (due.date, due.years, due.occasion) == ("2027-03-15", 37, "birthday")
        assert list(due.phones) == ["+972547654321"]

    async def test_c8_emit_birthdays_refuses_an_unknown_time_zone(self, contacts, caller):
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.card.EmitBirthdays(
                pb.EmitBirthdaysRequest(time_zone="Mars/Olympus"), metadata=caller.md, timeout=5
            )
        assert {v.field for v in from_rpc_error(exc.value).violations} == {"time_zone"}
        ok = await contacts.card.EmitBirthdays(
            pb.EmitBirthdaysRequest(), metadata=caller.md, timeout=5
        )
        assert ok.emitted == 0


CSV = (
    'שם פרטי,משפחה,טלפון,דוא"ל,ת.ז.,עיר,רמה\n'
    "דנה,לוי,050-7654321,dana@example.com,123456782,חיפה,gold\n"
    "יוסי,כהן,12,yossi@example.com,,תל אביב,gold\n"
    "רון,,054-7654321,,,אילת,platinum\n"
    "מיכל,אבן,052-5551234,,,,silver\n"
    "דנה,לוי-שם,050 765 4321,,,,silver\n"
)
MAPPING = {
    "שם פרטי": "first_name",
    "משפחה": "last_name",
    "טלפון": "phone",
    'דוא"ל': "email",
    "ת.ז.": "id_number",
    "עיר": "city",
    "רמה": "custom.tier",
}


class TestImport:
    async def test_c9_import_maps_columns_reports_row_errors_and_skips_duplicates(
        self, contacts, caller
    ):
        await contacts.card.DefineField(
            pb.DefineFieldRequest(
                field=pb.FieldDefinition(
                    entity="contact",
                    key="tier",
                    label_he="רמה",
                    type="select",
                    options=["gold", "silver"],
                )
            ),
            metadata=caller.md,
            timeout=5,
        )
        existing = (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(first_name="מיכל", phones=["0525551234"]),
                metadata=caller.md,
                timeout=5,
            )
        ).contact
        job = (
            await contacts.card.ImportContacts(
                pb.ImportContactsRequest(
                    csv=CSV.encode(), mapping=MAPPING, duplicate_policy="skip"
                ),
                metadata=caller.md,
                timeout=10,
            )
        ).job
        # rows committed; contacts.changed still being written after the commit (R1)
        assert (job.status, job.total_rows, job.processed_rows) == ("events_pending", 5, 5)
        assert [(e.row, e.field) for e in job.errors] == [(3, "טלפון"), (4, "רמה")]
        # Row 5 matches an existing contact, row 6 repeats row 2's phone: both skipped.
        assert (job.created, job.updated, job.skipped) == (1, 0, 2)
        found = await contacts.card.LookupByPhone(
            pb.LookupByPhoneRequest(phone="0507654321"), metadata=caller.md, timeout=5
        )
        (dana,) = found.contacts
        assert (dana.last_name, dana.id_number, dict(dana.custom)) == (
            "לוי",
            "123456782",
            {"tier": "gold"},
        )
        assert dana.addresses[0].city == "חיפה"
        got = await contacts.card.GetImportJob(
            pb.GetImportJobRequest(job_id=job.id), metadata=caller.md, timeout=5
        )
        assert got.job.created == 1
        same = await contacts.card.GetContact(
            pb.GetContactRequest(contact_id=existing.id), metadata=caller.md, timeout=5
        )
        assert dict(same.contact.custom) == {}

    async def test_c9_update_and_create_policies(self, contacts, caller):
        await contacts.card.DefineField(
            pb.DefineFieldRequest(
                field=pb.FieldDefinition(
                    entity="contact",
                    key="tier",
                    label_he="רמה",
                    type="select",
                    options=["gold", "silver"],
                )
            ),
            metadata=caller.md,
            timeout=5,
        )
        existing = (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(first_name="מיכל", phones=["0525551234"]),
                metadata=caller.md,
                timeout=5,
            )
        ).contact
        job = (
            await contacts.card.ImportContacts(
                pb.ImportContactsRequest(
                    csv=CSV.encode(), mapping=MAPPING, duplicate_policy="update"
                ),
                metadata=caller.md,
                timeout=10,
            )
        ).job
        assert (job.created, job.updated, job.skipped) == (1, 1, 1)
        same = await contacts.card.GetContact(
            pb.GetContactRequest(contact_id=existing.id), metadata=caller.md, timeout=5
        )
        assert (same.contact.last_name, dict(same.contact.custom)) == ("אבן", {"tier": "silver"})
        job = (
            await contacts.card.ImportContacts(
                pb.ImportContactsRequest(
                    csv=CSV.encode(), mapping=MAPPING, duplicate_policy="create"
                ),
                metadata=caller.md,
                timeout=10,
            )
        ).job
        assert (job.created, job.updated, job.skipped) == (3, 0, 0)

    async def test_c9_xlsx_import_with_dates_and_numbers(self, contacts, caller):
        import io

        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["שם", "נייד", "יום הולדת"])
        sheet.append(["דנה", 507654321, dt.date(1990, 5, 17)])  # Excel drops the leading 0
        sheet.append(["רון", "054-7654321", None])
        sheet.append([None, None, None])
        sheet.append(["", "052-5551234", None])
        buf = io.BytesIO()
        book.save(buf)
        job = (
            await contacts.card.ImportContacts(
                pb.ImportContactsRequest(
                    xlsx=buf.getvalue(),
                    mapping={"שם": "first_name", "נייד": "phone", "יום הולדת": "birthday"},
                    duplicate_policy="skip",
                ),
                metadata=caller.md,
                timeout=10,
            )
        ).job
        assert (job.total_rows, job.created) == (3, 2), job
        assert [(e.row, e.field, e.message) for e in job.errors] == [(4, "שם", "is required")]
        (dana,) = (
            await contacts.card.LookupByPhone(
                pb.LookupByPhoneRequest(phone="0507654321"), metadata=caller.md, timeout=5
            )
        ).contacts
        assert dana.birthday == "1990-05-17"
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.card.ImportContacts(
                pb.ImportContactsRequest(xlsx=b"not a workbook", mapping={"a": "first_name"}),
                metadata=caller.md,
                timeout=10,
            )
        assert {v.field for v in from_rpc_error(exc.value).violations} == {"xlsx"}

    async def test_c9_bad_mapping_is_refused_and_imports_nothing(self, contacts, caller):
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.card.ImportContacts(
                pb.ImportContactsRequest(
                    csv=CSV.encode(),
                    mapping={"טלפון": "phone", "עיר": "custom.nope"},
                    duplicate_policy="merge",
                ),
                metadata=caller.md,
                timeout=10,
            )
        fields = {v.field for v in from_rpc_error(exc.value).violations}
        assert fields == {"duplicate_policy", "mapping.עיר", "mapping"}
        found = await contacts.card.SearchContacts(
            pb.SearchContactsRequest(), metadata=caller.md, timeout=5
        )
        assert found.total == 0
