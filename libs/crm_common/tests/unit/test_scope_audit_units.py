"""A1/A5 building blocks of crm_common: scope owners per context, the owner marker's check,
JSON-safe audit values."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid

import pytest
from sqlalchemy import MetaData, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, configure_mappers, mapped_column

from crm_common.audit import json_safe
from crm_common.context import CallContext, bind_context
from crm_common.scope import owners_in_scope, scoped_classes

T, U, V = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def test_a1_owners_in_scope_per_record_scope():
    assert owners_in_scope(None) is None
    assert owners_in_scope(CallContext(T, U)) is None
    assert owners_in_scope(CallContext(T, U, record_scope="all")) is None
    assert owners_in_scope(CallContext(T, U, record_scope="own")) == (U,)
    assert owners_in_scope(CallContext(T, None, record_scope="own")) == ()
    team = CallContext(T, U, record_scope="team", team_member_ids=(V,))
    assert set(owners_in_scope(team)) == {U, V}


class _Base(DeclarativeBase):
    metadata = MetaData()


class _Owned(_Base):
    __tablename__ = "scope_probe_owned"
    __owner_column__ = "owner_id"
    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[uuid.UUID]
    owner_id: Mapped[uuid.UUID | None]
    name: Mapped[str] = mapped_column(String(10))


def test_a1_marked_model_gets_the_owner_criteria_in_compiled_sql():
    from sqlalchemy.orm import Session

    configure_mappers()
    assert scoped_classes()[_Owned] == ("owner_id", None)
    seen: list[str] = []
    session = Session()

    from sqlalchemy import event

    @event.listens_for(session, "do_orm_execute")
    def capture(state):  # runs after the scope listener (registered on the class)
        seen.append(str(state.statement.compile(compile_kwargs={"literal_binds": False})))
        raise RuntimeError("stop before the database")

    with bind_context(CallContext(T, U, record_scope="own")), pytest.raises(RuntimeError):
        session.execute(select(_Owned))
    assert "scope_probe_owned.owner_id = " in seen[-1]
    with bind_context(CallContext(T, U, record_scope="all")), pytest.raises(RuntimeError):
        session.execute(select(_Owned))
    assert "WHERE" not in seen[-1]


def test_a1_owner_marker_naming_no_column_is_refused():
    from sqlalchemy import inspect

    from crm_common.scope import _register

    class Typo:
        __owner_column__ = "owner"  # the column is owner_id

    with pytest.raises(TypeError, match="names no column"):
        _register(inspect(_Owned), Typo)


@pytest.fixture(autouse=True, scope="module")
def _forget_probe_model():
    """The probe model must not stay scoped for the other tests of this process."""
    yield
    from crm_common import scope

    scope._scoped.pop(_Owned, None)


class _Colour(enum.StrEnum):
    RED = "red"


def test_a5_audit_values_are_json_safe():
    when = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC)
    assert json_safe(
        {"u": U, "d": decimal.Decimal("1.50"), "t": when, "e": _Colour.RED, "b": b"abc", "l": (1,)}
    ) == {
        "u": str(U),
        "d": "1.50",
        "t": "2026-01-02T03:04:00+00:00",
        "e": "red",
        "b": "<3 bytes>",
        "l": [1],
    }
