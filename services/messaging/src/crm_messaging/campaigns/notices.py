"""Notices (M6): birthday greetings from contacts' ``BirthdayDue``, meeting reminders from
contacts' ``TaskCreated`` (type ``meeting``, sent a day before), and the shipment SMS from
billing's ``OrderShipped``, through the same pipeline as every message.

Each notice has an idempotency key derived from its source event's business key,
so a redelivered event (or the same birthday announced twice) sends nothing more.
A tenant template named ``birthday`` / ``anniversary`` / ``shipment`` (Hebrew)
replaces the default text. Consent is honoured: an opted-out customer gets nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import DomainError, NotFound
from crm_messaging.messages import service as messages
from crm_messaging.messages.models import Message
from crm_messaging.templates.repository import TemplateRepository

_log = logging.getLogger(__name__)

DEFAULT_TEXT = {
    "birthday": "יום הולדת שמח, {{first_name}}! מאחלים לך שנה נפלאה 🎉",
    "anniversary": "מזל טוב, {{first_name}}! מאחלים לך המון אושר ביום החגיגי",
    "meeting": "תזכורת: {{first_name}}, נקבעה לך פגישה ({{title}}) ב-{{date}} בשעה {{time}}.",
    "shipment": "שלום {{name}}, הזמנה {{order_number}} נשלחה ותגיע עד {{expected_arrival}}."
    " חברת שילוח: {{carrier}}, מספר מעקב: {{tracking_number}}",
}


async def send_notice(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    kind: str,
    key: str,
    party_id: uuid.UUID | None,
    phone: str,
    email: str,
    variables: Mapping[str, str],
    send_at: dt.datetime | None = None,
) -> Message | None:
    """Send one notice by SMS (or email when there is no phone); None when it may not go."""
    channel, address = ("sms", phone) if phone else ("email", email)
    if not address:
        _log.info("notice skipped: no address", extra={"kind": kind, "key": key})
        return None
    template = await TemplateRepository(session).get(
        tenant_id=tenant_id, channel=channel, name=kind, language="he"
    )
    cmd = messages.SendCommand(
        idempotency_key=f"notice:{kind}:{key}",
        channel=channel,
        purpose="transactional",
        party_id=party_id,
        to_address=address,
        language="he",
        variables=dict(variables),
        send_at=send_at,
    )
    if template is not None:
        cmd.template_name = kind
    else:
        from crm_messaging.templates.render import render

        rendered = render(
            subject="",
            text=DEFAULT_TEXT[kind],
            html="",
            values={k: v or "-" for k, v in variables.items()},
            template_name=kind,
        )
        cmd.text = rendered.text
        cmd.subject = {
            "birthday": "יום הולדת שמח",
            "anniversary": "מזל טוב",
            "meeting": "תזכורת לפגישה",
        }.get(kind, "עדכון")
    try:
        message, _ = await messages.send_message(session=session, tenant_id=tenant_id, cmd=cmd)
    except (messages.Refused, NotFound) as exc:
        _log.info("notice not sent", extra={"kind": kind, "key": key, "reason": str(exc)})
        return None
    except DomainError as exc:
        # Bad data in the source event (an invalid number): retrying cannot fix it.
        _log.warning("notice not sent", extra={"kind": kind, "key": key, "reason": str(exc)})
        return None
    return message
