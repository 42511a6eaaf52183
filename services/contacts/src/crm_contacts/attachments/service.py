"""Attachment use cases (C5): begin, append chunks, finish, list, read."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.db import uuid7
from crm_common.errors import FailedPrecondition, NotFound, Validator
from crm_contacts.attachments.storage import storage
from crm_contacts.card.extra_models import Attachment
from crm_contacts.timeline.service import EntryData, add_entry

MAX_CHUNK = 1 << 20  # 1 MiB per call, under gRPC's 4 MB message limit


async def begin(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    party_id: uuid.UUID,
    filename: str,
    content_type: str,
    user_id: uuid.UUID | None,
) -> Attachment:
    v = Validator()
    name = filename.strip().replace("/", "_").replace("\\", "_")
    if not name:
        v.add("filename", "is required")
    elif len(name) > 255:
        v.add("filename", "must be at most 255 characters")
    if len(content_type) > 255:
        v.add("content_type", "must be at most 255 characters")
    v.raise_if_any("the attachment is not valid")
    att_id = uuid7()
    att = Attachment(
        id=att_id,
        tenant_id=tenant_id,
        party_id=party_id,
        filename=name,
        content_type=content_type or "application/octet-stream",
        size=0,
        sha256="",
        storage_key=f"{tenant_id}/{str(att_id)[:2]}/{att_id}",
        status="uploading",
        uploaded_by=user_id,
        created_at=dt.datetime.now(dt.UTC),
    )
    await storage().begin(att.storage_key)
    session.add(att)
    await session.flush()
    return att


async def get(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    attachment_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> Attachment:
    stmt = select(Attachment).where(
        Attachment.tenant_id == tenant_id, Attachment.id == attachment_id
    )
    if for_update:  # one chunk at a time per upload: the offset check cannot race
        stmt = stmt.with_for_update()
    att = (await session.execute(stmt)).scalar_one_or_none()
    if att is None:
        raise NotFound(f"attachment {attachment_id} not found")
    return att


async def append(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    attachment_id: uuid.UUID,
    *,
    offset: int,
    data: bytes,
) -> int:
    att = await get(session, tenant_id, attachment_id, for_update=True)
    if att.status != "uploading":
        raise FailedPrecondition("the upload is finished")
    if len(data) > MAX_CHUNK:
        v = Validator()
        v.add("data", f"a chunk is at most {MAX_CHUNK} bytes")
        v.raise_if_any()
    try:
        size = await storage().append(att.storage_key, offset, data)
    except ValueError as exc:
        raise FailedPrecondition(str(exc)) from None
    att.size = size
    await session.flush()
    return size


async def finish(
    session: AsyncSession, tenant_id: uuid.UUID, attachment_id: uuid.UUID
) -> Attachment:
    att = await get(session, tenant_id, attachment_id, for_update=True)
    if att.status != "uploading":
        raise FailedPrecondition("the upload is finished")
    try:
        size, sha = await storage().commit(att.storage_key)
    except ValueError as exc:
        raise FailedPrecondition(str(exc)) from None
    att.size, att.sha256, att.status = size, sha, "ready"
    await session.flush()
    await add_entry(
        session,
        tenant_id,
        EntryData(
            party_id=att.party_id,
            kind="attachment",
            title=f"קובץ מצורף: {att.filename}",
            occurred_at=dt.datetime.now(dt.UTC),
            data={"attachment_id": str(att.id), "size": size, "content_type": att.content_type},
            actor_user_id=att.uploaded_by,
        ),
        source="contacts",
        source_event_id=att.id,
    )
    return att


async def list_for_party(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID
) -> list[Attachment]:
    stmt = (
        select(Attachment)
        .where(
            Attachment.tenant_id == tenant_id,
            Attachment.party_id == party_id,
            Attachment.status == "ready",
        )
        .order_by(Attachment.id.desc())
    )
    return list((await session.execute(stmt)).scalars())


async def read(
    session: AsyncSession, tenant_id: uuid.UUID, attachment_id: uuid.UUID, offset: int, length: int
) -> tuple[Attachment, bytes]:
    att = await get(session, tenant_id, attachment_id)
    if att.status != "ready":
        raise FailedPrecondition("the upload is not finished")
    length = min(max(length, 1), MAX_CHUNK)
    return att, await storage().read(att.storage_key, offset, length)
