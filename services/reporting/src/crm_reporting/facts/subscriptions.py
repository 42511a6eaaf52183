"""Every event reporting consumes, and the handler that files it (REPORTING_SCHEMA.md mapping)."""

from __future__ import annotations

from crm.events.billing.v1 import billing_events_pb2 as bill
from crm.events.contacts.v1 import contact_events_pb2 as contact_ev
from crm.events.contacts.v1 import customer_events_pb2 as cust
from crm.events.contacts.v1 import task_events_pb2 as task_ev
from crm.events.leads.v1 import deal_events_pb2 as deal_ev
from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm.events.leads.v1 import target_events_pb2 as target_ev
from crm.events.messaging.v1 import message_events_pb2 as msg_ev
from crm_common.kafka.consumer import Subscription
from crm_reporting.facts import handlers as h

LEAD_TOPIC = "crm.leads.lead"
DEAL_TOPIC = "crm.leads.deal"
TARGET_TOPIC = "crm.leads.target"
MESSAGE_TOPIC = "crm.messaging.message"
CALL_TOPIC = "crm.messaging.call"
CUSTOMER_TOPIC = "crm.contacts.customer"
CONTACT_TOPIC = "crm.contacts.contact"
TASK_TOPIC = "crm.contacts.task"


def billing_topic(aggregate: str) -> str:
    return f"crm.billing.{aggregate}"


def subscriptions() -> list[Subscription]:
    s = Subscription
    subs = [
        s(LEAD_TOPIC, "lead.captured", lead_ev.LeadCaptured, h.on_lead_captured),
        s(LEAD_TOPIC, "lead.assigned", lead_ev.LeadAssigned, h.on_lead_assigned),
        s(LEAD_TOPIC, "lead.qualified", lead_ev.LeadQualified, h.on_lead_qualified),
        s(LEAD_TOPIC, "lead.disqualified", lead_ev.LeadDisqualified, h.on_lead_disqualified),
        s(LEAD_TOPIC, "lead.converted", lead_ev.LeadConverted, h.on_lead_converted),
        s(LEAD_TOPIC, "lead.merged", lead_ev.LeadMerged, h.on_lead_merged),
        s(LEAD_TOPIC, "lead.activity_added", lead_ev.LeadActivityAdded, h.on_lead_activity_added),
        s(DEAL_TOPIC, "deal.created", deal_ev.DealCreated, h.on_deal_created),
        s(DEAL_TOPIC, "deal.stage_changed", deal_ev.DealStageChanged, h.on_deal_stage_changed),
        s(DEAL_TOPIC, "deal.won", deal_ev.DealWon, h.on_deal_won),
        s(DEAL_TOPIC, "deal.lost", deal_ev.DealLost, h.on_deal_lost),
        s(TARGET_TOPIC, "target.set", target_ev.TargetSet, h.on_target_set),
        s(billing_topic("quote"), "quote.issued", bill.QuoteIssued, h.on_document_issued),
        s(billing_topic("order"), "order.issued", bill.OrderIssued, h.on_document_issued),
        s(billing_topic("delivery"), "delivery.issued", bill.DeliveryIssued, h.on_document_issued),
        s(billing_topic("invoice"), "invoice.issued", bill.InvoiceIssued, h.on_document_issued),
        s(billing_topic("receipt"), "receipt.issued", bill.ReceiptIssued, h.on_document_issued),
        s(billing_topic("credit"), "credit.issued", bill.CreditIssued, h.on_document_issued),
        s(
            billing_topic("payment"),
            "payment.received",
            bill.PaymentReceived,
            h.on_payment_received,
        ),
        s(billing_topic("payment"), "payment.failed", bill.PaymentFailed, h.on_payment_failed),
        s(MESSAGE_TOPIC, "message.queued", msg_ev.MessageQueued, h.on_message_queued),
        s(MESSAGE_TOPIC, "message.sent", msg_ev.MessageSent, h.on_message_sent),
        s(
            MESSAGE_TOPIC,
            "message.status_changed",
            msg_ev.MessageStatusChanged,
            h.on_message_status_changed,
        ),
        s(MESSAGE_TOPIC, "message.received", msg_ev.MessageReceived, h.on_message_received),
        s(CALL_TOPIC, "call.started", msg_ev.CallStarted, h.on_call_started),
        s(CALL_TOPIC, "call.ended", msg_ev.CallEnded, h.on_call_ended),
        s(CUSTOMER_TOPIC, "customer.created", cust.CustomerCreated, h.on_customer_created),
        s(CONTACT_TOPIC, "contact.changed", contact_ev.ContactChanged, h.on_contact_changed),
        s(CONTACT_TOPIC, "contacts.changed", contact_ev.ContactsChanged, h.on_contacts_changed),
        s(CONTACT_TOPIC, "account.changed", contact_ev.AccountChanged, h.on_account_changed),
        s(TASK_TOPIC, "task.created", task_ev.TaskCreated, h.on_task_created),
        s(TASK_TOPIC, "task.assigned", task_ev.TaskAssigned, h.on_task_assigned),
        s(TASK_TOPIC, "task.completed", task_ev.TaskCompleted, h.on_task_completed),
        s(TASK_TOPIC, "task.sla_breached", task_ev.TaskSlaBreached, h.on_task_sla_breached),
    ]
    return subs
