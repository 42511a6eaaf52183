"""Domain <-> protobuf."""

from __future__ import annotations

import datetime as _dt
import uuid as _uuid
from typing import Any as _Any

from google.protobuf import json_format as _jf
from google.protobuf.struct_pb2 import ListValue as _ListValue
from google.protobuf.struct_pb2 import Struct as _Struct

from crm.contacts.v1 import card_service_pb2 as cpb
from crm.contacts.v1 import contacts_service_pb2 as pb
from crm.contacts.v1 import tasks_service_pb2 as tpb
from crm_common.protoutil import timestamp
from crm_contacts.customers.models import Customer


def customer_to_pb(customer: Customer) -> pb.Customer:
    return pb.Customer(
        party_id=str(customer.party_id),
        name=customer.name,
        phone=customer.phone or "",
        email=customer.email or "",
        company_name=customer.company_name or "",
        source_lead_id=str(customer.source_lead_id) if customer.source_lead_id else "",
        created_at=timestamp(customer.created_at),
    )


# ---------------------------------------------------------------- card, timeline, tasks


def _s(v: object) -> str:
    return "" if v is None else str(v)


def struct(d: dict[str, _Any] | None) -> _Struct:
    s = _Struct()
    if d:
        s.update(d)
    return s


def listvalue(items: list[_Any] | None) -> _ListValue:
    lv = _ListValue()
    if items:
        lv.extend(items)
    return lv


def from_struct(s: _Struct) -> dict[str, _Any]:
    """Struct -> dict; whole floats become ints (Struct has only doubles)."""

    def fix(v: _Any) -> _Any:
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        return v

    return fix(_jf.MessageToDict(s))


def from_listvalue(lv: _ListValue) -> list[_Any]:
    return [from_struct(x.struct_value) if x.HasField("struct_value") else x for x in lv.values]


def field_to_pb(f) -> cpb.FieldDefinition:
    return cpb.FieldDefinition(
        id=str(f.id),
        entity=f.entity,
        section_id=_s(f.section_id),
        key=f.key,
        label_he=f.label_he,
        label_en=f.label_en,
        type=f.type,
        required=f.required,
        options=list(f.options or []),
        position=f.position,
        visible=f.visible,
    )


def addresses_to_pb(items) -> list[cpb.Address]:
    return [
        cpb.Address(**{k: a.get(k, "") for k in ("kind", "street", "city", "zip", "country")})
        for a in items or []
    ]


def addresses_from_pb(items) -> list[dict[str, str]]:
    return [
        {k: v for k, v in _jf.MessageToDict(a, preserving_proto_field_name=True).items()}
        for a in items
    ]


def account_to_pb(a) -> cpb.Account:
    return cpb.Account(
        id=str(a.id),
        party_id=str(a.party_id),
        name=a.name,
        company_number=a.company_number or "",
        primary_contact_id=_s(a.primary_contact_id),
        owner_user_id=_s(a.owner_user_id),
        addresses=addresses_to_pb(a.addresses),
        custom=struct(a.custom),
        created_at=timestamp(a.created_at),
    )


def contact_to_pb(c) -> cpb.Contact:
    return cpb.Contact(
        id=str(c.id),
        party_id=str(c.party_id),
        account_id=_s(c.account_id),
        first_name=c.first_name,
        last_name=c.last_name or "",
        id_number=c.id_number or "",
        phones=list(c.phones or []),
        emails=list(c.emails or []),
        birthday=c.birthday.isoformat() if c.birthday else "",
        anniversary=c.anniversary.isoformat() if c.anniversary else "",
        owner_user_id=_s(c.owner_user_id),
        addresses=addresses_to_pb(c.addresses),
        custom=struct(c.custom),
        created_at=timestamp(c.created_at),
        updated_at=timestamp(c.updated_at),
    )


def section_to_pb(s, fields=()) -> cpb.Section:
    return cpb.Section(
        id=str(s.id),
        name=s.name,
        always_open=s.always_open,
        position=s.position,
        fields=[field_to_pb(f) for f in fields],
    )


def record_to_pb(r, corrected_by: _uuid.UUID | None = None) -> cpb.SectionRecord:
    return cpb.SectionRecord(
        id=str(r.id),
        section_id=str(r.section_id),
        party_id=str(r.party_id),
        values=struct(r.values),
        corrects_id=_s(r.corrects_id),
        corrected_by_id=_s(corrected_by),
        author_user_id=_s(r.author_user_id),
        note=r.note or "",
        created_at=timestamp(r.created_at),
    )


def entry_to_pb(e) -> cpb.TimelineEntry:
    return cpb.TimelineEntry(
        id=str(e.id),
        party_id=str(e.party_id),
        kind=e.kind,
        occurred_at=timestamp(e.occurred_at),
        title=e.title,
        body=e.body or "",
        source=e.source,
        actor_user_id=_s(e.actor_user_id),
        data=struct(e.data),
    )


def task_to_pb(t, type_key: str = "") -> tpb.Task:
    return tpb.Task(
        id=str(t.id),
        title=t.title,
        description=t.description or "",
        task_type_key=type_key,
        parent_id=_s(t.parent_id),
        party_id=_s(t.party_id),
        deal_id=_s(t.deal_id),
        order_id=_s(t.order_id),
        assignee_user_id=str(t.assignee_user_id),
        creator_user_id=_s(t.creator_user_id),
        priority=t.priority,
        status=t.status,
        due_at=timestamp(t.due_at),
        sla_due_at=timestamp(t.sla_due_at),
        sla_breached_at=timestamp(t.sla_breached_at),
        completed_at=timestamp(t.completed_at),
        rule_id=_s(t.rule_id),
        created_at=timestamp(t.created_at),
        team_id=t.team or "",
    )


def date_or_none(raw: str, field: str, v) -> _dt.date | None:
    if not raw:
        return None
    try:
        return _dt.date.fromisoformat(raw)
    except ValueError:
        v.add(field, "must be a date YYYY-MM-DD")
        return None
