"""/v1/parties/{party_id}/timeline: one timeline per customer or lead (C4)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from crm.contacts.v1 import card_service_pb2 as pb
from crm_gateway.backends import Call, Services
from crm_gateway.routers.cards import _In, card_stub, out

router = APIRouter(tags=["cards"])


@router.get("/v1/parties/{party_id}/timeline", summary="The party's timeline, newest first")
async def timeline(
    party_id: str,
    call: Call,
    services: Services,
    kind: Annotated[list[str] | None, Query(description="filter by kind; repeat")] = None,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    page_token: Annotated[str, Query(max_length=200)] = "",
) -> dict:
    resp = await card_stub(services).ListTimeline(
        pb.ListTimelineRequest(
            party_id=party_id, kinds=kind or [], page_size=page_size, page_token=page_token
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return {
        "items": [out(e) for e in resp.entries],
        "next_page_token": resp.next_page_token or None,
    }


class NoteIn(_In):
    text: str = Field(min_length=1, max_length=10_000)


@router.post(
    "/v1/parties/{party_id}/notes", status_code=201, summary="Write a note on the timeline"
)
async def add_note(party_id: str, body: NoteIn, call: Call, services: Services) -> dict:
    resp = await card_stub(services).AddNote(
        pb.AddNoteRequest(party_id=party_id, text=body.text),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(resp.entry)
