"""contact.changed for reporting (R1 builder fields): every create and update of a contact
writes its full state, dynamic field values JSON-encoded, to the outbox."""

from __future__ import annotations

import json

from google.protobuf.struct_pb2 import Struct
from sqlalchemy import select

from crm.contacts.v1 import card_service_pb2 as pb
from crm.events.contacts.v1 import contact_events_pb2 as cev
from crm_common.db import unit_of_work
from crm_common.plumbing import outbox_table


async def test_r1_contact_changed_carries_dynamic_field_values(contacts, caller):
    """R1 data: the event of a create and of an update (a cleared field disappears)."""
    for key, type_ in (("tier", "text"), ("vip", "checkbox")):
        await contacts.card.DefineField(
            pb.DefineFieldRequest(
                field=pb.FieldDefinition(entity="contact", key=key, label_he=key, type=type_)
            ),
            metadata=caller.md,
            timeout=5,
        )
    custom = Struct()
    custom.update({"tier": "זהב", "vip": True})
    created = await contacts.card.CreateContact(
        pb.CreateContactRequest(first_name="נועה", last_name="בר", custom=custom),
        metadata=caller.md,
        timeout=5,
    )
    patch = Struct()
    patch.update({"vip": None})
    await contacts.card.UpdateContact(
        pb.UpdateContactRequest(contact_id=created.contact.id, custom=patch),
        metadata=caller.md,
        timeout=5,
    )

    async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
        rows = (
            await s.execute(
                select(outbox_table)
                .where(outbox_table.c.type == "contact.changed")
                .where(outbox_table.c.tenant_id == caller.tenant)
                .order_by(outbox_table.c.id)
            )
        ).all()
    assert [r.topic for r in rows] == ["crm.contacts.contact"] * 2
    first, second = (cev.ContactChanged.FromString(r.payload) for r in rows)
    assert first.party_id == created.contact.party_id
    assert first.contact_id == created.contact.id and first.name == "נועה בר"
    assert {k: json.loads(v) for k, v in first.custom_fields.items()} == {
        "tier": "זהב",
        "vip": True,
    }
    assert {k: json.loads(v) for k, v in second.custom_fields.items()} == {"tier": "זהב"}
