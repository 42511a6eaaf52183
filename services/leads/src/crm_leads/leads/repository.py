"""Queries of the leads module that are more than a get."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, exists, literal, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import FieldViolation, InvalidArgument
from crm_leads.leads.models import OPEN_STATUSES, KnownCustomer, Lead, LeadStatus
from crm_leads.pipeline.models import Deal

ORDERS = {
    "": ("created_at", True),
    "created_at": ("created_at", True),
    "created_at desc": ("created_at", True),
    "created_at asc": ("created_at", False),
    "name": ("name", False),
    "name asc": ("name", False),
    "name desc": ("name", True),
}


@dataclass(frozen=True, slots=True)
class LeadFilter:
    status: LeadStatus | None = None
    owner_id: uuid.UUID | None = None
    source: str | None = None
    stage_id: uuid.UUID | None = None
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    query: str | None = None
    order_by: str = ""


def encode_cursor(key: str, lead_id: uuid.UUID) -> str:
    raw = json.dumps([key, str(lead_id)], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[str, uuid.UUID]:
    try:
        key, lead_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return str(key), uuid.UUID(lead_id)
    except (ValueError, TypeError) as exc:
        raise InvalidArgument(
            "page_token is not valid",
            violations=[FieldViolation("page_token", "not a token of this list")],
        ) from exc


async def list_leads(
    session: AsyncSession, tenant_id: uuid.UUID, f: LeadFilter, size: int, token: str
) -> tuple[list[Lead], str]:
    if f.order_by not in ORDERS:
        raise InvalidArgument(
            "order_by is not valid",
            violations=[
                FieldViolation("order_by", f"must be one of: {', '.join(k for k in ORDERS if k)}")
            ],
        )
    field, desc = ORDERS[f.order_by]
    stmt = select(Lead).where(Lead.tenant_id == tenant_id)
    if f.status is not None:
        stmt = stmt.where(Lead.status == f.status)
    if f.owner_id is not None:
        stmt = stmt.where(Lead.owner_id == f.owner_id)
    if f.source:
        stmt = stmt.where(Lead.source == f.source.lower())
    if f.created_after is not None:
        stmt = stmt.where(Lead.created_at >= f.created_after)
    if f.created_before is not None:
        stmt = stmt.where(Lead.created_at < f.created_before)
    if f.stage_id is not None:
        stmt = stmt.where(
            exists().where(
                Deal.tenant_id == tenant_id,
                Deal.lead_id == Lead.id,
                Deal.stage_id == f.stage_id,
                Deal.status == "open",
            )
        )
    if f.query:
        q = f.query.strip()
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        digits = "".join(ch for ch in q if ch.isdigit())
        conds = [Lead.name.ilike(like), Lead.email.ilike(like)]
        if len(digits) >= 3:
            # 050-765... and +97250765... both find +972507654321.
            conds.append(Lead.phone.like(f"%{digits.lstrip('0')}%"))
        stmt = stmt.where(or_(*conds))
    # Keyset: created_at order is id order (UUIDv7); name order is (name, id).
    if field == "created_at":
        if token:
            _, after = decode_cursor(token)
            stmt = stmt.where(Lead.id < after if desc else Lead.id > after)
        stmt = stmt.order_by(Lead.id.desc() if desc else Lead.id.asc())
    else:
        if token:
            key, after = decode_cursor(token)
            if desc:
                stmt = stmt.where(or_(Lead.name < key, and_(Lead.name == key, Lead.id < after)))
            else:
                stmt = stmt.where(or_(Lead.name > key, and_(Lead.name == key, Lead.id > after)))
        stmt = stmt.order_by(
            *((Lead.name.desc(), Lead.id.desc()) if desc else (Lead.name.asc(), Lead.id.asc()))
        )
    rows = list((await session.execute(stmt.limit(size + 1))).scalars())
    if len(rows) <= size:
        return rows, ""
    last = rows[size - 1]
    return rows[:size], encode_cursor(last.name if field == "name" else "", last.id)


@dataclass(frozen=True, slots=True)
class Match:
    kind: str  # lead | customer
    lead_id: uuid.UUID | None
    party_id: uuid.UUID
    name: str
    matched_on: str


async def find_duplicates(
    session: AsyncSession, tenant_id: uuid.UUID, phone: str | None, email: str | None
) -> list[Match]:
    """Open leads and known customers with the same phone or email (one round trip)."""
    if not phone and not email:
        return []

    def cond(model):
        parts = []
        if phone:
            parts.append(model.phone == phone)
        if email:
            parts.append(model.email == email)
        return or_(*parts)

    leads_q = (
        select(
            literal("lead").label("kind"),
            Lead.id.label("lead_id"),
            Lead.party_id,
            Lead.name,
            Lead.phone,
            Lead.email,
        )
        .where(Lead.tenant_id == tenant_id, Lead.status.in_(OPEN_STATUSES), cond(Lead))
        .order_by(Lead.id)
        .limit(5)
    )
    customers_q = (
        select(
            literal("customer").label("kind"),
            literal(None, type_=Lead.id.type).label("lead_id"),
            KnownCustomer.party_id,
            KnownCustomer.name,
            KnownCustomer.phone,
            KnownCustomer.email,
        )
        .where(KnownCustomer.tenant_id == tenant_id, cond(KnownCustomer))
        .limit(5)
    )
    # Duplicates are tenant-wide: a rep capturing a lead is told another rep already has it.
    rows = (
        await session.execute(
            union_all(customers_q, leads_q), execution_options={"crm_unscoped": True}
        )
    ).all()
    return [
        Match(
            kind=r.kind,
            lead_id=r.lead_id,
            party_id=r.party_id,
            name=r.name,
            matched_on="phone" if phone and r.phone == phone else "email",
        )
        for r in rows
    ]
