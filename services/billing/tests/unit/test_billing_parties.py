"""The parties read model: protobuf mapping and the CustomerCreated consumer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from crm.events.contacts.v1 import customer_events_pb2 as customer_ev
from crm_billing.api.mappers import party_to_pb
from crm_billing.consumers import contacts as contact_consumers
from crm_billing.parties.models import Party
from crm_common.db import uuid7
from crm_common.kafka.consumer import Event, PoisonMessage
from crm_common.protoutil import timestamp

TENANT = uuid.UUID("0194f7a0-0000-7000-8000-000000000001")
CREATED = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
PUBLISHED = datetime(2026, 11, 25, 9, 31, tzinfo=UTC)


def customer_created(*, created_at: datetime | None = CREATED, **fields) -> Event:
    payload = customer_ev.CustomerCreated(
        **{"party_id": str(uuid7()), "name": "דנה לוי", "phone": "+972501234567", **fields}
    )
    if created_at is not None:
        payload.created_at.CopyFrom(timestamp(created_at))
    return Event(
        id=uuid7(),
        type="customer.created",
        tenant_id=TENANT,
        occurred_at=PUBLISHED,
        topic="crm.contacts.customer",
        key=payload.party_id,
        payload=payload,
        headers={},
    )


@pytest.fixture
def recorded(monkeypatch) -> list[dict]:
    calls: list[dict] = []

    async def record_party(**kwargs):
        calls.append(kwargs)

    async def no_handoff(*_args):
        return []

    monkeypatch.setattr(contact_consumers.service, "record_party", record_party)
    # the hand-off (lock, parked won deals) needs PostgreSQL: see test_won_deal_handoff.py
    monkeypatch.setattr(contact_consumers.handoff, "lock_party", no_handoff)
    monkeypatch.setattr(contact_consumers.handoff, "release_parked", no_handoff)
    return calls


class TestPartyToPb:
    def test_foundation_maps_every_field(self):
        party = Party(
            tenant_id=TENANT,
            party_id=uuid7(),
            name="Dana",
            phone="+972501234567",
            email="dana@example.co.il",
            updated_at=CREATED,
        )
        msg = party_to_pb(party)
        assert msg.party_id == str(party.party_id)
        assert (msg.name, msg.phone, msg.email) == ("Dana", "+972501234567", "dana@example.co.il")
        assert msg.updated_at.ToDatetime(tzinfo=UTC) == CREATED

    def test_foundation_missing_values_are_empty_strings(self):
        party = Party(
            tenant_id=TENANT,
            party_id=uuid7(),
            name="Dana",
            phone=None,
            email=None,
            updated_at=CREATED,
        )
        msg = party_to_pb(party)
        assert (msg.phone, msg.email) == ("", "")


class TestOnCustomerCreated:
    async def test_foundation_keeps_a_copy_of_the_customer(self, recorded):
        event = customer_created(email="")
        session = object()
        await contact_consumers.on_customer_created(session, event)
        assert recorded == [
            {
                "session": session,
                "tenant_id": TENANT,
                "party_id": uuid.UUID(event.payload.party_id),
                "name": "דנה לוי",
                "phone": "+972501234567",
                "email": None,
                "updated_at": CREATED,
            }
        ]

    async def test_foundation_without_created_at_the_event_time_is_used(self, recorded):
        await contact_consumers.on_customer_created(object(), customer_created(created_at=None))
        assert recorded[0]["updated_at"] == PUBLISHED

    async def test_foundation_a_payload_without_a_party_id_is_dead_lettered(self, recorded):
        with pytest.raises(PoisonMessage):
            await contact_consumers.on_customer_created(object(), customer_created(party_id=""))
        assert recorded == []
