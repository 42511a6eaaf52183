"""C5 attachments on S3: the contacts gRPC API on real PostgreSQL, bytes in moto's S3 server
(the simulated provider, speaking S3's wire protocol; it enforces the 5 MiB minimum part)."""

from __future__ import annotations

import hashlib
import os
import uuid

import boto3
import grpc
import pytest
from moto.server import ThreadedMotoServer

from crm.contacts.v1 import card_service_pb2 as pb
from crm_contacts.attachments import storage as storage_mod
from crm_contacts.attachments.s3 import MIN_PART, Credentials, S3Client, S3Error, S3Storage
from crm_contacts.attachments.service import MAX_CHUNK
from crm_contacts.settings import ContactsSettings

from .test_attachments_grpc import upload

BUCKET = "crm-attachments-test"


@pytest.fixture(scope="module")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    boto.create_bucket(Bucket=BUCKET)
    yield endpoint, boto
    server.stop()


@pytest.fixture
async def s3_storage(s3_server):
    endpoint, _ = s3_server
    settings = ContactsSettings(
        database_url="postgresql+asyncpg://unused/unused",
        attachments_backend="s3",
        s3_endpoint=endpoint,
        s3_bucket=BUCKET,
        s3_region="us-east-1",
        s3_access_key_id="test",
        s3_secret_access_key="test",
        s3_part_size=MIN_PART,
    )
    st = storage_mod.storage_from_settings(settings)
    assert isinstance(st, S3Storage)
    storage_mod.set_storage(st)
    yield st
    storage_mod.set_storage(None)
    await st.s3.aclose()


async def read_all(contacts, caller, att_id: str, size: int) -> bytes:
    got, offset = b"", 0
    while offset < size:
        r = await contacts.card.ReadAttachment(
            pb.ReadAttachmentRequest(attachment_id=att_id, offset=offset),
            metadata=caller.md,
            timeout=10,
        )
        assert r.data
        got += r.data
        offset += len(r.data)
    return got


async def test_c5_s3_large_file_streamed_as_multipart_with_checksum(
    contacts, caller, s3_server, s3_storage
):
    _, boto = s3_server
    data = os.urandom(11 * MAX_CHUNK + 777)  # 11 chunks + a tail: parts of 5, 5 and 1+ MiB
    att = await upload(contacts, caller, str(uuid.uuid4()), data, name="סריקה.bin")
    assert att.size == len(data)
    assert att.sha256 == hashlib.sha256(data).hexdigest()
    key = next(
        o["Key"]
        for o in boto.list_objects_v2(Bucket=BUCKET, Prefix=str(caller.tenant))["Contents"]
        if o["Key"].endswith(att.id)
    )
    head = boto.head_object(Bucket=BUCKET, Key=key)
    assert head["ContentLength"] == len(data)
    assert head["ETag"].strip('"').endswith("-3")  # completed from three parts
    # No staging chunks and no open multipart upload remain.
    assert [o["Key"] for o in boto.list_objects_v2(Bucket=BUCKET, Prefix=key)["Contents"]] == [key]
    assert not boto.list_multipart_uploads(Bucket=BUCKET, Prefix=key).get("Uploads")
    assert await read_all(contacts, caller, att.id, att.size) == data


async def test_c5_s3_small_and_empty_files(contacts, caller, s3_storage):
    for data in (b"", "שלום, עולם".encode()):
        att = await upload(contacts, caller, str(uuid.uuid4()), data, name="a.txt")
        assert (att.size, att.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        assert await read_all(contacts, caller, att.id, att.size) == data


async def test_c5_s3_a_chunk_at_the_wrong_offset_is_refused_and_the_upload_goes_on(
    contacts, caller, s3_storage
):
    att = (
        await contacts.card.BeginAttachment(
            pb.BeginAttachmentRequest(party_id=str(uuid.uuid4()), filename="b.bin"),
            metadata=caller.md,
            timeout=10,
        )
    ).attachment

    async def append(offset: int, data: bytes) -> int:
        resp = await contacts.card.AppendAttachment(
            pb.AppendAttachmentRequest(attachment_id=att.id, offset=offset, data=data),
            metadata=caller.md,
            timeout=10,
        )
        return resp.size

    assert await append(0, b"abc") == 3
    for bad in (0, 7):  # a repeated and a skipped chunk
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await append(bad, b"abc")
        assert exc.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert await append(3, b"def") == 6
    done = await contacts.card.FinishAttachment(
        pb.FinishAttachmentRequest(attachment_id=att.id), metadata=caller.md, timeout=10
    )
    assert done.attachment.sha256 == hashlib.sha256(b"abcdef").hexdigest()


async def test_c5_s3_errors_surface_with_their_s3_code(s3_server):
    endpoint, _ = s3_server
    st = S3Storage(S3Client(endpoint, "no-such-bucket", Credentials("test", "test")))
    with pytest.raises(S3Error) as exc:
        await st.begin("k")
    assert exc.value.code == "NoSuchBucket"
    await st.s3.aclose()
