"""Record scope (A1) applied to every ORM query of a call, so a new route cannot forget it.

A model whose rows belong to a user declares its owner column::

    class Lead(..., Base):
        __owner_column__ = "owner_id"

Every ORM ``SELECT`` (``session.get`` and the load of a row before its
update included) and ORM-enabled ``UPDATE``/``DELETE`` run in a call whose
:class:`~crm_common.context.CallContext` carries a record scope then gets a
``with_loader_criteria`` on each marked class:

* ``own``: owner == the calling user (no user: nothing);
* ``team``: owner IN the caller's team members (``x-team-members``, the caller
  included), or, for a model that also keeps the owner's team on the row
  (``__team_column__ = "team"``), that column == the caller's ``x-user-team``;
* ``all`` or no scope (events, internal callers, schedulers): nothing added.

A model may also declare ``__unowned_visible__ = True``: its rows with no owner are a shared
queue (L3: an unrouted lead). Under ``own``/``team`` they are *read* too (a plain ``SELECT``),
but not loaded for a change (``SELECT ... FOR UPDATE``) nor touched by an ORM ``UPDATE``/
``DELETE``; the one change the service allows on them (a claim) opts in with the execution
option ``crm_include_unowned=True`` on its locking ``SELECT`` and checks the new owner itself.

A row outside the scope is simply not found, so the service answers
``NOT_FOUND`` as for another tenant's row: no existence leak, and an update
of it is refused the same way. Rows without an owner are outside ``own`` and
``team`` unless the model declares them visible (above).

Attribute refreshes and relationship loads of an already loaded object are not
filtered (the object was in scope when it was loaded). Queries that must see
the whole tenant inside a scoped call (duplicate detection, routing counts)
say so explicitly with :func:`unscoped` or the execution option
``crm_unscoped=True``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import String, event, false, or_
from sqlalchemy.orm import Mapper, ORMExecuteState, Session, with_loader_criteria

from crm_common.context import CallContext, _current

OWNER_ATTRIBUTE = "__owner_column__"
TEAM_ATTRIBUTE = "__team_column__"
UNOWNED_ATTRIBUTE = "__unowned_visible__"
UNSCOPED_OPTION = "crm_unscoped"
INCLUDE_UNOWNED_OPTION = "crm_include_unowned"

_unscoped: ContextVar[bool] = ContextVar("crm_unscoped", default=False)
# Every mapped class that declares an owner column: (owner column, team column or None).
_scoped: dict[type, tuple[str, str | None]] = {}
# Those whose unowned rows a scoped caller reads (``__unowned_visible__ = True``).
_unowned_visible: set[type] = set()


@contextmanager
def unscoped() -> Iterator[None]:
    """Queries inside see every row of the tenant (RLS still applies)."""
    token = _unscoped.set(True)
    try:
        yield
    finally:
        _unscoped.reset(token)


def scoped_classes() -> dict[type, tuple[str, str | None]]:
    return dict(_scoped)


def owners_in_scope(ctx: CallContext | None) -> tuple[uuid.UUID, ...] | None:
    """The owners whose rows the context sees; None: every row."""
    if ctx is None or ctx.record_scope in (None, "all"):
        return None
    if ctx.record_scope == "own":
        return (ctx.user_id,) if ctx.user_id is not None else ()
    if ctx.record_scope == "team":
        members = set(ctx.team_member_ids)
        if ctx.user_id is not None:
            members.add(ctx.user_id)
        return tuple(sorted(members))
    raise ValueError(f"unknown record scope {ctx.record_scope!r}")


@event.listens_for(Mapper, "mapper_configured")
def _register(mapper: Mapper, class_: type) -> None:
    column = class_.__dict__.get(OWNER_ATTRIBUTE)
    if column is None:
        return
    team = class_.__dict__.get(TEAM_ATTRIBUTE)
    for attr, name in ((OWNER_ATTRIBUTE, column), (TEAM_ATTRIBUTE, team)):
        if name is not None and name not in mapper.column_attrs:
            raise TypeError(f"{class_.__name__}.{attr} names no column: {name!r}")
    _scoped[class_] = (column, team)
    if class_.__dict__.get(UNOWNED_ATTRIBUTE):
        _unowned_visible.add(class_)


def unowned_visible(class_: type) -> bool:
    """Whether scoped callers read the rows of ``class_`` that have no owner."""
    return class_ in _unowned_visible


@event.listens_for(Session, "do_orm_execute")
def _apply_scope(state: ORMExecuteState) -> None:
    if not _scoped:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_select and (state.is_column_load or state.is_relationship_load):
        return
    if _unscoped.get() or state.execution_options.get(UNSCOPED_OPTION):
        return
    ctx = _current.get()
    owners = owners_in_scope(ctx)
    if owners is None:
        return
    # Unowned rows of the classes that share them: read, not loaded for a change (a locking
    # SELECT) nor bulk-updated, unless the statement opts in (a claim).
    with_unowned = state.is_select and (
        getattr(state.statement, "_for_update_arg", None) is None
        or bool(state.execution_options.get(INCLUDE_UNOWNED_OPTION))
    )
    options = []
    for cls, (column, team) in _scoped.items():
        col = getattr(cls, column)
        if not owners:
            cond = false()
        elif len(owners) == 1:
            cond = col == owners[0]
        else:
            cond = col.in_(owners)
        if team is not None and ctx.record_scope == "team" and ctx.team_id is not None:
            team_col = getattr(cls, team)
            is_text = isinstance(team_col.type, String)
            cond = or_(cond, team_col == (str(ctx.team_id) if is_text else ctx.team_id))
        if owners and with_unowned and cls in _unowned_visible:
            cond = or_(cond, col.is_(None))
        options.append(with_loader_criteria(cls, cond, include_aliases=True))
    state.statement = state.statement.options(*options)
