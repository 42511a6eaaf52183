"""The customer card over gRPC on a real PostgreSQL: C1 accounts/contacts and screen-pop,
C2 dynamic fields, C3 custom sections, C6 transfer, C7 search and segments, C9 bulk update."""

from __future__ import annotations

import uuid

import grpc
import pytest
from google.protobuf.struct_pb2 import Struct
from sqlalchemy import select, text

from crm.contacts.v1 import card_service_pb2 as pb
from crm.contacts.v1 import tasks_service_pb2 as tpb
from crm.events.contacts.v1 import contact_events_pb2 as cev
from crm_common.db import unit_of_work
from crm_common.grpc.errors import from_rpc_error
from crm_common.plumbing import outbox_table


def st(**kw) -> Struct:
    s = Struct()
    s.update(kw)
    return s


async def invalid(call) -> dict[str, str]:
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await call
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    return {v.field: v.description for v in from_rpc_error(exc.value).violations}


async def define(contacts, caller, **f) -> pb.FieldDefinition:
    resp = await contacts.card.DefineField(
        pb.DefineFieldRequest(field=pb.FieldDefinition(**f)), metadata=caller.md, timeout=5
    )
    return resp.field


_SEEDED: dict[str, uuid.UUID] = {}


async def explain(contacts, sql: str) -> str:
    """EXPLAIN on a tenant with 5,000 analysed contacts (what a real tenant looks like)."""
    tenant = _SEEDED.get("tenant")
    if tenant is None:
        tenant = _SEEDED["tenant"] = uuid.uuid4()
        async with unit_of_work(contacts.sessionmaker, tenant_id=tenant) as s:
            await s.execute(
                text(
                    "INSERT INTO contacts (id, tenant_id, first_name, phones, custom) "
                    "SELECT uuidv7(), :t, 'n' || i, ARRAY['+97250' || lpad(i::text, 7, '0')], "
                    "jsonb_build_object('n', i % 500) FROM generate_series(1, 5000) i"
                ),
                {"t": tenant},
            )
            await s.execute(
                text(
                    "INSERT INTO contact_phones (tenant_id, phone, contact_id) "
                    "SELECT tenant_id, phones[1], id FROM contacts WHERE tenant_id = :t"
                ),
                {"t": tenant},
            )
            await s.execute(text("ANALYZE contacts"))
            await s.execute(text("ANALYZE contact_phones"))
    async with unit_of_work(contacts.sessionmaker, tenant_id=tenant) as s:
        rows = await s.execute(text("EXPLAIN " + sql), {"t": tenant})
        return "\n".join(r[0] for r in rows)


class TestAccountsAndContacts:
    async def test_c1_account_with_many_contacts_and_a_primary(self, contacts, caller):
        acc = (
            await contacts.card.CreateAccount(
                pb.CreateAccountRequest(
                    name="לוי בע״מ",
                    company_number="51-000000-3",
                    addresses=[pb.Address(kind="billing", street="הרצל 1", city="חיפה")],
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).account
        assert acc.company_number == "510000003"
        assert acc.addresses[0].country == "IL"
        ids = []
        for first in ("דנה", "יוסי"):
            c = await contacts.card.CreateContact(
                pb.CreateContactRequest(first_name=first, last_name="לוי", account_id=acc.id),
                metadata=caller.md,
                timeout=5,
            )
            ids.append(c.contact.id)
        await contacts.card.SetPrimaryContact(
            pb.SetPrimaryContactRequest(account_id=acc.id, contact_id=ids[1]),
            metadata=caller.md,
            timeout=5,
        )
        got = await contacts.card.GetAccount(
            pb.GetAccountRequest(account_id=acc.id), metadata=caller.md, timeout=5
        )
        assert [c.id for c in got.contacts] == ids
        assert got.account.primary_contact_id == ids[1]

    async def test_c1_primary_contact_must_belong_to_the_account(self, contacts, caller):
        acc = (
            await contacts.card.CreateAccount(
                pb.CreateAccountRequest(name="A"), metadata=caller.md, timeout=5
            )
        ).account
        stranger = (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(first_name="X"), metadata=caller.md, timeout=5
            )
        ).contact
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.card.SetPrimaryContact(
                pb.SetPrimaryContactRequest(account_id=acc.id, contact_id=stranger.id),
                metadata=caller.md,
                timeout=5,
            )
        assert exc.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    async def test_c1_contact_normalises_phones_emails_and_checks_id_number(self, contacts, caller):
        c = (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(
                    first_name="דנה",
                    id_number="12345678-2",
                    phones=["050-765-4321", "+972 3 6123456", "0507654321"],
                    emails=["Dana@Example.com", "dana@work.co.il"],
                    birthday="1990-05-17",
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).contact
        assert list(c.phones) == ["+972507654321", "+97236123456"]
        assert list(c.emails) == ["dana@example.com", "dana@work.co.il"]
        assert c.id_number == "123456782"
        assert c.birthday == "1990-05-17"
        assert uuid.UUID(c.id).version == 7

    async def test_c1_bad_contact_is_refused_with_every_violation_and_changes_nothing(
        self, contacts, caller
    ):
        v = await invalid(
            contacts.card.CreateContact(
                pb.CreateContactRequest(
                    first_name="",
                    id_number="123456789",
                    phones=["12"],
                    emails=["not-an-email"],
                    birthday="17/05/1990",
                ),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert "birthday" in v
        v = await invalid(
            contacts.card.CreateContact(
                pb.CreateContactRequest(
                    first_name="", id_number="123456789", phones=["12"], emails=["nope"]
                ),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert set(v) == {"first_name", "id_number", "phones[0]", "emails[0]"}
        assert "check digit" in v["id_number"]
        found = await contacts.card.SearchContacts(
            pb.SearchContactsRequest(), metadata=caller.md, timeout=5
        )
        assert found.total == 0

    async def test_c1_company_number_check_digit(self, contacts, caller):
        v = await invalid(
            contacts.card.CreateAccount(
                pb.CreateAccountRequest(name="B", company_number="510000004"),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert set(v) == {"company_number"}

    async def test_c1_screen_pop_finds_the_card_by_any_phone_format(self, contacts, caller):
        c = (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(first_name="רון", phones=["03-6123456", "052-5551234"]),
                metadata=caller.md,
                timeout=5,
            )
        ).contact
        for raw in ("+972525551234", "0525551234", "052-555-1234", "036123456"):
            found = await contacts.card.LookupByPhone(
                pb.LookupByPhoneRequest(phone=raw), metadata=caller.md, timeout=5
            )
            assert [x.id for x in found.contacts] == [c.id], raw
        other = await contacts.card.LookupByPhone(
            pb.LookupByPhoneRequest(phone="0525551234"),
            metadata=(("x-tenant-id", str(uuid.uuid4())),),
            timeout=5,
        )
        assert list(other.contacts) == []

    async def test_c1_screen_pop_uses_the_phones_index(self, contacts):
        plan = await explain(
            contacts,
            "SELECT contact_id FROM contact_phones WHERE tenant_id = :t "
            "AND phone = '+972500001234'",
        )
        assert "Index Only Scan using pk_contact_phones" in plan


class TestDynamicFields:
    async def test_c2_fields_are_typed_validated_and_need_no_migration(self, contacts, caller):
        await define(contacts, caller, entity="contact", key="vip", label_he="VIP", type="checkbox")
        await define(
            contacts,
            caller,
            entity="contact",
            key="budget",
            label_he="תקציב",
            type="money",
            required=True,
        )
        await define(
            contacts,
            caller,
            entity="contact",
            key="interests",
            label_he="תחומי עניין",
            label_en="Interests",
            type="multi_select",
            options=["a", "b", "c"],
            position=2,
        )
        await define(contacts, caller, entity="contact", key="site", label_he="אתר", type="url")
        await define(contacts, caller, entity="contact", key="since", label_he="מאז", type="date")
        c = (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(
                    first_name="דנה",
                    custom=st(vip=True, budget=150000, interests=["c", "a"], since="2024-01-02"),
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).contact
        assert dict(c.custom) == {
            "vip": True,
            "budget": 150000,
            "interests": ["a", "c"],
            "since": "2024-01-02",
        }
        v = await invalid(
            contacts.card.CreateContact(
                pb.CreateContactRequest(
                    first_name="x",
                    custom=st(
                        vip="yes", interests=["z"], site="ftp://x", since="2024-13-01", nope=1
                    ),
                ),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert set(v) == {
            "custom.vip",
            "custom.interests",
            "custom.site",
            "custom.since",
            "custom.nope",
            "custom.budget",
        }
        assert v["custom.budget"] == "is required"
        # Money is integer agorot.
        v = await invalid(
            contacts.card.CreateContact(
                pb.CreateContactRequest(first_name="x", custom=st(budget=10.5)),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert set(v) == {"custom.budget"}
        # Merge, then remove a value with null.
        upd = await contacts.card.UpdateContact(
            pb.UpdateContactRequest(contact_id=c.id, custom=st(vip=None, site="https://x.co.il")),
            metadata=caller.md,
            timeout=5,
        )
        assert dict(upd.contact.custom) == {
            "budget": 150000,
            "interests": ["a", "c"],
            "since": "2024-01-02",
            "site": "https://x.co.il",
        }
        listed = await contacts.card.ListFields(
            pb.ListFieldsRequest(entity="contact"), metadata=caller.md, timeout=5
        )
        assert [f.key for f in listed.fields] == ["vip", "budget", "site", "since", "interests"]

    async def test_c2_bad_definitions_and_duplicate_keys_are_refused(self, contacts, caller):
        v = await invalid(
            contacts.card.DefineField(
                pb.DefineFieldRequest(
                    field=pb.FieldDefinition(entity="deal", key="Bad Key", label_he="", type="blob")
                ),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert set(v) == {"entity", "key", "type", "label_he"}
        v = await invalid(
            contacts.card.DefineField(
                pb.DefineFieldRequest(
                    field=pb.FieldDefinition(entity="contact", key="s", label_he="s", type="select")
                ),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert set(v) == {"options"}
        await define(contacts, caller, entity="contact", key="size", label_he="גודל", type="number")
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await define(contacts, caller, entity="contact", key="size", label_he="x", type="text")
        assert exc.value.code() == grpc.StatusCode.ALREADY_EXISTS

    async def test_c2_archived_field_stops_validating_and_values_stay(self, contacts, caller):
        f = await define(
            contacts,
            caller,
            entity="contact",
            key="tier",
            label_he="רמה",
            type="select",
            options=["gold", "silver"],
        )
        c = (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(first_name="a", custom=st(tier="gold")),
                metadata=caller.md,
                timeout=5,
            )
        ).contact
        await contacts.card.ArchiveField(
            pb.ArchiveFieldRequest(field_id=f.id), metadata=caller.md, timeout=5
        )
        got = await contacts.card.GetContact(
            pb.GetContactRequest(contact_id=c.id), metadata=caller.md, timeout=5
        )
        assert dict(got.contact.custom) == {"tier": "gold"}
        v = await invalid(
            contacts.card.CreateContact(
                pb.CreateContactRequest(first_name="b", custom=st(tier="gold")),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert v == {"custom.tier": "no such field"}


async def make_section(contacts, caller, name="תלונות לקוח", always_open=False):
    section = (
        await contacts.card.CreateSection(
            pb.CreateSectionRequest(name=name, always_open=always_open),
            metadata=caller.md,
            timeout=5,
        )
    ).section
    await define(
        contacts,
        caller,
        entity="section",
        section_id=section.id,
        key="status",
        label_he="סטטוס",
        type="select",
        options=["open", "closed"],
    )
    await define(
        contacts,
        caller,
        entity="section",
        section_id=section.id,
        key="summary",
        label_he="תקציר",
        type="text",
    )
    return section


class TestSections:
    async def test_c3_records_are_appended_and_corrections_reference_the_old_one(
        self, contacts, caller
    ):
        section = await make_section(contacts, caller)
        party = str(uuid.uuid4())
        first = (
            await contacts.card.AddSectionRecord(
                pb.AddSectionRecordRequest(
                    section_id=section.id,
                    party_id=party,
                    values=st(status="open", summary="המזגן לא עובד"),
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).record
        fix = (
            await contacts.card.AddSectionRecord(
                pb.AddSectionRecordRequest(
                    section_id=section.id,
                    party_id=party,
                    corrects_id=first.id,
                    values=st(status="open", summary="המזגן לא מקרר"),
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).record
        assert fix.corrects_id == first.id
        assert fix.author_user_id == str(caller.user)
        card = await contacts.card.ListPartyRecords(
            pb.ListPartyRecordsRequest(section_id=section.id, party_id=party),
            metadata=caller.md,
            timeout=5,
        )
        assert [r.id for r in card.records] == [first.id, fix.id]
        assert card.records[0].corrected_by_id == fix.id
        assert card.records[0].values["summary"] == "המזגן לא עובד"  # never overwritten

    async def test_c3_the_database_refuses_to_update_or_delete_a_record(self, contacts, caller):
        section = await make_section(contacts, caller)
        rec = (
            await contacts.card.AddSectionRecord(
                pb.AddSectionRecordRequest(
                    section_id=section.id, party_id=str(uuid.uuid4()), values=st(status="open")
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).record
        for sql in (
            "UPDATE section_records SET note = 'x' WHERE id = :id",
            "DELETE FROM section_records WHERE id = :id",
        ):
            with pytest.raises(Exception, match="append-only"):
                async with unit_of_work(contacts.sessionmaker, tenant_id=caller.tenant) as s:
                    await s.execute(text(sql), {"id": rec.id})

    async def test_c3_record_values_are_validated_against_the_sections_fields(
        self, contacts, caller
    ):
        section = await make_section(contacts, caller)
        v = await invalid(
            contacts.card.AddSectionRecord(
                pb.AddSectionRecordRequest(
                    section_id=section.id,
                    party_id=str(uuid.uuid4()),
                    values=st(status="maybe", other="x"),
                ),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert set(v) == {"values.status", "values.other"}

    async def test_c3_correction_must_stay_in_the_same_card_and_section(self, contacts, caller):
        section = await make_section(contacts, caller)
        rec = (
            await contacts.card.AddSectionRecord(
                pb.AddSectionRecordRequest(
                    section_id=section.id, party_id=str(uuid.uuid4()), values=st(status="open")
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).record
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await contacts.card.AddSectionRecord(
                pb.AddSectionRecordRequest(
                    section_id=section.id,
                    party_id=str(uuid.uuid4()),
                    corrects_id=rec.id,
                    values=st(status="closed"),
                ),
                metadata=caller.md,
                timeout=5,
            )
        assert exc.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    async def test_c3_open_or_collapsed_and_the_cross_customer_view(self, contacts, caller):
        section = await make_section(contacts, caller, always_open=False)
        upd = await contacts.card.UpdateSection(
            pb.UpdateSectionRequest(section_id=section.id, always_open=True),
            metadata=caller.md,
            timeout=5,
        )
        assert upd.section.always_open is True
        assert [f.key for f in upd.section.fields] == ["status", "summary"]
        made = []
        for i in range(5):
            r = await contacts.card.AddSectionRecord(
                pb.AddSectionRecordRequest(
                    section_id=section.id,
                    party_id=str(uuid.uuid4()),
                    values=st(status="open" if i % 2 == 0 else "closed", summary=f"#{i}"),
                ),
                metadata=caller.md,
                timeout=5,
            )
            made.append(r.record.id)
        page1 = await contacts.card.ListSectionRecords(
            pb.ListSectionRecordsRequest(
                section_id=section.id, filters=st(status="open"), page_size=2
            ),
            metadata=caller.md,
            timeout=5,
        )
        page2 = await contacts.card.ListSectionRecords(
            pb.ListSectionRecordsRequest(
                section_id=section.id,
                filters=st(status="open"),
                page_size=2,
                page_token=page1.next_page_token,
            ),
            metadata=caller.md,
            timeout=5,
        )
        got = [r.id for r in page1.records] + [r.id for r in page2.records]
        assert got == [made[0], made[2], made[4]]  # chronological, filtered
        assert page2.next_page_token == ""
        v = await invalid(
            contacts.card.ListSectionRecords(
                pb.ListSectionRecordsRequest(section_id=section.id, filters=st(colour="red")),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert set(v) == {"filters.colour"}


class TestSearchSegmentsBulk:
    async def test_c7_search_on_standard_dynamic_and_section_fields_and_segments(
        self, contacts, caller
    ):
        await define(
            contacts,
            caller,
            entity="contact",
            key="tier",
            label_he="רמה",
            type="select",
            options=["gold", "silver"],
        )
        section = await make_section(contacts, caller, name="רכישות")
        people = {}
        for name, city, tier in (
            ("אבי", "חיפה", "gold"),
            ("בני", "חיפה", "silver"),
            ("גלי", "אילת", "gold"),
        ):
            c = await contacts.card.CreateContact(
                pb.CreateContactRequest(
                    first_name=name, addresses=[pb.Address(city=city)], custom=st(tier=tier)
                ),
                metadata=caller.md,
                timeout=5,
            )
            people[name] = c.contact
        await contacts.card.AddSectionRecord(
            pb.AddSectionRecordRequest(
                section_id=section.id, party_id=people["גלי"].party_id, values=st(status="closed")
            ),
            metadata=caller.md,
            timeout=5,
        )

        async def names(f: pb.ContactFilter) -> set[str]:
            r = await contacts.card.SearchContacts(
                pb.SearchContactsRequest(filter=f), metadata=caller.md, timeout=5
            )
            assert r.total == len(r.contacts)
            return {c.first_name for c in r.contacts}

        assert await names(pb.ContactFilter(city="חיפה")) == {"אבי", "בני"}
        assert await names(pb.ContactFilter(custom=st(tier="gold"))) == {"אבי", "גלי"}
        assert await names(pb.ContactFilter(city="חיפה", custom=st(tier="gold"))) == {"אבי"}
        assert await names(
            pb.ContactFilter(section_id=section.id, section_values=st(status="closed"))
        ) == {"גלי"}
        assert await names(pb.ContactFilter(text="בנ")) == {"בני"}
        seg = (
            await contacts.card.CreateSegment(
                pb.CreateSegmentRequest(
                    name="זהב", filter=pb.ContactFilter(custom=st(tier="gold"))
                ),
                metadata=caller.md,
                timeout=5,
            )
        ).segment
        members = await contacts.card.ListSegmentMembers(
            pb.ListSegmentMembersRequest(segment_id=seg.id), metadata=caller.md, timeout=5
        )
        assert members.total == 2
        # C9 bulk update over the segment.
        n = await contacts.card.BulkUpdate(
            pb.BulkUpdateRequest(segment_id=seg.id, custom=st(tier="silver")),
            metadata=caller.md,
            timeout=5,
        )
        assert n.updated == 2
        assert await names(pb.ContactFilter(custom=st(tier="silver"))) == {"אבי", "בני", "גלי"}
        v = await invalid(
            contacts.card.BulkUpdate(
                pb.BulkUpdateRequest(segment_id=seg.id, custom=st(tier="bronze")),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert set(v) == {"custom.tier"}
        v = await invalid(
            contacts.card.CreateSegment(
                pb.CreateSegmentRequest(name="x", filter=pb.ContactFilter(custom=st(nope=1))),
                metadata=caller.md,
                timeout=5,
            )
        )
        assert set(v) == {"filter.custom.nope"}


class TestTransfer:
    async def test_c6_transfer_moves_owner_and_open_tasks_with_timeline_and_event(
        self, contacts, caller
    ):
        c = (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(first_name="דנה"), metadata=caller.md, timeout=5
            )
        ).contact
        assert c.owner_user_id == str(caller.user)
        task = (
            await contacts.tasks.CreateTask(
                tpb.CreateTaskRequest(title="לחזור ללקוחה", party_id=c.party_id),
                metadata=caller.md,
                timeout=5,
            )
        ).task
        new_owner = uuid.uuid4()
        resp = await contacts.card.TransferCustomer(
            pb.TransferCustomerRequest(
                party_id=c.party_id, to_user_id=str(new_owner), include_open_tasks=True
            ),
            metadata=caller.md,
            timeout=5,
        )
        assert resp.tasks_moved == 1
        got = await contacts.card.GetContact(
            pb.GetContactRequest(contact_id=c.id), metadata=caller.md, timeout=5
        )
        assert got.contact.owner_user_id == str(new_owner)
        details = await contacts.tasks.GetTask(
            tpb.GetTaskRequest(task_id=task.id), metadata=caller.md, timeout=5
        )
        assert details.task.assignee_user_id == str(new_owner)
        assert [d.to_user_id for d in details.delegations] == [str(new_owner)]
        tl = await contacts.card.ListTimeline(
            pb.ListTimelineRequest(party_id=c.party_id, kinds=["transfer"]),
            metadata=caller.md,
            timeout=5,
        )
        assert len(tl.entries) == 1
        async with unit_of_work(contacts.sessionmaker) as s:
            row = (
                await s.execute(
                    select(outbox_table).where(
                        outbox_table.c.aggregate_id == c.party_id,
                        outbox_table.c.type == "customer.transferred",
                    )
                )
            ).one()
        ev = cev.CustomerTransferred.FromString(row.payload)
        assert ev.from_user_id == str(caller.user)
        assert ev.to_user_id == str(new_owner)
        assert ev.tasks_moved == 1
        assert ev.move_deals is False

    async def test_c6_transfer_asking_for_deals_says_so_in_the_event(self, contacts, caller):
        c = (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(first_name="רון"), metadata=caller.md, timeout=5
            )
        ).contact
        await contacts.card.TransferCustomer(
            pb.TransferCustomerRequest(
                party_id=c.party_id, to_user_id=str(uuid.uuid4()), include_open_deals=True
            ),
            metadata=caller.md,
            timeout=5,
        )
        async with unit_of_work(contacts.sessionmaker) as s:
            row = (
                await s.execute(
                    select(outbox_table).where(
                        outbox_table.c.aggregate_id == c.party_id,
                        outbox_table.c.type == "customer.transferred",
                    )
                )
            ).one()
        ev = cev.CustomerTransferred.FromString(row.payload)
        assert ev.move_deals is True and ev.tasks_moved == 0
