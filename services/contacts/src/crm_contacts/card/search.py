"""Search and saved segments (C7), bulk update (C9)."""

from __future__ import annotations

import contextlib
import json
import uuid
from typing import Any

from sqlalchemy import (
    String,
    Text,
    Uuid,
    cast,
    column,
    exists,
    extract,
    func,
    literal,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.audit import record_bulk
from crm_common.db import uuid7
from crm_common.errors import NotFound, Validator
from crm_common.normalize import normalize_phone
from crm_contacts.card.contact_events import contacts_changed
from crm_contacts.card.extra_models import Segment
from crm_contacts.card.models import Contact, ContactPhone, SectionRecord
from crm_contacts.card.service import list_fields
from crm_contacts.card.validation import coerce_value

FILTER_KEYS = (
    "text",
    "account_id",
    "owner_user_id",
    "city",
    "custom",
    "section_id",
    "section_values",
    "birthday_month",
)


async def _typed(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    v: Validator,
    field: str,
    values: dict[str, Any],
    entity: str,
    section_id: uuid.UUID | None = None,
) -> dict[str, Any]:
    defs = {d.key: d for d in await list_fields(session, tenant_id, entity, section_id)}
    out = {}
    for key, value in values.items():
        d = defs.get(key)
        if d is None:
            v.add(f"{field}.{key}", "no such field")
            continue
        try:
            out[key] = coerce_value(d.type, list(d.options or []), value)
        except ValueError as exc:
            v.add(f"{field}.{key}", str(exc))
    return out


# contact_field_values (migration 0004): one row per (dynamic field, value) of every contact,
# kept by triggers; ``text =`` and ``uuid =`` are leakproof, so under FORCE RLS its btree is
# used where the GIN on contacts.custom cannot be (ADR contacts-0001).
field_values = table(
    "contact_field_values",
    column("tenant_id", Uuid()),
    column("field_key", String()),
    column("value_text", Text()),
    column("contact_id", Uuid()),
)
INDEXED_VALUE_MAX = 500


def _indexed_custom(tenant_id: uuid.UUID, typed: dict[str, Any]) -> list[Any]:
    """``contacts.id IN (ids having this value)`` per filtered value (each element of a list)."""
    out = []
    for key, value in typed.items():
        for item in value if isinstance(value, list) else [value]:
            if item is None or isinstance(item, dict | list):
                continue
            raw = json.dumps(item, ensure_ascii=False)
            if len(raw) > INDEXED_VALUE_MAX:
                continue  # not in the side table; the @> recheck alone decides
            # The value's jsonb text form, computed by PostgreSQL from a constant (no column
            # in it, so the condition stays leakproof): '"gold"', '5', 'true'.
            as_text = cast(cast(literal(raw, Text()), JSONB), Text)
            out.append(
                Contact.id.in_(
                    select(field_values.c.contact_id).where(
                        field_values.c.tenant_id == tenant_id,
                        field_values.c.field_key == key,
                        field_values.c.value_text == as_text,
                    )
                )
            )
    return out


async def where_clauses(
    session: AsyncSession, tenant_id: uuid.UUID, f: dict[str, Any]
) -> list[Any]:
    """The filter as SQL conditions on contacts; InvalidArgument for a bad filter."""
    v = Validator()
    extra = set(f) - set(FILTER_KEYS)
    if extra:
        v.add("filter", f"unknown keys: {', '.join(sorted(extra))}")
    where: list[Any] = [Contact.tenant_id == tenant_id]
    text = str(f.get("text") or "").strip()
    if text:
        alts = [
            Contact.first_name.ilike(f"{text}%"),
            func.lower(Contact.last_name).like(f"{text.lower()}%"),
            Contact.emails.contains([text.lower()]),
        ]
        with contextlib.suppress(ValueError):
            alts.append(
                Contact.id.in_(
                    select(ContactPhone.contact_id).where(
                        ContactPhone.tenant_id == tenant_id,
                        ContactPhone.phone == normalize_phone(text),
                    )
                )
            )
        where.append(or_(*alts))
    for key in ("account_id", "owner_user_id"):
        if f.get(key):
            try:
                where.append(getattr(Contact, key) == uuid.UUID(str(f[key])))
            except ValueError:
                v.add(f"filter.{key}", "must be a UUID")
    if f.get("city"):
        where.append(Contact.addresses.contains([{"city": str(f["city"])}]))
    if f.get("custom"):
        typed = await _typed(session, tenant_id, v, "filter.custom", f["custom"], "contact")
        where.extend(_indexed_custom(tenant_id, typed))
        # The exact test (and the only one for values too long for the side table).
        where.append(Contact.custom.contains(typed))
    if f.get("birthday_month"):
        m = f["birthday_month"]
        if not isinstance(m, int) or not 1 <= m <= 12:
            v.add("filter.birthday_month", "must be 1-12")
        else:
            where.append(extract("month", Contact.birthday) == m)
    if f.get("section_id"):
        try:
            section_id = uuid.UUID(str(f["section_id"]))
        except ValueError:
            v.add("filter.section_id", "must be a UUID")
        else:
            sv = await _typed(
                session,
                tenant_id,
                v,
                "filter.section_values",
                f.get("section_values") or {},
                "section",
                section_id,
            )
            sub = select(SectionRecord.id).where(
                SectionRecord.tenant_id == tenant_id,
                SectionRecord.section_id == section_id,
                SectionRecord.party_id == Contact.party_id,
            )
            if sv:
                sub = sub.where(SectionRecord.values.contains(sv))
            where.append(exists(sub))
    elif f.get("section_values"):
        v.add("filter.section_values", "needs filter.section_id")
    v.raise_if_any("the filter is not valid")
    return where


async def search(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    f: dict[str, Any],
    *,
    size: int,
    before: uuid.UUID | None,
) -> tuple[list[Contact], int]:
    where = await where_clauses(session, tenant_id, f)
    total = (
        await session.execute(select(func.count()).select_from(Contact).where(*where))
    ).scalar_one()
    stmt = select(Contact).where(*where)
    if before is not None:
        stmt = stmt.where(Contact.id < before)
    rows = list((await session.execute(stmt.order_by(Contact.id.desc()).limit(size + 1))).scalars())
    return rows, total


async def create_segment(
    session: AsyncSession, tenant_id: uuid.UUID, *, name: str, f: dict[str, Any]
) -> Segment:
    v = Validator()
    if not name.strip():
        v.add("name", "is required")
    v.raise_if_any("the segment is not valid")
    await where_clauses(session, tenant_id, f)  # refuse a filter that cannot run
    seg = Segment(tenant_id=tenant_id, name=name.strip(), filter=f)
    session.add(seg)
    await session.flush()
    return seg


async def get_segment(
    session: AsyncSession, tenant_id: uuid.UUID, segment_id: uuid.UUID
) -> Segment:
    seg = (
        await session.execute(
            select(Segment).where(Segment.tenant_id == tenant_id, Segment.id == segment_id)
        )
    ).scalar_one_or_none()
    if seg is None:
        raise NotFound(f"segment {segment_id} not found")
    return seg


async def bulk_update(
    session: AsyncSession, tenant_id: uuid.UUID, f: dict[str, Any], custom: dict[str, Any]
) -> int:
    """Set dynamic values on every contact matching the filter, in one statement."""
    v = Validator()
    defs = await list_fields(session, tenant_id, "contact")
    if not custom:
        v.add("custom", "nothing to set")
    removing = [k for k, val in custom.items() if val is None]
    clean = await _typed(
        session,
        tenant_id,
        v,
        "custom",
        {k: x for k, x in custom.items() if x is not None},
        "contact",
    )
    required = {d.key for d in defs if d.required}
    for k in removing:
        if k not in {d.key for d in defs}:
            v.add(f"custom.{k}", "no such field")
        elif k in required:
            v.add(f"custom.{k}", "is required and cannot be removed")
    v.raise_if_any("the update is not valid")
    where = await where_clauses(session, tenant_id, f)
    new_custom = Contact.custom.op("||")(func.cast(clean, Contact.custom.type))
    for k in removing:
        new_custom = new_custom.op("-")(k)
    # Record scope applies (a rep updates only the contacts they see); one audit row per contact.
    res = await session.execute(
        update(Contact)
        .where(*where)
        .values(custom=new_custom, updated_at=func.now())
        .returning(Contact.id)
    )
    ids = res.scalars().all()
    patch = {**clean, **dict.fromkeys(removing)}
    await record_bulk(
        session, "contacts", ids, "bulk_update", {"custom": [None, patch]}, tenant_id=tenant_id
    )
    # R1: the new values reach reporting (contacts.changed, 500 contacts per event)
    await contacts_changed(session, tenant_id, batch_id=uuid7(), origin="bulk_update", ids=ids)
    return len(ids)
