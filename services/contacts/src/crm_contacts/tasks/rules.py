"""Automation rules as data (T4, T5): condition matching and task templates."""

from __future__ import annotations

import re
import uuid
from typing import Any

from crm_common.errors import Validator

OPS = ("eq", "ne", "in", "gt", "lt", "exists", "contains")
RULE_KINDS = ("on_event", "on_task_completed")
_PLACEHOLDER = re.compile(r"\{([a-zA-Z0-9_.]+)\}")
TEMPLATE_KEYS = (
    "title",
    "description",
    "assignee_user_id",
    "task_type_key",
    "due_in_minutes",
    "priority",
)


def lookup(payload: dict[str, Any], path: str) -> Any:
    cur: Any = payload
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def matches(conditions: list[dict[str, Any]], payload: dict[str, Any]) -> bool:
    """True when every condition holds on the event payload (an empty list always matches)."""
    for c in conditions:
        got = lookup(payload, c["path"])
        want = c.get("value")
        op = c["op"]
        if op == "exists":
            ok = got not in (None, "", [], {})
        elif op == "eq":
            ok = got == want
        elif op == "ne":
            ok = got != want
        elif op == "in":
            ok = got in (want or [])
        elif op == "contains":
            ok = isinstance(got, str | list) and want in got
        elif op in ("gt", "lt"):
            try:
                a, b = float(got), float(want)
            except (TypeError, ValueError):
                return False
            ok = a > b if op == "gt" else a < b
        else:
            return False
        if not ok:
            return False
    return True


def render(template: str, payload: dict[str, Any]) -> str:
    """``"Invoice for {name}"`` with the event's fields; unknown names stay empty."""

    def sub(m: re.Match[str]) -> str:
        value = lookup(payload, m.group(1))
        return "" if value is None else str(value)

    return _PLACEHOLDER.sub(sub, template)


def check_conditions(v: Validator, conditions: list[Any]) -> None:
    for i, c in enumerate(conditions):
        if not isinstance(c, dict) or not isinstance(c.get("path"), str) or not c.get("path"):
            v.add(f"conditions[{i}]", "needs a path")
            continue
        if c.get("op") not in OPS:
            v.add(f"conditions[{i}].op", f"must be one of: {', '.join(OPS)}")
        elif c["op"] != "exists" and "value" not in c:
            v.add(f"conditions[{i}].value", "is required")
        elif c["op"] == "in" and not isinstance(c.get("value"), list):
            v.add(f"conditions[{i}].value", "must be a list")


def check_template(v: Validator, template: dict[str, Any]) -> None:
    extra = set(template) - set(TEMPLATE_KEYS)
    if extra:
        v.add("task_template", f"unknown keys: {', '.join(sorted(extra))}")
    if not str(template.get("title") or "").strip():
        v.add("task_template.title", "is required")
    try:
        uuid.UUID(str(template.get("assignee_user_id") or ""))
    except ValueError:
        v.add("task_template.assignee_user_id", "must be a user id (UUID)")
    due = template.get("due_in_minutes")
    if due is not None and (not isinstance(due, int | float) or due < 0):
        v.add("task_template.due_in_minutes", "must be a non-negative number")
    prio = template.get("priority")
    if prio is not None and prio not in (1, 2, 3, 1.0, 2.0, 3.0):
        v.add("task_template.priority", "must be 1, 2 or 3")
