"""/v1/parties/{party_id}/attachments: files of any type and size on a card (C5).

Upload: the request body is the file (its Content-Type is kept), streamed to the contacts
service in 1 MiB chunks; download streams it back chunk by chunk. The tenant comes from the
caller's credentials, so a file is only ever read by its own tenant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from crm.contacts.v1 import card_service_pb2 as pb
from crm_gateway.backends import Call, Services
from crm_gateway.routers.cards import card_stub, out

router = APIRouter(tags=["cards"])
CHUNK = 1 << 20


@router.post(
    "/v1/parties/{party_id}/attachments",
    status_code=201,
    summary="Upload a file (the body) to a card; ?filename=",
)
async def upload(
    party_id: str,
    request: Request,
    call: Call,
    services: Services,
    filename: Annotated[str, Query(min_length=1, max_length=255)],
) -> dict:
    stub = card_stub(services)
    begun = await stub.BeginAttachment(
        pb.BeginAttachmentRequest(
            party_id=party_id,
            filename=filename,
            content_type=request.headers.get("content-type", "application/octet-stream"),
        ),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    att_id = begun.attachment.id
    offset = 0
    buf = bytearray()

    async def flush() -> None:
        nonlocal offset
        resp = await stub.AppendAttachment(
            pb.AppendAttachmentRequest(attachment_id=att_id, offset=offset, data=bytes(buf)),
            metadata=call.metadata,
            timeout=call.timeout,
        )
        offset = resp.size
        buf.clear()

    async for part in request.stream():
        buf.extend(part)
        while len(buf) >= CHUNK:
            rest = bytes(buf[CHUNK:])
            del buf[CHUNK:]
            await flush()
            buf.extend(rest)
    if buf:
        await flush()
    done = await stub.FinishAttachment(
        pb.FinishAttachmentRequest(attachment_id=att_id),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    return out(done.attachment)


@router.get("/v1/parties/{party_id}/attachments", summary="A card's files, newest first")
async def list_attachments(party_id: str, call: Call, services: Services) -> dict:
    resp = await card_stub(services).ListAttachments(
        pb.ListAttachmentsRequest(party_id=party_id), metadata=call.metadata, timeout=call.timeout
    )
    return {"items": [out(a) for a in resp.attachments]}


@router.get(
    "/v1/parties/{party_id}/attachments/{attachment_id}",
    summary="Download a file (streamed)",
    response_class=StreamingResponse,
)
async def download(
    party_id: str, attachment_id: str, call: Call, services: Services
) -> StreamingResponse:
    stub = card_stub(services)
    first = await stub.ReadAttachment(
        pb.ReadAttachmentRequest(attachment_id=attachment_id, offset=0, length=CHUNK),
        metadata=call.metadata,
        timeout=call.timeout,
    )
    att = first.attachment
    if att.party_id != party_id:
        from crm_gateway.problems import ProblemException

        raise ProblemException(404, detail=f"attachment {attachment_id} not found")

    async def body() -> AsyncIterator[bytes]:
        yield first.data
        offset = len(first.data)
        while offset < att.size:
            resp = await stub.ReadAttachment(
                pb.ReadAttachmentRequest(attachment_id=attachment_id, offset=offset, length=CHUNK),
                metadata=call.metadata,
                timeout=call.timeout,
            )
            if not resp.data:
                break
            offset += len(resp.data)
            yield resp.data

    return StreamingResponse(
        body(),
        media_type=att.content_type,
        headers={
            "Content-Length": str(att.size),
            "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(att.filename)}",
            "Digest": f"sha-256={att.sha256}",
        },
    )


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
