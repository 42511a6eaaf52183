"""/v1/cards, /v1/accounts, /v1/fields, /v1/imports: the customer card (C1-C3, C6, C7, C9).

Responses are the contacts service's messages as JSON (snake_case field names); dynamic values
(``custom``) and section record ``values`` are plain JSON objects.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from google.protobuf.json_format import MessageToDict
from google.protobuf.struct_pb2 import Struct
from pydantic import BaseModel, ConfigDict, Field

from crm.contacts.v1 import card_service_pb2 as pb
from crm.contacts.v1 import card_service_pb2_grpc as pb_grpc
from crm_gateway.backends import Call, Services
from crm_gateway.problems import ProblemException

router = APIRouter(tags=["cards"])


def card_stub(services: Services) -> pb_grpc.CardServiceStub:
    return services.stub("contacts", pb_grpc.CardServiceStub)


def out(message) -> dict[str, Any]:
    return MessageToDict(
        message, preserving_proto_field_name=True, always_print_fields_with_no_presence=True
    )


def struct(d: dict[str, Any] | None) -> Struct:
    s = Struct()
    if d:
        s.update(d)
    return s


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddressIn(_In):
    kind: str = Field(default="", max_length=30)
    street: str = Field(default="", max_length=200)
    city: str = Field(default="", max_length=100)
    zip: str = Field(default="", max_length=10)
    country: str = Field(default="", max_length=2)


class FieldIn(_In):
    entity: Literal["contact", "account", "section"]
    section_id: str = ""
    key: str = Field(max_length=63)
    label_he: str = Field(max_length=200)
    label_en: str = Field(default="", max_length=200)
    type: str = Field(max_length=20)
    required: bool = False
    options: list[str] = []
    position: int = 0
    visible: bool = True


@router.post("/v1/fields", status_code=201, summary="Define a dynamic field (C2)")
async def define_field(body: FieldIn, call: Call, services: Services) -> dict:
    resp = await card_stub(services).DefineField(
        pb.DefineFieldRequest(field=pb.FieldDefinition(**body.model_dump())),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.field)


@router.get("/v1/fields", summary="List dynamic fields in screen order")
async def list_fields(
    call: Call,
    services: Services,
    entity: Annotated[str, Query(max_length=20)] = "contact",
    section_id: Annotated[str, Query(max_length=40)] = "",
) -> dict:
    resp = await card_stub(services).ListFields(
        pb.ListFieldsRequest(entity=entity, section_id=section_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {"items": [out(f) for f in resp.fields]}


@router.delete("/v1/fields/{field_id}", status_code=204, summary="Archive a field (values stay)")
async def archive_field(field_id: str, call: Call, services: Services) -> Response:
    await card_stub(services).ArchiveField(
        pb.ArchiveFieldRequest(field_id=field_id), metadata=call.metadata, timeout=call.timeout
    )
    return Response(status_code=204)


class AccountIn(_In):
    name: str = Field(max_length=200)
    company_number: str = Field(default="", max_length=20, description="ח.פ.")
    owner_user_id: str = ""
    addresses: list[AddressIn] = []
    custom: dict[str, Any] = {}


@router.post("/v1/accounts", status_code=201, summary="Create a company (C1)")
async def create_account(body: AccountIn, call: Call, services: Services) -> dict:
    resp = await card_stub(services).CreateAccount(
        pb.CreateAccountRequest(
            name=body.name,
            company_number=body.company_number,
            owner_user_id=body.owner_user_id,
            addresses=[pb.Address(**a.model_dump()) for a in body.addresses],
            custom=struct(body.custom),
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.account)


@router.get("/v1/accounts/{account_id}", summary="A company with its contacts")
async def get_account(account_id: str, call: Call, services: Services) -> dict:
    resp = await card_stub(services).GetAccount(
        pb.GetAccountRequest(account_id=account_id), metadata=call.metadata, timeout=call.timeout
    )
    return {"account": out(resp.account), "contacts": [out(c) for c in resp.contacts]}


class PrimaryIn(_In):
    contact_id: str


@router.put("/v1/accounts/{account_id}/primary-contact", summary="Set the primary contact")
async def set_primary(account_id: str, body: PrimaryIn, call: Call, services: Services) -> dict:
    resp = await card_stub(services).SetPrimaryContact(
        pb.SetPrimaryContactRequest(account_id=account_id, contact_id=body.contact_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.account)


class PersonIn(_In):
    first_name: str = Field(max_length=100)
    last_name: str = Field(default="", max_length=100)
    account_id: str = ""
    id_number: str = Field(default="", max_length=20, description="ת.ז.")
    phones: list[str] = Field(default=[], max_length=10)
    emails: list[str] = Field(default=[], max_length=10)
    birthday: str = ""
    anniversary: str = ""
    owner_user_id: str = ""
    addresses: list[AddressIn] = []
    custom: dict[str, Any] = {}


@router.post("/v1/cards/people", status_code=201, summary="Create a contact (person, C1)")
async def create_person(body: PersonIn, call: Call, services: Services) -> dict:
    data = body.model_dump()
    data["addresses"] = [pb.Address(**a) for a in data["addresses"]]
    data["custom"] = struct(data["custom"])
    resp = await card_stub(services).CreateContact(
        pb.CreateContactRequest(**data), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.contact)


@router.get("/v1/cards/lookup", summary="Screen-pop: the cards with this phone, any format")
async def lookup(
    call: Call, services: Services, phone: Annotated[str, Query(min_length=1, max_length=40)]
) -> dict:
    resp = await card_stub(services).LookupByPhone(
        pb.LookupByPhoneRequest(phone=phone), metadata=call.metadata, timeout=call.timeout
    )
    return {"items": [out(c) for c in resp.contacts]}


@router.get("/v1/cards/people/{contact_id}", summary="Get a contact")
async def get_person(contact_id: str, call: Call, services: Services) -> dict:
    resp = await card_stub(services).GetContact(
        pb.GetContactRequest(contact_id=contact_id), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.contact)


class PersonPatch(_In):
    first_name: str | None = Field(default=None, max_length=100)
    last_name: str | None = Field(default=None, max_length=100)
    phones: list[str] | None = None
    emails: list[str] | None = None
    birthday: str | None = None
    custom: dict[str, Any] | None = Field(default=None, description="merged; null removes")


@router.patch("/v1/cards/people/{contact_id}", summary="Update a contact; custom is merged")
async def patch_person(contact_id: str, body: PersonPatch, call: Call, services: Services) -> dict:
    req = pb.UpdateContactRequest(contact_id=contact_id)
    for name in ("first_name", "last_name", "birthday"):
        if getattr(body, name) is not None:
            setattr(req, name, getattr(body, name))
    if body.phones is not None:
        req.replace_phones = True
        req.phones.extend(body.phones)
    if body.emails is not None:
        req.replace_emails = True
        req.emails.extend(body.emails)
    if body.custom is not None:
        req.custom.CopyFrom(struct(body.custom))
    resp = await card_stub(services).UpdateContact(
        req, metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.contact)


class FilterIn(_In):
    text: str = ""
    account_id: str = ""
    owner_user_id: str = ""
    city: str = ""
    custom: dict[str, Any] = {}
    section_id: str = ""
    section_values: dict[str, Any] = {}
    birthday_month: int = Field(default=0, ge=0, le=12)

    def to_pb(self) -> pb.ContactFilter:
        f = pb.ContactFilter(
            text=self.text,
            account_id=self.account_id,
            owner_user_id=self.owner_user_id,
            city=self.city,
            section_id=self.section_id,
            birthday_month=self.birthday_month,
        )
        if self.custom:
            f.custom.CopyFrom(struct(self.custom))
        if self.section_values:
            f.section_values.CopyFrom(struct(self.section_values))
        return f


class SearchIn(_In):
    filter: FilterIn = FilterIn()
    page_size: int = Field(default=50, ge=1, le=200)
    page_token: str = ""


@router.post("/v1/cards/search", summary="Search contacts on any field (C7)")
async def search(body: SearchIn, call: Call, services: Services) -> dict:
    resp = await card_stub(services).SearchContacts(
        pb.SearchContactsRequest(
            filter=body.filter.to_pb(), page_size=body.page_size, page_token=body.page_token
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {
        "items": [out(c) for c in resp.contacts],
        "total": resp.total,
        "next_page_token": resp.next_page_token or None,
    }


class SegmentIn(_In):
    name: str = Field(max_length=200)
    filter: FilterIn


@router.post("/v1/cards/segments", status_code=201, summary="Save a filter as a segment")
async def create_segment(body: SegmentIn, call: Call, services: Services) -> dict:
    resp = await card_stub(services).CreateSegment(
        pb.CreateSegmentRequest(name=body.name, filter=body.filter.to_pb()),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.segment)


@router.get("/v1/cards/segments/{segment_id}/members", summary="A segment's contacts and count")
async def segment_members(
    segment_id: str,
    call: Call,
    services: Services,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str, Query(max_length=100)] = "",
) -> dict:
    resp = await card_stub(services).ListSegmentMembers(
        pb.ListSegmentMembersRequest(
            segment_id=segment_id, page_size=page_size, page_token=page_token
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {
        "items": [out(c) for c in resp.contacts],
        "total": resp.total,
        "next_page_token": resp.next_page_token or None,
    }


class BulkIn(_In):
    filter: FilterIn = FilterIn()
    segment_id: str = ""
    custom: dict[str, Any]


@router.post("/v1/cards/bulk-update", summary="Set dynamic values on every matching contact")
async def bulk_update(body: BulkIn, call: Call, services: Services) -> dict:
    resp = await card_stub(services).BulkUpdate(
        pb.BulkUpdateRequest(
            filter=body.filter.to_pb(), segment_id=body.segment_id, custom=struct(body.custom)
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {"updated": resp.updated}


class TransferIn(_In):
    to_user_id: str
    include_open_tasks: bool = True
    include_open_deals: bool = False


@router.post("/v1/parties/{party_id}/transfer", summary="Hand a customer to another employee")
async def transfer(party_id: str, body: TransferIn, call: Call, services: Services) -> dict:
    resp = await card_stub(services).TransferCustomer(
        pb.TransferCustomerRequest(
            party_id=party_id,
            to_user_id=body.to_user_id,
            include_open_tasks=body.include_open_tasks,
            include_open_deals=body.include_open_deals,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {"tasks_moved": resp.tasks_moved}


class ImportIn(_In):
    csv: str = Field(description="UTF-8 CSV with a header row", max_length=3_000_000)
    mapping: dict[str, str]
    duplicate_policy: Literal["skip", "update", "create"] = "skip"


@router.post("/v1/imports", status_code=201, summary="Import contacts from CSV (C9)")
async def import_contacts(body: ImportIn, call: Call, services: Services) -> dict:
    resp = await card_stub(services).ImportContacts(
        pb.ImportContactsRequest(
            csv=body.csv.encode(), mapping=body.mapping, duplicate_policy=body.duplicate_policy
        ),
        metadata=call.metadata,
        timeout=max(call.timeout, 60),
    )
    return out(resp.job)


@router.get("/v1/imports/{job_id}", summary="An import's progress and per-row errors")
async def get_import(job_id: str, call: Call, services: Services) -> dict:
    resp = await card_stub(services).GetImportJob(
        pb.GetImportJobRequest(job_id=job_id), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.job)


@router.post("/v1/cards/birthdays:emit", summary="Emit today's BirthdayDue events (C8)")
async def emit_birthdays(
    call: Call,
    services: Services,
    time_zone: Annotated[str, Query(max_length=64)] = "",
) -> dict:
    resp = await card_stub(services).EmitBirthdays(
        pb.EmitBirthdaysRequest(time_zone=time_zone), metadata=call.metadata, timeout=call.timeout
    )
    return {"emitted": resp.emitted}


def parse_filters(raw: str) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ProblemException(422, detail="filters must be a JSON object")
    return value
