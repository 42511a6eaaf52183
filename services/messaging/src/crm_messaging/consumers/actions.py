"""Automation actions (T5 -> M1): contacts' ``task.action_requested`` asks messaging to send.

A contacts rule "when a task of type X completes, do Y" emits ``TaskActionRequested``
with an ``action`` and string ``params`` (rendered by contacts from the task). The
messaging actions are:

* ``messaging.send_message`` (also ``send_message``): ``channel`` param (email, sms,
  whatsapp; default sms when the party has a phone, else email);
* ``messaging.send_email``, ``messaging.send_sms``, ``messaging.send_whatsapp``:
  the channel is in the name.

Params: ``template`` (a tenant template; or ``text`` and, for email, ``subject``),
``language`` (default he), ``purpose`` (transactional by default; marketing needs
consent and the advertising mark like every send), ``to`` (an address; default the
task's party's address from the read model). Every other param is a template
variable. The message goes through the normal pipeline with the idempotency key
``action:<event id>``: a redelivered event sends nothing more. Other actions are not
messaging's and are ignored. A request that cannot be sent (unknown party, missing
template, bad address, no consent) is logged and dropped: retrying cannot fix it.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.contacts.v1 import task_events_pb2 as task_ev
from crm_common.errors import DomainError
from crm_common.kafka.consumer import Event
from crm_messaging.messages import service as messages
from crm_messaging.parties.repository import PartyRepository

_log = logging.getLogger(__name__)

TASK_TOPIC = "crm.contacts.task"
CHANNEL_ACTIONS = {
    "messaging.send_email": "email",
    "messaging.send_sms": "sms",
    "messaging.send_whatsapp": "whatsapp",
}
GENERIC_ACTIONS = ("messaging.send_message", "send_message")
RESERVED = {"channel", "template", "language", "purpose", "to", "subject", "text", "html"}


def is_messaging_action(action: str) -> bool:
    return action in CHANNEL_ACTIONS or action in GENERIC_ACTIONS


async def on_task_action_requested(
    session: AsyncSession, event: Event[task_ev.TaskActionRequested]
) -> None:
    e = event.payload
    action = e.action.strip()
    if not is_messaging_action(action):
        return
    params = dict(e.params)
    party_id: uuid.UUID | None = None
    if e.party_id:
        try:
            party_id = uuid.UUID(e.party_id)
        except ValueError:
            party_id = None
    channel = CHANNEL_ACTIONS.get(action) or params.get("channel", "").strip().lower()
    if not channel:
        party = (
            await PartyRepository(session).get(tenant_id=event.tenant_id, party_id=party_id)
            if party_id
            else None
        )
        channel = "sms" if party is not None and party.phone else "email"
    cmd = messages.SendCommand(
        idempotency_key=f"action:{event.id}",
        channel=channel,
        purpose=params.get("purpose", "transactional").strip().lower() or "transactional",
        party_id=party_id,
        to_address=params.get("to", ""),
        subject=params.get("subject", ""),
        text=params.get("text", ""),
        html=params.get("html", ""),
        template_name=params.get("template", ""),
        language=params.get("language", "he") or "he",
        variables={k: v for k, v in params.items() if k not in RESERVED},
    )
    extra = {"event_id": str(event.id), "task_id": e.task_id, "action": action}
    try:
        message, replayed = await messages.send_message(
            session=session, tenant_id=event.tenant_id, cmd=cmd
        )
    except DomainError as exc:
        fields = ", ".join(f"{v.field}: {v.description}" for v in exc.violations)
        _log.warning(
            "automation action not sent", extra=extra | {"reason": f"{exc.message} {fields}"}
        )
        return
    _log.info(
        "automation action queued",
        extra=extra | {"message_id": str(message.id), "replayed": replayed},
    )
