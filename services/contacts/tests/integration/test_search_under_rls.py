"""C7: dynamic-field filters use a btree under FORCE ROW LEVEL SECURITY (contact_field_values),
kept in step with every write by triggers; results equal JSONB containment."""

from __future__ import annotations

from google.protobuf.struct_pb2 import Struct
from sqlalchemy import func, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ClauseElement, Executable

from crm.contacts.v1 import card_service_pb2 as pb
from crm_common.db import unit_of_work
from crm_contacts.card.models import Contact
from crm_contacts.card.search import where_clauses


class Explain(Executable, ClauseElement):
    """``EXPLAIN <the statement the service runs>``, with its real bind parameters."""

    inherit_cache = False

    def __init__(self, stmt) -> None:
        self.stmt = stmt


@compiles(Explain)
def _explain(element, compiler, **kw) -> str:
    return "EXPLAIN " + compiler.process(element.stmt, **kw)


def st(**kw) -> Struct:
    s = Struct()
    s.update(kw)
    return s


async def define(contacts, caller, **f) -> None:
    await contacts.card.DefineField(
        pb.DefineFieldRequest(field=pb.FieldDefinition(**f)), metadata=caller.md, timeout=5
    )


async def test_c7_dynamic_field_filter_is_an_index_scan_under_rls(contacts, caller):
    await define(
        contacts, caller, entity="contact", key="member_no", label_he="מס׳ חבר", type="text"
    )
    tenant = caller.tenant
    async with unit_of_work(contacts.sessionmaker, tenant_id=tenant) as s:
        await s.execute(
            text(
                "INSERT INTO contacts (id, tenant_id, first_name, phones, custom) "
                "SELECT uuidv7(), :t, 'n' || i, '{}', "
                "jsonb_build_object('member_no', i::text, 'tier', 'gold') "
                "FROM generate_series(1, 5000) i"
            ),
            {"t": tenant},
        )
        await s.execute(text("ANALYZE contacts"))
        await s.execute(text("ANALYZE contact_field_values"))
    async with unit_of_work(contacts.sessionmaker, tenant_id=tenant) as s:
        where = await where_clauses(s, tenant, {"custom": {"member_no": "1234"}})
        stmt = select(func.count()).select_from(Contact).where(*where)
        plan = "\n".join(r[0] for r in await s.execute(Explain(stmt)))
        assert "pk_contact_field_values" in plan, plan
        assert "Seq Scan" not in plan and "ix_contacts_tenant_id" not in plan, plan
        assert (await s.execute(stmt)).scalar_one() == 1
        # The finding the side table answers: containment alone never uses the GIN under RLS.
        gin = "\n".join(
            r[0]
            for r in await s.execute(
                text(
                    "EXPLAIN SELECT count(*) FROM contacts WHERE tenant_id = :t "
                    'AND custom @> \'{"member_no": "1234"}\''
                ),
                {"t": tenant},
            )
        )
        assert "ix_contacts_custom" not in gin


async def test_c7_filters_by_type_multi_select_and_follow_updates(contacts, caller):
    await define(contacts, caller, entity="contact", key="seats", label_he="מושבים", type="number")
    await define(
        contacts,
        caller,
        entity="contact",
        key="langs",
        label_he="שפות",
        type="multi_select",
        options=["he", "en", "ar", "ru"],
    )

    async def make(name: str, **custom) -> pb.Contact:
        return (
            await contacts.card.CreateContact(
                pb.CreateContactRequest(first_name=name, custom=st(**custom)),
                metadata=caller.md,
                timeout=5,
            )
        ).contact

    async def names(**custom) -> set[str]:
        r = await contacts.card.SearchContacts(
            pb.SearchContactsRequest(filter=pb.ContactFilter(custom=st(**custom))),
            metadata=caller.md,
            timeout=5,
        )
        assert r.total == len(r.contacts)
        return {c.first_name for c in r.contacts}

    a = await make("א", seats=5, langs=["he", "en"])
    await make("ב", seats=50, langs=["he"])
    await make("ג", langs=["ar", "en", "ru"])
    assert await names(seats=5) == {"א"}
    assert await names(langs=["he"]) == {"א", "ב"}
    assert await names(langs=["en", "he"]) == {"א"}  # containment: every listed option
    assert await names(langs=["ru"], seats=5) == set()
    await contacts.card.UpdateContact(
        pb.UpdateContactRequest(contact_id=a.id, custom=st(seats=50, langs=["ru"])),
        metadata=caller.md,
        timeout=5,
    )
    assert await names(seats=5) == set()
    assert await names(seats=50) == {"א", "ב"}
    assert await names(langs=["ru"]) == {"א", "ג"}
    # Removing a value removes its row.
    await contacts.card.UpdateContact(
        pb.UpdateContactRequest(contact_id=a.id, custom=st(seats=None)),
        metadata=caller.md,
        timeout=5,
    )
    assert await names(seats=50) == {"ב"}


async def test_c7_side_table_follows_insert_update_and_delete_of_any_writer(contacts, caller):
    """Triggers, not the service, keep contact_field_values: raw SQL writes (import's
    INSERT ... SELECT, bulk UPDATE) are covered too; a contact without values adds no row."""
    t = caller.tenant

    async def rows(s, cid) -> list[tuple[str, str]]:
        got = await s.execute(
            text(
                "SELECT field_key, value_text FROM contact_field_values "
                "WHERE tenant_id = :t AND contact_id = :c ORDER BY 1, 2"
            ),
            {"t": t, "c": cid},
        )
        return [tuple(r) for r in got]

    async with unit_of_work(contacts.sessionmaker, tenant_id=t) as s:
        cid, plain = (
            await s.execute(
                text(
                    "INSERT INTO contacts (id, tenant_id, first_name, phones, custom) VALUES "
                    "(uuidv7(), :t, 'a', '{}', "
                    ' \'{"tier": "gold", "langs": ["he", "en"], "n": 5, "x": null}\'), '
                    "(uuidv7(), :t, 'b', '{}', '{}') RETURNING id"
                ),
                {"t": t},
            )
        ).scalars()
        assert await rows(s, cid) == [
            ("langs", '"en"'),
            ("langs", '"he"'),
            ("n", "5"),
            ("tier", '"gold"'),
        ]
        assert await rows(s, plain) == []
        await s.execute(
            text('UPDATE contacts SET custom = \'{"tier": "silver"}\' WHERE id = :c'),
            {"c": cid},
        )
        assert await rows(s, cid) == [("tier", '"silver"')]
        await s.execute(text("UPDATE contacts SET first_name = 'c' WHERE id = :c"), {"c": cid})
        assert await rows(s, cid) == [("tier", '"silver"')]
        await s.execute(text("DELETE FROM contacts WHERE id = :c"), {"c": cid})
        assert await rows(s, cid) == []
