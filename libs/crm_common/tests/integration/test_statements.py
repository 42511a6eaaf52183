"""Foundation: a PostgreSQL upsert frozen into cacheable text behaves as the statement did."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common.db import unit_of_work
from crm_common.db.statements import freeze

_seen = sa.Table(
    "seen",
    sa.MetaData(),
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("tenant_id", sa.Uuid),
    sa.Column("value", sa.Text),
)


def _upsert():
    stmt = pg_insert(_seen).values(
        event_id=sa.bindparam("id", type_=sa.Uuid),
        tenant_id=sa.bindparam("t", type_=sa.Uuid),
        value=sa.bindparam("v", type_=sa.Text),
    )
    # a constant inside the statement ("keep") must survive freezing
    keep = sa.case((_seen.c.value == "keep", _seen.c.value), else_=stmt.excluded.value)
    return stmt.on_conflict_do_update(index_elements=["event_id"], set_={"value": keep})


async def test_foundation_frozen_upsert_is_cacheable_and_merges_like_the_original(plumbing_db):
    _url, sessionmaker = plumbing_db
    original = _upsert()
    frozen = freeze(original)
    # the reason for freezing: SQLAlchemy 2.0 cannot cache the PostgreSQL insert
    assert original._generate_cache_key() is None
    assert frozen._generate_cache_key() is not None

    a, b, tenant = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    async with unit_of_work(sessionmaker) as session:
        for stmt in (original, frozen):
            await session.execute(stmt, {"id": a, "t": tenant, "v": "keep"})
            await session.execute(stmt, {"id": b, "t": tenant, "v": "first"})
        await session.execute(frozen, {"id": a, "t": tenant, "v": "overwritten?"})
        await session.execute(frozen, {"id": b, "t": tenant, "v": "second"})
        rows = dict((await session.execute(sa.select(_seen.c.event_id, _seen.c.value))).all())
    assert rows == {a: "keep", b: "second"}
