"""A1/L3: a model may share its unowned rows with scoped callers (``__unowned_visible__``):
read by a plain SELECT, not loaded for a change (SELECT ... FOR UPDATE) unless the statement
opts in (a claim), never bulk-updated."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import MetaData, String, event, select, update
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, configure_mappers, mapped_column

from crm_common.context import CallContext, bind_context
from crm_common.scope import INCLUDE_UNOWNED_OPTION, unowned_visible

T, U = uuid.uuid4(), uuid.uuid4()


class _Base(DeclarativeBase):
    metadata = MetaData()


class _Queued(_Base):
    __tablename__ = "scope_probe_queued"
    __owner_column__ = "owner_id"
    __unowned_visible__ = True
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID]
    owner_id: Mapped[uuid.UUID | None]
    name: Mapped[str] = mapped_column(String(10))


@pytest.fixture(autouse=True, scope="module")
def _forget_probe_model():
    yield
    from crm_common import scope

    scope._scoped.pop(_Queued, None)
    scope._unowned_visible.discard(_Queued)


def _sql(stmt, scope: str = "own") -> str:
    configure_mappers()
    seen: list[str] = []
    session = Session()

    @event.listens_for(session, "do_orm_execute")
    def capture(state):  # runs after the scope listener (registered on the class)
        seen.append(str(state.statement.compile()))
        raise RuntimeError("stop before the database")

    with bind_context(CallContext(T, U, record_scope=scope)), pytest.raises(RuntimeError):
        session.execute(stmt)
    return seen[-1]


def test_a1_l3_unowned_rows_are_read_but_not_locked_for_a_change():
    configure_mappers()
    assert unowned_visible(_Queued)
    plain = _sql(select(_Queued))
    assert "owner_id = " in plain and "owner_id IS NULL" in plain
    team = _sql(select(_Queued), scope="team")
    assert "owner_id IN" in team or "owner_id = " in team
    assert "owner_id IS NULL" in team
    locked = _sql(select(_Queued).with_for_update())
    assert "owner_id = " in locked and "owner_id IS NULL" not in locked
    claim = select(_Queued).with_for_update().execution_options(**{INCLUDE_UNOWNED_OPTION: True})
    assert "owner_id IS NULL" in _sql(claim)
    bulk = _sql(update(_Queued).values(name="x"))
    assert "owner_id IS NULL" not in bulk
    assert "owner_id IS NULL" not in _sql(select(_Queued), scope="all")
