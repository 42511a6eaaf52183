"""``contact.changed`` (topic crm.contacts.contact): a contact's full state after a create or an
update, with its dynamic field values, for reporting's builder fields (R1)."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.contacts.v1 import contact_events_pb2 as ev
from crm_common.outbox import add_event
from crm_common.protoutil import timestamp
from crm_contacts.card.models import Contact

CONTACT_TOPIC = "crm.contacts.contact"


async def contact_changed(session: AsyncSession, contact: Contact) -> None:
    now = dt.datetime.now(dt.UTC)
    name = f"{contact.first_name} {contact.last_name}".strip()
    await add_event(
        session,
        topic=CONTACT_TOPIC,
        aggregate_type="contact",
        aggregate_id=contact.party_id,
        tenant_id=contact.tenant_id,
        event=ev.ContactChanged(
            party_id=str(contact.party_id),
            contact_id=str(contact.id),
            account_id=str(contact.account_id) if contact.account_id else "",
            name=name,
            emails=list(contact.emails or []),
            phones=list(contact.phones or []),
            custom_fields={
                k: json.dumps(v, ensure_ascii=False, default=str)
                for k, v in (contact.custom or {}).items()
            },
            owner_user_id=str(contact.owner_user_id) if contact.owner_user_id else "",
            changed_at=timestamp(now),
        ),
        occurred_at=now,
    )
