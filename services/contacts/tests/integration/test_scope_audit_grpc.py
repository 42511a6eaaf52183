"""A1 record scope on contacts, accounts and tasks (owner / assignee) and A5 audit of the
contacts service's single and bulk changes, over gRPC on a real PostgreSQL."""

from __future__ import annotations

import uuid

import grpc
import pytest
from google.protobuf.struct_pb2 import Struct
from sqlalchemy import select

from crm.contacts.v1 import card_service_pb2 as pb
from crm.contacts.v1 import tasks_service_pb2 as tpb
from crm_common.db import unit_of_work
from crm_common.plumbing import audit_log_table


def md(tenant: uuid.UUID, user: uuid.UUID, scope: str | None = None, members=()) -> tuple:
    out = [("x-tenant-id", str(tenant)), ("x-user-id", str(user))]
    if scope:
        out.append(("x-record-scope", scope))
    if members:
        out.append(("x-team-members", ",".join(map(str, members))))
    return tuple(out)


async def _code(coro) -> grpc.StatusCode:
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await coro
    return exc.value.code()


@pytest.fixture
async def book(contacts):
    tenant, admin = uuid.uuid4(), uuid.uuid4()
    a, b, c = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    people, accounts, tasks = {}, {}, {}
    for key, owner in (("a", a), ("b", b), ("c", c)):
        made = await contacts.card.CreateContact(
            pb.CreateContactRequest(first_name=f"איש {key}", owner_user_id=str(owner)),
            metadata=md(tenant, admin),
            timeout=5,
        )
        people[key] = made.contact
        acc = await contacts.card.CreateAccount(
            pb.CreateAccountRequest(name=f"חברה {key}", owner_user_id=str(owner)),
            metadata=md(tenant, admin),
            timeout=5,
        )
        accounts[key] = acc.account.id
        task = await contacts.tasks.CreateTask(
            tpb.CreateTaskRequest(
                title=f"משימה {key}",
                assignee_user_id=str(owner),
                party_id=people["a"].party_id,
            ),
            metadata=md(tenant, admin),
            timeout=5,
        )
        tasks[key] = task.task.id
    return {
        "tenant": tenant,
        "admin": admin,
        "a": a,
        "b": b,
        "c": c,
        "people": people,
        "accounts": accounts,
        "tasks": tasks,
    }


async def test_a1_contacts_accounts_and_tasks_in_three_scopes(contacts, book):
    t, a, b = book["tenant"], book["a"], book["b"]
    for meta, visible in (
        (md(t, a, "own"), {"a"}),
        (md(t, a, "team", (a, b)), {"a", "b"}),
        (md(t, a, "all"), {"a", "b", "c"}),
    ):
        found = await contacts.card.SearchContacts(
            pb.SearchContactsRequest(page_size=50), metadata=meta, timeout=5
        )
        assert {x.id for x in found.contacts} == {book["people"][k].id for k in visible}
        assert found.total == len(visible)
        for key in ("a", "b", "c"):
            calls = (
                contacts.card.GetContact(
                    pb.GetContactRequest(contact_id=book["people"][key].id), metadata=meta
                ),
                contacts.card.GetAccount(
                    pb.GetAccountRequest(account_id=book["accounts"][key]), metadata=meta
                ),
                contacts.tasks.GetTask(
                    tpb.GetTaskRequest(task_id=book["tasks"][key]), metadata=meta
                ),
            )
            for call in calls:
                if key in visible:
                    await call
                else:
                    assert await _code(call) == grpc.StatusCode.NOT_FOUND, (meta, key)
        party_tasks = await contacts.tasks.ListPartyTasks(
            tpb.ListPartyTasksRequest(party_id=book["people"]["a"].party_id), metadata=meta
        )
        assert {x.id for x in party_tasks.tasks} == {book["tasks"][k] for k in visible}


async def test_a1_updating_someone_elses_contact_is_not_found_and_changes_nothing(contacts, book):
    t = book["tenant"]
    theirs = book["people"]["b"]
    update = pb.UpdateContactRequest(contact_id=theirs.id, first_name="נחטף")
    assert await _code(contacts.card.UpdateContact(update, metadata=md(t, book["a"], "own"))) == (
        grpc.StatusCode.NOT_FOUND
    )
    again = await contacts.card.GetContact(
        pb.GetContactRequest(contact_id=theirs.id), metadata=md(t, book["admin"])
    )
    assert again.contact.first_name == "איש b"


async def _audit(contacts, tenant, **where) -> list:
    async with unit_of_work(contacts.sessionmaker, tenant_id=tenant) as s:
        stmt = select(audit_log_table).order_by(audit_log_table.c.id)
        for k, v in where.items():
            stmt = stmt.where(getattr(audit_log_table.c, k) == v)
        return list((await s.execute(stmt)).all())


async def test_a5_contact_update_and_scoped_bulk_update_are_audited(contacts, book):
    t, a = book["tenant"], book["a"]
    mine = book["people"]["a"]
    await contacts.card.UpdateContact(
        pb.UpdateContactRequest(contact_id=mine.id, first_name="איש א׳"),
        metadata=md(t, a, "own"),
        timeout=5,
    )
    [upd] = await _audit(contacts, t, entity="contacts", entity_id=mine.id, action="update")
    assert upd.changes["first_name"] == ["איש a", "איש א׳"]
    assert (upd.actor_kind, upd.actor_id) == ("user", str(a))

    await contacts.card.DefineField(
        pb.DefineFieldRequest(
            field=pb.FieldDefinition(entity="contact", key="tier", label_he="דרג", type="text")
        ),
        metadata=md(t, book["admin"]),
        timeout=5,
    )
    custom = Struct()
    custom.update({"tier": "gold"})
    # A rep's bulk update reaches only the contacts in their scope.
    done = await contacts.card.BulkUpdate(
        pb.BulkUpdateRequest(custom=custom), metadata=md(t, a, "own"), timeout=5
    )
    assert done.updated == 1
    bulk = await _audit(contacts, t, action="bulk_update")
    assert [r.entity_id for r in bulk] == [mine.id]
    assert bulk[0].changes == {"custom": [None, {"tier": "gold"}]}
    theirs = await contacts.card.GetContact(
        pb.GetContactRequest(contact_id=book["people"]["b"].id), metadata=md(t, book["admin"])
    )
    assert "tier" not in dict(theirs.contact.custom)


async def test_a5_transfer_records_the_moved_tasks(contacts, book):
    t, admin, c = book["tenant"], book["admin"], book["c"]
    party = book["people"]["a"].party_id
    await contacts.card.TransferCustomer(
        pb.TransferCustomerRequest(party_id=party, to_user_id=str(c), include_open_tasks=True),
        metadata=md(t, admin),
        timeout=5,
    )
    moved = await _audit(contacts, t, entity="tasks", action="update")
    assert {r.entity_id for r in moved} == {book["tasks"]["a"], book["tasks"]["b"]}
    assert all(r.changes == {"assignee_user_id": [None, str(c)]} for r in moved)
    [owner] = await _audit(
        contacts, t, entity="contacts", entity_id=book["people"]["a"].id, action="update"
    )
    assert owner.changes["owner_user_id"] == [str(book["a"]), str(c)]


async def test_a5_imported_contacts_are_audited_by_the_set_based_import(contacts):
    """C8 imports run as set-based SQL; their audit rows come from the same statements."""
    t, admin = uuid.uuid4(), uuid.uuid4()
    existing = await contacts.card.CreateContact(
        pb.CreateContactRequest(first_name="קיים", last_name="ישן", phones=["050-7654390"]),
        metadata=md(t, admin),
        timeout=5,
    )
    csv = "שם,משפחה,טלפון\nחדש,אחד,050-7654391\nקיים,חדש,050-7654390\n"
    mapping = {"שם": "first_name", "משפחה": "last_name", "טלפון": "phone"}
    job = await contacts.card.ImportContacts(
        pb.ImportContactsRequest(csv=csv.encode(), mapping=mapping, duplicate_policy="update"),
        metadata=md(t, admin),
        timeout=10,
    )
    assert (job.job.created, job.job.updated) == (1, 1)
    rows = await _audit(contacts, t, action="import")
    assert len(rows) == 2 and all(r.actor_id == str(admin) for r in rows)
    [updated] = [r for r in rows if r.entity_id == existing.contact.id]
    assert updated.changes == {"last_name": ["ישן", "חדש"]}
    [created] = [r for r in rows if r.entity_id != existing.contact.id]
    assert created.changes["first_name"] == [None, "חדש"]
    assert created.changes["phones"] == [None, ["+972507654391"]]
