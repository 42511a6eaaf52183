"""/v1/cards/sections and a card's section records (C3, seed 004)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from crm.contacts.v1 import card_service_pb2 as pb
from crm_gateway.backends import Call, Services
from crm_gateway.routers.cards import _In, card_stub, out, parse_filters, struct

router = APIRouter(tags=["cards"])


class SectionIn(_In):
    name: str = Field(max_length=200)
    always_open: bool = False
    position: int = 0


@router.post("/v1/cards/sections", status_code=201, summary="Add a custom section")
async def create_section(body: SectionIn, call: Call, services: Services) -> dict:
    resp = await card_stub(services).CreateSection(
        pb.CreateSectionRequest(**body.model_dump()), metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.section)


@router.get("/v1/cards/sections", summary="The sections with their fields")
async def list_sections(call: Call, services: Services) -> dict:
    resp = await card_stub(services).ListSections(
        pb.ListSectionsRequest(), metadata=call.metadata, timeout=call.timeout
    )
    return {"items": [out(s) for s in resp.sections]}


class SectionPatch(_In):
    name: str | None = Field(default=None, max_length=200)
    always_open: bool | None = None


@router.patch("/v1/cards/sections/{section_id}", summary="Rename, or set open / collapsed")
async def patch_section(
    section_id: str, body: SectionPatch, call: Call, services: Services
) -> dict:
    req = pb.UpdateSectionRequest(section_id=section_id)
    if body.name is not None:
        req.name = body.name
    if body.always_open is not None:
        req.always_open = body.always_open
    resp = await card_stub(services).UpdateSection(
        req, metadata=call.metadata, timeout=call.timeout
    )
    return out(resp.section)


@router.get(
    "/v1/cards/sections/{section_id}/records",
    summary="Every record of a section across all cards, oldest first, filtered by its fields",
)
async def section_records(
    section_id: str,
    call: Call,
    services: Services,
    filters: Annotated[
        str, Query(max_length=2000, description='JSON, e.g. {"status":"open"}')
    ] = "",
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str, Query(max_length=100)] = "",
) -> dict:
    resp = await card_stub(services).ListSectionRecords(
        pb.ListSectionRecordsRequest(
            section_id=section_id,
            filters=struct(parse_filters(filters)),
            page_size=page_size,
            page_token=page_token,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {
        "items": [out(r) for r in resp.records],
        "next_page_token": resp.next_page_token or None,
    }


class RecordIn(_In):
    values: dict[str, Any]
    corrects_id: str = ""
    note: str = Field(default="", max_length=2000)


@router.post(
    "/v1/parties/{party_id}/sections/{section_id}/records",
    status_code=201,
    summary="Append a record (or a correction) to a card's section",
)
async def add_record(
    party_id: str, section_id: str, body: RecordIn, call: Call, services: Services
) -> dict:
    resp = await card_stub(services).AddSectionRecord(
        pb.AddSectionRecordRequest(
            section_id=section_id,
            party_id=party_id,
            values=struct(body.values),
            corrects_id=body.corrects_id,
            note=body.note,
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.record)


@router.get(
    "/v1/parties/{party_id}/sections/{section_id}/records", summary="A card's records of a section"
)
async def party_records(party_id: str, section_id: str, call: Call, services: Services) -> dict:
    resp = await card_stub(services).ListPartyRecords(
        pb.ListPartyRecordsRequest(section_id=section_id, party_id=party_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {"items": [out(r) for r in resp.records]}
