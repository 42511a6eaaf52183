"""Custom sections of the card (C3, seed 004): append-only records, corrections, views."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import FailedPrecondition, NotFound, Validator
from crm_contacts.card.models import Section, SectionRecord
from crm_contacts.card.validation import clean_custom, coerce_value


async def create_section(
    session: AsyncSession, tenant_id: uuid.UUID, *, name: str, always_open: bool, position: int = 0
) -> Section:
    v = Validator()
    name = name.strip()
    if not name:
        v.add("name", "is required")
    elif len(name) > 200:
        v.add("name", "must be at most 200 characters")
    v.raise_if_any("the section is not valid")
    section = Section(tenant_id=tenant_id, name=name, always_open=always_open, position=position)
    session.add(section)
    await session.flush()
    await session.refresh(section)
    return section


async def update_section(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    section_id: uuid.UUID,
    *,
    name: str | None,
    always_open: bool | None,
) -> Section:
    section = await get_section(session, tenant_id, section_id)
    if name is not None:
        if not name.strip():
            v = Validator()
            v.add("name", "is required")
            v.raise_if_any("the section is not valid")
        section.name = name.strip()
    if always_open is not None:
        section.always_open = always_open
    await session.flush()
    return section


async def get_section(
    session: AsyncSession, tenant_id: uuid.UUID, section_id: uuid.UUID
) -> Section:
    section = (
        await session.execute(
            select(Section).where(Section.tenant_id == tenant_id, Section.id == section_id)
        )
    ).scalar_one_or_none()
    if section is None:
        raise NotFound(f"section {section_id} not found")
    return section


async def list_sections(session: AsyncSession, tenant_id: uuid.UUID) -> list[Section]:
    stmt = (
        select(Section).where(Section.tenant_id == tenant_id).order_by(Section.position, Section.id)
    )
    return list((await session.execute(stmt)).scalars())


async def add_record(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    *,
    section_id: uuid.UUID,
    party_id: uuid.UUID,
    values: dict[str, Any],
    author_user_id: uuid.UUID | None,
    corrects_id: uuid.UUID | None = None,
    note: str = "",
) -> SectionRecord:
    """Append a record. A correction is a new record naming the one it corrects."""
    from crm_contacts.card.service import list_fields

    await get_section(session, tenant_id, section_id)
    defs = await list_fields(session, tenant_id, "section", section_id)
    v = Validator()
    clean = clean_custom(v, "values", defs, values)
    if not clean and not v.violations:
        v.add("values", "a record needs at least one value")
    v.raise_if_any("the record is not valid")
    if corrects_id is not None:
        old = (
            await session.execute(
                select(SectionRecord).where(
                    SectionRecord.tenant_id == tenant_id, SectionRecord.id == corrects_id
                )
            )
        ).scalar_one_or_none()
        if old is None:
            raise NotFound(f"record {corrects_id} not found")
        if old.section_id != section_id or old.party_id != party_id:
            raise FailedPrecondition("a correction must be in the same section and card")
    record = SectionRecord(
        tenant_id=tenant_id,
        section_id=section_id,
        party_id=party_id,
        values=clean,
        corrects_id=corrects_id,
        author_user_id=author_user_id,
        note=note,
        created_at=func.now(),
    )
    session.add(record)
    await session.flush()
    await session.refresh(record)
    return record


@dataclass
class RecordView:
    record: SectionRecord
    corrected_by: uuid.UUID | None  # the newest record correcting this one, if any


async def party_records(
    session: AsyncSession, tenant_id: uuid.UUID, section_id: uuid.UUID, party_id: uuid.UUID
) -> list[RecordView]:
    """The records of one section on one card, oldest first, each with its correction."""
    stmt = (
        select(SectionRecord)
        .where(
            SectionRecord.tenant_id == tenant_id,
            SectionRecord.section_id == section_id,
            SectionRecord.party_id == party_id,
        )
        .order_by(SectionRecord.id)
    )
    rows = list((await session.execute(stmt)).scalars())
    corrected: dict[uuid.UUID, uuid.UUID] = {}
    for r in rows:
        if r.corrects_id is not None:
            corrected[r.corrects_id] = r.id
    return [RecordView(r, corrected.get(r.id)) for r in rows]


async def section_view(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    section_id: uuid.UUID,
    *,
    filters: dict[str, Any],
    after: uuid.UUID | None = None,
    limit: int = 50,
) -> list[SectionRecord]:
    """Every record of a section across all cards, chronological, filtered by field values.

    Filters are equality on the section's fields (``{"status": "open"}``), answered by the GIN
    index on ``values`` through ``@>`` containment; a multi-select filter matches records that
    have all of the given options.
    """
    from crm_contacts.card.service import list_fields

    defs = {d.key: d for d in await list_fields(session, tenant_id, "section", section_id)}
    v = Validator()
    wanted: dict[str, Any] = {}
    for key, value in filters.items():
        d = defs.get(key)
        if d is None:
            v.add(f"filters.{key}", "no such field in this section")
            continue
        try:
            wanted[key] = coerce_value(d.type, list(d.options or []), value)
        except ValueError as exc:
            v.add(f"filters.{key}", str(exc))
    v.raise_if_any("the filter is not valid")
    stmt = select(SectionRecord).where(
        SectionRecord.tenant_id == tenant_id, SectionRecord.section_id == section_id
    )
    if wanted:
        stmt = stmt.where(SectionRecord.values.contains(wanted))
    if after is not None:
        stmt = stmt.where(SectionRecord.id > after)
    stmt = stmt.order_by(SectionRecord.id).limit(limit)
    return list((await session.execute(stmt)).scalars())
