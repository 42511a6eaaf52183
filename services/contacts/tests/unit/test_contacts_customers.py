"""Customers: input validation, protobuf mapping, the outbox event and the L5 consumer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from crm.events.contacts.v1 import customer_events_pb2 as customer_ev
from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm_common.db import uuid7
from crm_common.kafka.consumer import Event, PoisonMessage
from crm_contacts.api.mappers import customer_to_pb
from crm_contacts.consumers import leads as lead_consumers
from crm_contacts.customers import events
from crm_contacts.customers.models import Customer
from crm_contacts.customers.schemas import CustomerCreate

TENANT = uuid.UUID("0194f7a0-0000-7000-8000-000000000001")
CREATED = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


def make_customer(**overrides) -> Customer:
    values = {
        "id": uuid7(),
        "tenant_id": TENANT,
        "party_id": uuid7(),
        "name": "דנה לוי",
        "phone": "+972501234567",
        "email": None,
        "company_name": None,
        "source_lead_id": uuid7(),
        "created_at": CREATED,
        "updated_at": CREATED,
    }
    return Customer(**{**values, **overrides})


class FakeSession:
    """Records the statements add_event executes."""

    def __init__(self) -> None:
        self.statements: list = []

    async def execute(self, statement):
        self.statements.append(statement)


def lead_converted(**fields) -> Event[lead_ev.LeadConverted]:
    payload = {
        "lead_id": str(uuid7()),
        "party_id": str(uuid7()),
        "name": "Dana Levi",
        "phone": "+972501234567",
        "source": "web",
        **fields,
    }
    return Event(
        id=uuid7(),
        type="lead.converted",
        tenant_id=TENANT,
        occurred_at=CREATED,
        topic="crm.leads.lead",
        key=payload["lead_id"],
        payload=lead_ev.LeadConverted(**payload),
        headers={},
    )


class TestCustomerCreate:
    def test_c1_blank_optional_fields_become_none(self):
        data = CustomerCreate(
            party_id=str(uuid7()),
            name="  Dana  ",
            phone="",
            email=" ",
            company_name="",
            source_lead_id="",
        )
        assert data.name == "Dana"
        assert (data.phone, data.email, data.company_name, data.source_lead_id) == (None,) * 4

    @pytest.mark.parametrize(
        "fields",
        [
            {"party_id": "not-a-uuid", "name": "Dana"},
            {"party_id": str(uuid7()), "name": ""},
            {"party_id": str(uuid7()), "name": "x" * 201},
            {"party_id": str(uuid7()), "name": "Dana", "source_lead_id": "nope"},
        ],
    )
    def test_c1_rejects_a_broken_customer(self, fields):
        with pytest.raises(ValueError):
            CustomerCreate(**fields)


class TestCustomerToPb:
    def test_c1_maps_every_field(self):
        customer = make_customer(email="dana@example.co.il", company_name="Levi Ltd")
        msg = customer_to_pb(customer)
        assert msg.party_id == str(customer.party_id)
        assert msg.name == "דנה לוי"
        assert msg.phone == "+972501234567"
        assert msg.email == "dana@example.co.il"
        assert msg.company_name == "Levi Ltd"
        assert msg.source_lead_id == str(customer.source_lead_id)
        assert msg.created_at.ToDatetime(tzinfo=UTC) == CREATED

    def test_c1_missing_values_are_empty_strings(self):
        msg = customer_to_pb(make_customer(phone=None, source_lead_id=None))
        assert (msg.phone, msg.email, msg.company_name, msg.source_lead_id) == ("", "", "", "")


class TestCustomerCreatedEvent:
    async def test_l5_writes_customer_created_to_the_outbox_keyed_by_party_id(self):
        customer = make_customer()
        session = FakeSession()
        await events.customer_created(session, customer)
        (stmt,) = session.statements
        row = stmt.compile().params
        assert row["topic"] == "crm.contacts.customer"
        assert row["aggregate_type"] == "customer"
        assert row["aggregate_id"] == str(customer.party_id)
        assert row["type"] == "customer.created"
        assert row["tenant_id"] == TENANT
        assert row["occurred_at"] == CREATED
        payload = customer_ev.CustomerCreated.FromString(row["payload"])
        assert payload.party_id == str(customer.party_id)
        assert payload.name == customer.name
        assert payload.source_lead_id == str(customer.source_lead_id)
        assert payload.created_at.ToDatetime(tzinfo=UTC) == CREATED


class TestOnLeadConverted:
    async def test_l5_creates_the_customer_with_the_leads_party_id(self, monkeypatch):
        calls = []

        async def create_customer(**kwargs):
            calls.append(kwargs)

        monkeypatch.setattr(lead_consumers.service, "create_customer", create_customer)
        event = lead_converted(email="", company_name="Levi Ltd")
        session = object()
        await lead_consumers.on_lead_converted(session, event)
        (call,) = calls
        assert call["session"] is session
        assert call["tenant_id"] == TENANT
        assert call["data"] == CustomerCreate(
            party_id=event.payload.party_id,
            name="Dana Levi",
            phone="+972501234567",
            email=None,
            company_name="Levi Ltd",
            source_lead_id=event.payload.lead_id,
        )

    async def test_l5_a_payload_without_a_party_id_is_dead_lettered(self, monkeypatch):
        async def create_customer(**kwargs):
            raise AssertionError("must not be called")

        monkeypatch.setattr(lead_consumers.service, "create_customer", create_customer)
        with pytest.raises(PoisonMessage):
            await lead_consumers.on_lead_converted(object(), lead_converted(party_id=""))
