"""/v1/contacts"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from crm.contacts.v1 import contacts_service_pb2 as pb
from crm_gateway.backends import Call, Services
from crm_gateway.routers.leads import ts

router = APIRouter(prefix="/v1/contacts", tags=["contacts"])


class CustomerOut(BaseModel):
    party_id: str
    name: str
    phone: str | None
    email: str | None
    company_name: str | None
    source_lead_id: str | None
    created_at: dt.datetime


class CustomerPage(BaseModel):
    items: list[CustomerOut]
    next_page_token: str | None


def customer_out(c: pb.Customer) -> CustomerOut:
    return CustomerOut(
        party_id=c.party_id,
        name=c.name,
        phone=c.phone or None,
        email=c.email or None,
        company_name=c.company_name or None,
        source_lead_id=c.source_lead_id or None,
        created_at=ts(c.created_at),
    )


@router.get("", response_model=CustomerPage, summary="List customers, newest first")
async def list_customers(
    call: Call,
    services: Services,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str | None, Query(max_length=100)] = None,
) -> CustomerPage:
    resp = await services.contacts.ListCustomers(
        pb.ListCustomersRequest(page_size=page_size, page_token=page_token or ""),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return CustomerPage(
        items=[customer_out(c) for c in resp.customers],
        next_page_token=resp.next_page_token or None,
    )


@router.get("/{party_id}", response_model=CustomerOut, summary="Get a customer by party_id")
async def get_customer(party_id: str, call: Call, services: Services) -> CustomerOut:
    resp = await services.contacts.GetCustomer(
        pb.GetCustomerRequest(party_id=party_id), metadata=call.metadata, timeout=call.timeout
    )
    return customer_out(resp.customer)
