"""Card use cases: accounts, contacts, dynamic fields (C1, C2) and screen-pop. They flush only."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.audit import record_bulk
from crm_common.errors import AlreadyExists, FailedPrecondition, NotFound, Validator
from crm_common.normalize import normalize_phone
from crm_contacts.card.contact_events import account_changed, contact_changed
from crm_contacts.card.models import Account, Contact, ContactPhone, FieldDefinition
from crm_contacts.card.validation import (
    check_field_definition,
    clean_addresses,
    clean_custom,
    clean_emails,
    clean_id_number,
    clean_phones,
)

# ---------------------------------------------------------------- dynamic fields (C2)


@dataclass(frozen=True)
class FieldInput:
    entity: str
    key: str
    label_he: str
    label_en: str = ""
    type: str = "text"
    required: bool = False
    options: tuple[str, ...] = ()
    position: int = 0
    visible: bool = True
    section_id: uuid.UUID | None = None


async def define_field(
    session: AsyncSession, tenant_id: uuid.UUID, data: FieldInput
) -> FieldDefinition:
    """Add a field: a row, not a migration (ADR contacts-dynamic-fields)."""
    v = Validator()
    check_field_definition(
        v, key=data.key, type_=data.type, options=list(data.options), entity=data.entity
    )
    if not data.label_he.strip():
        v.add("label_he", "is required")
    if data.entity == "section" and data.section_id is None:
        v.add("section_id", "a section field needs its section")
    if data.entity != "section" and data.section_id is not None:
        v.add("section_id", "only section fields belong to a section")
    v.raise_if_any("the field is not valid")
    if data.section_id is not None:
        from crm_contacts.card.sections import get_section

        await get_section(session, tenant_id, data.section_id)
    row = FieldDefinition(
        tenant_id=tenant_id,
        entity=data.entity,
        section_id=data.section_id,
        key=data.key,
        label_he=data.label_he.strip(),
        label_en=data.label_en.strip(),
        type=data.type,
        required=data.required,
        options=list(data.options),
        position=data.position,
        visible=data.visible,
        archived=False,
    )
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        raise AlreadyExists(f"field {data.key} exists already") from None
    return row


async def list_fields(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    entity: str,
    section_id: uuid.UUID | None = None,
    *,
    include_archived: bool = False,
) -> list[FieldDefinition]:
    stmt = select(FieldDefinition).where(
        FieldDefinition.tenant_id == tenant_id, FieldDefinition.entity == entity
    )
    if section_id is not None:
        stmt = stmt.where(FieldDefinition.section_id == section_id)
    if not include_archived:
        stmt = stmt.where(FieldDefinition.archived.is_(False))
    stmt = stmt.order_by(FieldDefinition.position, FieldDefinition.id)
    return list((await session.execute(stmt)).scalars())


async def archive_field(session: AsyncSession, tenant_id: uuid.UUID, field_id: uuid.UUID) -> None:
    """Hide a field from screens and validation; stored values stay (no downtime, no loss)."""
    res = await session.execute(
        update(FieldDefinition)
        .where(FieldDefinition.tenant_id == tenant_id, FieldDefinition.id == field_id)
        .values(archived=True)
        .returning(FieldDefinition.id)
    )
    if res.first() is None:
        raise NotFound(f"field {field_id} not found")
    await record_bulk(  # A5
        session, "field_definitions", [field_id], "update", {"archived": [None, True]}
    )


# ---------------------------------------------------------------- accounts and contacts (C1)


@dataclass
class AccountInput:
    name: str
    company_number: str | None = None
    owner_user_id: uuid.UUID | None = None
    addresses: list[dict[str, Any]] | None = None
    custom: dict[str, Any] | None = None


async def create_account(
    session: AsyncSession, tenant_id: uuid.UUID, data: AccountInput
) -> Account:
    v = Validator()
    name = data.name.strip()
    if not name:
        v.add("name", "is required")
    elif len(name) > 200:
        v.add("name", "must be at most 200 characters")
    number = clean_id_number(v, "company_number", data.company_number)
    addresses = clean_addresses(v, "addresses", data.addresses or [])
    defs = await list_fields(session, tenant_id, "account")
    custom = clean_custom(v, "custom", defs, data.custom or {})
    v.raise_if_any("the account is not valid")
    account = Account(
        tenant_id=tenant_id,
        name=name,
        company_number=number,
        owner_user_id=data.owner_user_id,
        addresses=addresses,
        custom=custom,
    )
    session.add(account)
    await session.flush()
    await session.refresh(account)
    await account_changed(session, account)
    return account


async def get_account(
    session: AsyncSession, tenant_id: uuid.UUID, account_id: uuid.UUID
) -> Account:
    account = (
        await session.execute(
            select(Account).where(Account.tenant_id == tenant_id, Account.id == account_id)
        )
    ).scalar_one_or_none()
    if account is None:
        raise NotFound(f"account {account_id} not found")
    return account


async def account_contacts(
    session: AsyncSession, tenant_id: uuid.UUID, account_id: uuid.UUID
) -> list[Contact]:
    stmt = (
        select(Contact)
        .where(Contact.tenant_id == tenant_id, Contact.account_id == account_id)
        .order_by(Contact.id)
    )
    return list((await session.execute(stmt)).scalars())


async def set_primary_contact(
    session: AsyncSession, tenant_id: uuid.UUID, account_id: uuid.UUID, contact_id: uuid.UUID
) -> Account:
    account = await get_account(session, tenant_id, account_id)
    contact = await get_contact(session, tenant_id, contact_id)
    if contact.account_id != account.id:
        raise FailedPrecondition("the primary contact must be one of the account's contacts")
    account.primary_contact_id = contact.id
    await session.flush()
    return account


@dataclass
class ContactInput:
    first_name: str
    last_name: str = ""
    account_id: uuid.UUID | None = None
    id_number: str | None = None
    phones: list[str] | None = None
    emails: list[str] | None = None
    birthday: dt.date | None = None
    anniversary: dt.date | None = None
    owner_user_id: uuid.UUID | None = None
    addresses: list[dict[str, Any]] | None = None
    custom: dict[str, Any] | None = None
    party_id: uuid.UUID | None = None


async def create_contact(
    session: AsyncSession, tenant_id: uuid.UUID, data: ContactInput
) -> Contact:
    v = Validator()
    first = data.first_name.strip()
    if not first:
        v.add("first_name", "is required")
    elif len(first) > 100:
        v.add("first_name", "must be at most 100 characters")
    if len(data.last_name) > 100:
        v.add("last_name", "must be at most 100 characters")
    id_number = clean_id_number(v, "id_number", data.id_number)
    phones = clean_phones(v, "phones", data.phones or [])
    emails = clean_emails(v, "emails", data.emails or [])
    addresses = clean_addresses(v, "addresses", data.addresses or [])
    defs = await list_fields(session, tenant_id, "contact")
    custom = clean_custom(v, "custom", defs, data.custom or {})
    v.raise_if_any("the contact is not valid")
    if data.account_id is not None:
        await get_account(session, tenant_id, data.account_id)
    contact = Contact(
        tenant_id=tenant_id,
        first_name=first,
        last_name=data.last_name.strip(),
        account_id=data.account_id,
        id_number=id_number,
        phones=phones,
        emails=emails,
        birthday=data.birthday,
        anniversary=data.anniversary,
        owner_user_id=data.owner_user_id,
        addresses=addresses,
        custom=custom,
    )
    if data.party_id is not None:
        contact.party_id = data.party_id
    session.add(contact)
    await session.flush()
    await session.refresh(contact)
    await _index_phones(session, contact)
    await contact_changed(session, contact)
    return contact


async def _index_phones(session: AsyncSession, contact: Contact) -> None:
    await session.execute(
        delete(ContactPhone).where(
            ContactPhone.tenant_id == contact.tenant_id, ContactPhone.contact_id == contact.id
        )
    )
    if contact.phones:
        await session.execute(
            pg_insert(ContactPhone)
            .values(
                [
                    {"tenant_id": contact.tenant_id, "phone": p, "contact_id": contact.id}
                    for p in contact.phones
                ]
            )
            .on_conflict_do_nothing()
        )


async def get_contact(
    session: AsyncSession, tenant_id: uuid.UUID, contact_id: uuid.UUID
) -> Contact:
    contact = (
        await session.execute(
            select(Contact).where(Contact.tenant_id == tenant_id, Contact.id == contact_id)
        )
    ).scalar_one_or_none()
    if contact is None:
        raise NotFound(f"contact {contact_id} not found")
    return contact


async def contact_by_party(
    session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID
) -> Contact | None:
    return (
        await session.execute(
            select(Contact).where(Contact.tenant_id == tenant_id, Contact.party_id == party_id)
        )
    ).scalar_one_or_none()


@dataclass
class ContactPatch:
    first_name: str | None = None
    last_name: str | None = None
    phones: list[str] | None = None
    emails: list[str] | None = None
    birthday: dt.date | None = None
    addresses: list[dict[str, Any]] | None = None
    custom: dict[str, Any] | None = None  # merged; a None value removes the field


async def update_contact(
    session: AsyncSession, tenant_id: uuid.UUID, contact_id: uuid.UUID, patch: ContactPatch
) -> Contact:
    contact = await get_contact(session, tenant_id, contact_id)
    v = Validator()
    values: dict[str, Any] = {}
    if patch.first_name is not None:
        if not patch.first_name.strip():
            v.add("first_name", "is required")
        values["first_name"] = patch.first_name.strip()
    if patch.last_name is not None:
        values["last_name"] = patch.last_name.strip()
    if patch.phones is not None:
        values["phones"] = clean_phones(v, "phones", patch.phones)
    if patch.emails is not None:
        values["emails"] = clean_emails(v, "emails", patch.emails)
    if patch.birthday is not None:
        values["birthday"] = patch.birthday
    if patch.addresses is not None:
        values["addresses"] = clean_addresses(v, "addresses", patch.addresses)
    if patch.custom is not None:
        defs = await list_fields(session, tenant_id, "contact")
        values["custom"] = clean_custom(
            v, "custom", defs, patch.custom, existing=dict(contact.custom or {})
        )
    v.raise_if_any("the contact is not valid")
    for k, val in values.items():
        setattr(contact, k, val)
    contact.updated_at = func.now()
    await session.flush()
    await session.refresh(contact)
    if "phones" in values:
        await _index_phones(session, contact)
    await contact_changed(session, contact)
    return contact


async def lookup_by_phone(session: AsyncSession, tenant_id: uuid.UUID, raw: str) -> list[Contact]:
    """Screen-pop: every contact with this number, in any format (btree on contact_phones)."""
    v = Validator()
    phone = ""
    try:
        phone = normalize_phone(raw)
    except ValueError as exc:
        v.add("phone", str(exc))
    v.raise_if_any("the phone is not valid")
    stmt = (
        select(Contact)
        .join(
            ContactPhone,
            (ContactPhone.tenant_id == Contact.tenant_id) & (ContactPhone.contact_id == Contact.id),
        )
        .where(ContactPhone.tenant_id == tenant_id, ContactPhone.phone == phone)
        .order_by(Contact.id)
        .limit(20)
    )
    return list((await session.execute(stmt)).scalars())
