"""gRPC CardService: proto in, use case, proto out. No queries, no commits."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crm.contacts.v1 import card_service_pb2 as pb
from crm.contacts.v1 import card_service_pb2_grpc as pb_grpc
from crm_common.context import current_tenant, current_user
from crm_common.db import current_session
from crm_common.errors import Validator
from crm_common.pagination import PageRequest, next_token
from crm_common.protoutil import parse_uuid
from crm_contacts.api import mappers as m
from crm_contacts.attachments import service as attachments
from crm_contacts.card import search as search_uc
from crm_contacts.card import sections, transfer
from crm_contacts.card import service as card
from crm_contacts.importer import service as importer
from crm_contacts.timeline import service as timeline


def _opt_uuid(raw: str, field: str) -> uuid.UUID | None:
    return parse_uuid(raw, field) if raw else None


def _filter(f: pb.ContactFilter) -> dict:
    out: dict = {}
    for key in ("text", "account_id", "owner_user_id", "city", "section_id"):
        if getattr(f, key):
            out[key] = getattr(f, key)
    if f.birthday_month:
        out["birthday_month"] = f.birthday_month
    if f.HasField("custom"):
        out["custom"] = m.from_struct(f.custom)
    if f.HasField("section_values"):
        out["section_values"] = m.from_struct(f.section_values)
    return out


def _filter_pb(d: dict) -> pb.ContactFilter:
    f = pb.ContactFilter(
        **{
            k: d[k]
            for k in ("text", "account_id", "owner_user_id", "city", "section_id", "birthday_month")
            if k in d
        }
    )
    if d.get("custom"):
        f.custom.CopyFrom(m.struct(d["custom"]))
    if d.get("section_values"):
        f.section_values.CopyFrom(m.struct(d["section_values"]))
    return f


class CardServicer(pb_grpc.CardServiceServicer):
    # ------------------------------------------------------------ fields (C2)
    async def DefineField(self, request, context):
        f = request.field
        row = await card.define_field(
            current_session(),
            current_tenant(),
            card.FieldInput(
                entity=f.entity,
                key=f.key,
                label_he=f.label_he,
                label_en=f.label_en,
                type=f.type,
                required=f.required,
                options=tuple(f.options),
                position=f.position,
                visible=f.visible,
                section_id=_opt_uuid(f.section_id, "field.section_id"),
            ),
        )
        return pb.DefineFieldResponse(field=m.field_to_pb(row))

    async def ListFields(self, request, context):
        rows = await card.list_fields(
            current_session(),
            current_tenant(),
            request.entity,
            _opt_uuid(request.section_id, "section_id"),
        )
        return pb.ListFieldsResponse(fields=[m.field_to_pb(r) for r in rows])

    async def ArchiveField(self, request, context):
        await card.archive_field(
            current_session(), current_tenant(), parse_uuid(request.field_id, "field_id")
        )
        return pb.ArchiveFieldResponse()

    # ------------------------------------------------------------ accounts and contacts (C1)
    async def CreateAccount(self, request, context):
        account = await card.create_account(
            current_session(),
            current_tenant(),
            card.AccountInput(
                name=request.name,
                company_number=request.company_number or None,
                owner_user_id=_opt_uuid(request.owner_user_id, "owner_user_id") or current_user(),
                addresses=m.addresses_from_pb(request.addresses),
                custom=m.from_struct(request.custom),
            ),
        )
        return pb.CreateAccountResponse(account=m.account_to_pb(account))

    async def GetAccount(self, request, context):
        session, tenant = current_session(), current_tenant()
        account_id = parse_uuid(request.account_id, "account_id")
        account = await card.get_account(session, tenant, account_id)
        contacts = await card.account_contacts(session, tenant, account_id)
        return pb.GetAccountResponse(
            account=m.account_to_pb(account), contacts=[m.contact_to_pb(c) for c in contacts]
        )

    async def SetPrimaryContact(self, request, context):
        account = await card.set_primary_contact(
            current_session(),
            current_tenant(),
            parse_uuid(request.account_id, "account_id"),
            parse_uuid(request.contact_id, "contact_id"),
        )
        return pb.SetPrimaryContactResponse(account=m.account_to_pb(account))

    async def CreateContact(self, request, context):
        v = Validator()
        birthday = m.date_or_none(request.birthday, "birthday", v)
        anniversary = m.date_or_none(request.anniversary, "anniversary", v)
        v.raise_if_any("the contact is not valid")
        contact = await card.create_contact(
            current_session(),
            current_tenant(),
            card.ContactInput(
                first_name=request.first_name,
                last_name=request.last_name,
                account_id=_opt_uuid(request.account_id, "account_id"),
                id_number=request.id_number or None,
                phones=list(request.phones),
                emails=list(request.emails),
                birthday=birthday,
                anniversary=anniversary,
                owner_user_id=_opt_uuid(request.owner_user_id, "owner_user_id") or current_user(),
                addresses=m.addresses_from_pb(request.addresses),
                custom=m.from_struct(request.custom),
            ),
        )
        return pb.CreateContactResponse(contact=m.contact_to_pb(contact))

    async def GetContact(self, request, context):
        contact = await card.get_contact(
            current_session(), current_tenant(), parse_uuid(request.contact_id, "contact_id")
        )
        return pb.GetContactResponse(contact=m.contact_to_pb(contact))

    async def UpdateContact(self, request, context):
        v = Validator()
        birthday = (
            m.date_or_none(request.birthday, "birthday", v)
            if request.HasField("birthday")
            else None
        )
        v.raise_if_any("the contact is not valid")
        contact = await card.update_contact(
            current_session(),
            current_tenant(),
            parse_uuid(request.contact_id, "contact_id"),
            card.ContactPatch(
                first_name=request.first_name if request.HasField("first_name") else None,
                last_name=request.last_name if request.HasField("last_name") else None,
                phones=list(request.phones) if request.replace_phones else None,
                emails=list(request.emails) if request.replace_emails else None,
                birthday=birthday,
                custom=m.from_struct(request.custom) if request.HasField("custom") else None,
            ),
        )
        return pb.UpdateContactResponse(contact=m.contact_to_pb(contact))

    async def LookupByPhone(self, request, context):
        rows = await card.lookup_by_phone(current_session(), current_tenant(), request.phone)
        return pb.LookupByPhoneResponse(contacts=[m.contact_to_pb(c) for c in rows])

    # ------------------------------------------------------------ sections (C3)
    async def CreateSection(self, request, context):
        s = await sections.create_section(
            current_session(),
            current_tenant(),
            name=request.name,
            always_open=request.always_open,
            position=request.position,
        )
        return pb.CreateSectionResponse(section=m.section_to_pb(s))

    async def UpdateSection(self, request, context):
        session, tenant = current_session(), current_tenant()
        s = await sections.update_section(
            session,
            tenant,
            parse_uuid(request.section_id, "section_id"),
            name=request.name if request.HasField("name") else None,
            always_open=request.always_open if request.HasField("always_open") else None,
        )
        fields = await card.list_fields(session, tenant, "section", s.id)
        return pb.UpdateSectionResponse(section=m.section_to_pb(s, fields))

    async def ListSections(self, request, context):
        session, tenant = current_session(), current_tenant()
        out = []
        for s in await sections.list_sections(session, tenant):
            out.append(m.section_to_pb(s, await card.list_fields(session, tenant, "section", s.id)))
        return pb.ListSectionsResponse(sections=out)

    async def AddSectionRecord(self, request, context):
        record = await sections.add_record(
            current_session(),
            current_tenant(),
            section_id=parse_uuid(request.section_id, "section_id"),
            party_id=parse_uuid(request.party_id, "party_id"),
            values=m.from_struct(request.values),
            author_user_id=current_user(),
            corrects_id=_opt_uuid(request.corrects_id, "corrects_id"),
            note=request.note,
        )
        return pb.AddSectionRecordResponse(record=m.record_to_pb(record))

    async def ListPartyRecords(self, request, context):
        views = await sections.party_records(
            current_session(),
            current_tenant(),
            parse_uuid(request.section_id, "section_id"),
            parse_uuid(request.party_id, "party_id"),
        )
        return pb.ListPartyRecordsResponse(
            records=[m.record_to_pb(x.record, x.corrected_by) for x in views]
        )

    async def ListSectionRecords(self, request, context):
        size = min(request.page_size or 50, 200)
        rows = await sections.section_view(
            current_session(),
            current_tenant(),
            parse_uuid(request.section_id, "section_id"),
            filters=m.from_struct(request.filters),
            after=_opt_uuid(request.page_token, "page_token"),
            limit=size + 1,
        )
        token = str(rows[size - 1].id) if len(rows) > size else ""
        return pb.ListSectionRecordsResponse(
            records=[m.record_to_pb(r) for r in rows[:size]], next_page_token=token
        )

    # ------------------------------------------------------------ timeline (C4)
    async def ListTimeline(self, request, context):
        rows, token = await timeline.party_timeline(
            current_session(),
            current_tenant(),
            parse_uuid(request.party_id, "party_id"),
            kinds=list(request.kinds),
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListTimelineResponse(
            entries=[m.entry_to_pb(e) for e in rows], next_page_token=token
        )

    async def AddNote(self, request, context):
        import datetime as dt

        from crm_contacts.timeline.models import TimelineEntry

        v = Validator()
        if not request.text.strip():
            v.add("text", "is required")
        v.raise_if_any("the note is not valid")
        session, tenant = current_session(), current_tenant()
        party_id = parse_uuid(request.party_id, "party_id")
        note_id = uuid.uuid4()
        await timeline.add_entry(
            session,
            tenant,
            timeline.EntryData(
                party_id=party_id,
                kind="note",
                title=request.text.strip().splitlines()[0][:120],
                body=request.text.strip(),
                occurred_at=dt.datetime.now(dt.UTC),
                actor_user_id=current_user(),
            ),
            source="contacts",
            source_event_id=note_id,
        )
        from sqlalchemy import select

        entry = (
            await session.execute(
                select(TimelineEntry).where(
                    TimelineEntry.tenant_id == tenant, TimelineEntry.source_event_id == note_id
                )
            )
        ).scalar_one()
        return pb.AddNoteResponse(entry=m.entry_to_pb(entry))

    # ------------------------------------------------------------ transfer (C6)
    async def TransferCustomer(self, request, context):
        moved = await transfer.transfer_customer(
            current_session(),
            current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
            to_user_id=parse_uuid(request.to_user_id, "to_user_id"),
            by_user_id=current_user(),
            include_open_tasks=request.include_open_tasks,
            include_open_deals=request.include_open_deals,
        )
        return pb.TransferCustomerResponse(tasks_moved=moved)

    # ------------------------------------------------------------ search, segments (C7, C9)
    async def SearchContacts(self, request, context):
        page = PageRequest.parse(request.page_size, request.page_token)
        rows, total = await search_uc.search(
            current_session(),
            current_tenant(),
            _filter(request.filter),
            size=page.size,
            before=page.before,
        )
        return pb.SearchContactsResponse(
            contacts=[m.contact_to_pb(c) for c in rows[: page.size]],
            total=total,
            next_page_token=next_token(rows, page.size),
        )

    async def CreateSegment(self, request, context):
        seg = await search_uc.create_segment(
            current_session(), current_tenant(), name=request.name, f=_filter(request.filter)
        )
        return pb.CreateSegmentResponse(
            segment=pb.Segment(id=str(seg.id), name=seg.name, filter=_filter_pb(seg.filter))
        )

    async def ListSegmentMembers(self, request, context):
        session, tenant = current_session(), current_tenant()
        seg = await search_uc.get_segment(
            session, tenant, parse_uuid(request.segment_id, "segment_id")
        )
        page = PageRequest.parse(request.page_size, request.page_token)
        rows, total = await search_uc.search(
            session, tenant, seg.filter, size=page.size, before=page.before
        )
        return pb.ListSegmentMembersResponse(
            contacts=[m.contact_to_pb(c) for c in rows[: page.size]],
            total=total,
            next_page_token=next_token(rows, page.size),
        )

    async def BulkUpdate(self, request, context):
        session, tenant = current_session(), current_tenant()
        f = _filter(request.filter)
        if request.segment_id:
            seg = await search_uc.get_segment(
                session, tenant, parse_uuid(request.segment_id, "segment_id")
            )
            f = seg.filter
        n = await search_uc.bulk_update(session, tenant, f, m.from_struct(request.custom))
        return pb.BulkUpdateResponse(updated=n)

    async def ImportContacts(self, request, context):
        session, tenant = current_session(), current_tenant()
        if request.xlsx:
            lines = importer.XlsxRows(request.xlsx)
        else:
            try:
                lines = importer.lines_of(request.csv)
            except UnicodeDecodeError:
                v = Validator()
                v.add("csv", "must be UTF-8")
                v.raise_if_any("the import is not valid")
        job_id = await importer.import_csv(
            session,
            tenant,
            lines=lines,
            mapping=dict(request.mapping),
            policy=request.duplicate_policy or "skip",
        )
        # contacts.changed go out after the edge commits (ADR contacts-0005)
        importer.publish_after_commit(session.bind, tenant, job_id)
        return pb.ImportContactsResponse(
            job=_job_pb(await importer.get_job(session, tenant, job_id))
        )

    async def GetImportJob(self, request, context):
        job = await importer.get_job(
            current_session(), current_tenant(), parse_uuid(request.job_id, "job_id")
        )
        return pb.GetImportJobResponse(job=_job_pb(job))

    # ------------------------------------------------------------ attachments (C5)
    async def BeginAttachment(self, request, context):
        att = await attachments.begin(
            current_session(),
            current_tenant(),
            party_id=parse_uuid(request.party_id, "party_id"),
            filename=request.filename,
            content_type=request.content_type,
            user_id=current_user(),
        )
        return pb.BeginAttachmentResponse(attachment=_att_pb(att))

    async def AppendAttachment(self, request, context):
        size = await attachments.append(
            current_session(),
            current_tenant(),
            parse_uuid(request.attachment_id, "attachment_id"),
            offset=request.offset,
            data=request.data,
        )
        return pb.AppendAttachmentResponse(size=size)

    async def FinishAttachment(self, request, context):
        att = await attachments.finish(
            current_session(), current_tenant(), parse_uuid(request.attachment_id, "attachment_id")
        )
        return pb.FinishAttachmentResponse(attachment=_att_pb(att))

    async def ListAttachments(self, request, context):
        rows = await attachments.list_for_party(
            current_session(), current_tenant(), parse_uuid(request.party_id, "party_id")
        )
        return pb.ListAttachmentsResponse(attachments=[_att_pb(a) for a in rows])

    async def ReadAttachment(self, request, context):
        att, data = await attachments.read(
            current_session(),
            current_tenant(),
            parse_uuid(request.attachment_id, "attachment_id"),
            request.offset,
            request.length or attachments.MAX_CHUNK,
        )
        return pb.ReadAttachmentResponse(attachment=_att_pb(att), data=data)

    # ------------------------------------------------------------ birthdays (C8)
    async def EmitBirthdays(self, request, context):
        tz = request.time_zone or transfer.DEFAULT_TZ
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            v = Validator()
            v.add("time_zone", "is not an IANA time zone")
            v.raise_if_any()
        n = await transfer.emit_birthdays(current_session(), current_tenant(), time_zone=tz)
        return pb.EmitBirthdaysResponse(emitted=n)


def _att_pb(a) -> pb.Attachment:
    return pb.Attachment(
        id=str(a.id),
        party_id=str(a.party_id),
        filename=a.filename,
        content_type=a.content_type,
        size=a.size,
        sha256=a.sha256,
        uploaded_by=str(a.uploaded_by or ""),
        created_at=m.timestamp(a.created_at),
    )


def _job_pb(job) -> pb.ImportJob:
    return pb.ImportJob(
        id=str(job.id),
        status=job.status,
        duplicate_policy=job.duplicate_policy,
        total_rows=job.total_rows,
        processed_rows=job.processed_rows,
        created=job.created_count,
        updated=job.updated_count,
        skipped=job.skipped_count,
        errors=[
            pb.RowError(row=e["row"], field=e["field"], message=e["message"]) for e in job.errors
        ],
    )
