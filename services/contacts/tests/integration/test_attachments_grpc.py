"""C5 attachments over gRPC on a real PostgreSQL and the local filesystem storage."""

from __future__ import annotations

import hashlib
import os
import uuid

import grpc
import pytest

from crm.contacts.v1 import card_service_pb2 as pb
from crm_contacts.attachments import storage as storage_mod
from crm_contacts.attachments.service import MAX_CHUNK


@pytest.fixture(autouse=True)
def local_storage(tmp_path):
    storage_mod.set_storage(storage_mod.LocalStorage(tmp_path / "attachments"))
    yield tmp_path / "attachments"
    storage_mod.set_storage(None)


async def upload(contacts, caller, party: str, data: bytes, name="חוזה.pdf") -> pb.Attachment:
    att = (
        await contacts.card.BeginAttachment(
            pb.BeginAttachmentRequest(
                party_id=party, filename=name, content_type="application/pdf"
            ),
            metadata=caller.md,
            timeout=5,
        )
    ).attachment
    offset = 0
    for i in range(0, len(data), MAX_CHUNK):
        resp = await contacts.card.AppendAttachment(
            pb.AppendAttachmentRequest(
                attachment_id=att.id, offset=offset, data=data[i : i + MAX_CHUNK]
            ),
            metadata=caller.md,
            timeout=5,
        )
        offset = resp.size
    return (
        await contacts.card.FinishAttachment(
            pb.FinishAttachmentRequest(attachment_id=att.id), metadata=caller.md, timeout=5
        )
    ).attachment


async def test_c5_file_in_chunks_with_size_checksum_who_and_when(contacts, caller, local_storage):
    party = str(uuid.uuid4())
    data = os.urandom(2 * MAX_CHUNK + 12345)
    att = await upload(contacts, caller, party, data)
    assert att.size == len(data)
    assert att.sha256 == hashlib.sha256(data).hexdigest()
    assert att.uploaded_by == str(caller.user) and att.created_at.seconds > 0
    got, offset = b"", 0
    while offset < att.size:
        r = await contacts.card.ReadAttachment(
            pb.ReadAttachmentRequest(attachment_id=att.id, offset=offset),
            metadata=caller.md,
            timeout=5,
        )
        got += r.data
        offset += len(r.data)
    assert got == data
    listed = await contacts.card.ListAttachments(
        pb.ListAttachmentsRequest(party_id=party), metadata=caller.md, timeout=5
    )
    assert [a.filename for a in listed.attachments] == ["חוזה.pdf"]
    assert len(list(local_storage.rglob(att.id))) == 1
    tl = await contacts.card.ListTimeline(
        pb.ListTimelineRequest(party_id=party, kinds=["attachment"]),
        metadata=caller.md,
        timeout=5,
    )
    assert len(tl.entries) == 1


async def test_c5_a_chunk_at_the_wrong_offset_is_refused(contacts, caller):
    att = (
        await contacts.card.BeginAttachment(
            pb.BeginAttachmentRequest(party_id=str(uuid.uuid4()), filename="a.txt"),
            metadata=caller.md,
            timeout=5,
        )
    ).attachment
    await contacts.card.AppendAttachment(
        pb.AppendAttachmentRequest(attachment_id=att.id, offset=0, data=b"abc"),
        metadata=caller.md,
        timeout=5,
    )
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await contacts.card.AppendAttachment(
            pb.AppendAttachmentRequest(attachment_id=att.id, offset=0, data=b"abc"),
            metadata=caller.md,
            timeout=5,
        )
    assert exc.value.code() == grpc.StatusCode.FAILED_PRECONDITION


async def test_c5_another_tenant_cannot_read_the_file(contacts, caller):
    att = await upload(contacts, caller, str(uuid.uuid4()), b"secret")
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await contacts.card.ReadAttachment(
            pb.ReadAttachmentRequest(attachment_id=att.id),
            metadata=(("x-tenant-id", str(uuid.uuid4())),),
            timeout=5,
        )
    assert exc.value.code() == grpc.StatusCode.NOT_FOUND
