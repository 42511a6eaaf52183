"""Statements compiled once, for hot paths that SQLAlchemy cannot cache.

SQLAlchemy 2.0 caches the compiled form of Core statements, but not of the PostgreSQL
``insert()`` (``ON CONFLICT``): its class sets ``inherit_cache = False``
(sqlalchemy/sqlalchemy#10445), so every execution compiles it again. In the event
consumers that compilation was about a quarter of the CPU per event.

:func:`freeze` compiles such a statement once into a :func:`~sqlalchemy.text` clause with the
same typed bind parameters; a ``TextClause`` is cacheable, and the caller keeps the frozen
clause for the statement's shape.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import TextClause, bindparam, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine.interfaces import BindTyping

# Named parameters, and no casts rendered after them (`:name::UUID` is not a parameter to
# text()); the executing dialect applies the bind types itself.
_NAMED = postgresql.dialect(paramstyle="named")
_NAMED.bind_typing = BindTyping.NONE
_NAMED._bind_typing_render_casts = False


def freeze(stmt: Any) -> TextClause:
    """``stmt`` as text with its bind parameters and their types.

    Parameters created without a value are supplied per execution. Values written into the
    statement (``column == "won"``) are kept as they were at freeze time: freeze a statement
    only when those are constants of its shape."""
    compiled = stmt.compile(dialect=_NAMED)
    binds = []
    for param, name in compiled.bind_names.items():
        if param.required or param.value is None:
            binds.append(bindparam(name, type_=param.type))
        else:
            binds.append(bindparam(name, value=param.value, type_=param.type))
    return text(compiled.string).bindparams(*binds)
