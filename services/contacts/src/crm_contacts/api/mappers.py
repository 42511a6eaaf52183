"""Domain <-> protobuf."""

from __future__ import annotations

from crm.contacts.v1 import contacts_service_pb2 as pb
from crm_common.protoutil import timestamp
from crm_contacts.customers.models import Customer


def customer_to_pb(customer: Customer) -> pb.Customer:
    return pb.Customer(
        party_id=str(customer.party_id),
        name=customer.name,
        phone=customer.phone or "",
        email=customer.email or "",
        company_name=customer.company_name or "",
        source_lead_id=str(customer.source_lead_id) if customer.source_lead_id else "",
        created_at=timestamp(customer.created_at),
    )
