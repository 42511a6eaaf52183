"""Handlers of the leads service's events. They flush; the consumer loop commits."""

from __future__ import annotations

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm.events.leads.v1 import lead_events_pb2 as ev
from crm_common.errors import InvalidArgument
from crm_common.kafka.consumer import Event, PoisonMessage
from crm_contacts.card import service as card
from crm_contacts.customers import service
from crm_contacts.customers.schemas import CustomerCreate

LEAD_TOPIC = "crm.leads.lead"


async def on_lead_converted(session: AsyncSession, event: Event[ev.LeadConverted]) -> None:
    """L5: the converted lead becomes a customer with the same party_id, and its card (C1)."""
    lead = event.payload
    try:
        data = CustomerCreate(
            party_id=lead.party_id,
            name=lead.name,
            phone=lead.phone,
            email=lead.email,
            company_name=lead.company_name,
            source_lead_id=lead.lead_id,
        )
    except ValidationError as exc:
        # Retrying cannot fix a payload that breaks the contract: dead-letter it at once.
        raise PoisonMessage(f"{event.type} {event.id} is not valid: {exc}") from exc
    customer = await service.create_customer(session=session, tenant_id=event.tenant_id, data=data)
    if customer is not None:  # new customer (a replay changes nothing)
        first, _, last = data.name.partition(" ")
        try:
            async with session.begin_nested():
                # L5: the conversion asked for an account (company): the person becomes its
                # primary contact.
                account = (
                    await card.create_account(
                        session, event.tenant_id, card.AccountInput(name=lead.account_name)
                    )
                    if lead.account_name.strip()
                    else None
                )
                contact = await card.create_contact(
                    session,
                    event.tenant_id,
                    card.ContactInput(
                        first_name=first,
                        last_name=last,
                        phones=[data.phone] if data.phone else [],
                        emails=[data.email] if data.email else [],
                        party_id=data.party_id,
                        account_id=account.id if account else None,
                    ),
                )
                if account is not None:
                    await card.set_primary_contact(session, event.tenant_id, account.id, contact.id)
        except (InvalidArgument, IntegrityError):
            pass  # the customer stands; a card with bad details is left for a person to fix
