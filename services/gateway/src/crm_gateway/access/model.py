"""Roles are data: per module the allowed actions, a record scope and field rules.

A role's ``permissions`` (JSON in the ``roles`` table)::

    {"leads": {"actions": ["read", "create"], "scope": "own",
               "fields": {"cost_price": "hidden", "status": "read_only"}}}

A user's grants are the union of their roles' grants: the widest scope, every
action, and a field rule only when every role granting the module has it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MODULES: tuple[str, ...] = ("leads", "contacts", "billing", "messaging", "reporting", "settings")
COMMON_ACTIONS: tuple[str, ...] = ("read", "create", "update", "delete", "export")
SPECIAL_ACTIONS: dict[str, tuple[str, ...]] = {
    "billing": ("change_order_status", "change_payment_status", "issue_invoice", "read_ledger"),
    "settings": ("manage_users", "manage_roles", "read_audit", "manage_webhooks"),
}
Scope = Literal["own", "team", "all"]
FieldRule = Literal["hidden", "read_only"]
_SCOPE_RANK = {"own": 0, "team": 1, "all": 2}


def actions_of(module: str) -> tuple[str, ...]:
    return COMMON_ACTIONS + SPECIAL_ACTIONS.get(module, ())


class ModulePermission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    actions: list[str] = Field(default_factory=list)
    scope: Scope = "own"
    fields: dict[str, FieldRule] = Field(default_factory=dict)


class RolePermissions(BaseModel):
    """Validated shape of a role's permissions: unknown modules or actions are refused."""

    model_config = ConfigDict(extra="forbid")

    modules: dict[str, ModulePermission]

    @field_validator("modules")
    @classmethod
    def _known(cls, value: dict[str, ModulePermission]) -> dict[str, ModulePermission]:
        for module, perm in value.items():
            if module not in MODULES:
                raise ValueError(f"unknown module {module!r}; modules: {', '.join(MODULES)}")
            unknown = set(perm.actions) - set(actions_of(module))
            if unknown:
                raise ValueError(
                    f"unknown actions for {module}: {', '.join(sorted(unknown))}; "
                    f"allowed: {', '.join(actions_of(module))}"
                )
        return value


@dataclass(frozen=True, slots=True)
class ModuleGrant:
    actions: frozenset[str]
    scope: Scope
    fields: dict[str, FieldRule] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Grants:
    modules: dict[str, ModuleGrant]
    # Everything, including routes no module claims (tenant-admin integration keys, admin).
    superuser: bool = False

    @classmethod
    def full(cls) -> Grants:
        return cls(
            modules={m: ModuleGrant(frozenset(actions_of(m)), "all") for m in MODULES},
            superuser=True,
        )

    @classmethod
    def from_roles(cls, permissions: list[dict]) -> Grants:
        merged: dict[str, ModuleGrant] = {}
        superuser = False
        for raw in permissions:
            if raw.get("*"):
                superuser = True
            for module, perm in raw.items():
                if module == "*" or module not in MODULES:
                    continue
                p = ModulePermission.model_validate(perm)
                prev = merged.get(module)
                if prev is None:
                    merged[module] = ModuleGrant(frozenset(p.actions), p.scope, dict(p.fields))
                    continue
                scope = p.scope if _SCOPE_RANK[p.scope] > _SCOPE_RANK[prev.scope] else prev.scope
                # A field stays restricted only if every role restricts it (the milder rule).
                fields: dict[str, FieldRule] = {
                    f: ("read_only" if "read_only" in (r, p.fields[f]) else "hidden")
                    for f, r in prev.fields.items()
                    if f in p.fields
                }
                merged[module] = ModuleGrant(prev.actions | set(p.actions), scope, fields)
        if superuser:
            return cls.full()
        return cls(modules=merged)

    @classmethod
    def from_scopes(cls, scopes: list[str]) -> Grants:
        """API-key scopes: ``module:action``, ``module:*`` or ``*``; record scope all."""
        if "*" in scopes:
            return cls.full()
        acc: dict[str, set[str]] = {}
        for s in scopes:
            module, _, action = s.partition(":")
            acc.setdefault(module, set()).update(actions_of(module) if action == "*" else {action})
        return cls(modules={m: ModuleGrant(frozenset(a), "all") for m, a in acc.items()})

    def allows(self, module: str | None, action: str) -> bool:
        if self.superuser:
            return True
        if module is None:
            return False  # a route no module claims: only full access reaches it
        grant = self.modules.get(module)
        return grant is not None and action in grant.actions

    def scope(self, module: str | None) -> Scope:
        if self.superuser or module is None:
            return "all"
        grant = self.modules.get(module)
        return grant.scope if grant else "own"

    def field_rules(self, module: str | None) -> dict[str, FieldRule]:
        if self.superuser or module is None:
            return {}
        grant = self.modules.get(module)
        return dict(grant.fields) if grant else {}


def validate_scopes(scopes: list[str]) -> list[str]:
    for s in scopes:
        if s == "*":
            continue
        module, sep, action = s.partition(":")
        if not sep or module not in MODULES or (action != "*" and action not in actions_of(module)):
            raise ValueError(
                f"invalid scope {s!r}: use '*', '<module>:*' or '<module>:<action>' "
                f"with modules {', '.join(MODULES)}"
            )
    return scopes


_ALL = list(COMMON_ACTIONS)
_RW = ["read", "create", "update"]

# Seeds 000/001/003: a rep sees leads and orders but cannot change order or payment
# status nor see cost prices or a customer's ledger; service sees orders but not
# leads; each user sees only their own tasks (contacts scope "own" for reps).
DEFAULT_ROLES: dict[str, tuple[str, dict]] = {
    "admin": ("מנהל מערכת", {"*": True}),
    "sales_manager": (
        "מנהל מכירות",
        {
            "leads": {"actions": _ALL, "scope": "team"},
            "contacts": {"actions": _ALL, "scope": "team"},
            "billing": {
                "actions": ["read", "create", "update", "export", "read_ledger"],
                "scope": "team",
                "fields": {"cost_price": "hidden"},
            },
            "messaging": {"actions": _RW, "scope": "team"},
            "reporting": {"actions": ["read", "export"], "scope": "team"},
        },
    ),
    "sales_rep": (
        "איש מכירות",
        {
            "leads": {"actions": _RW, "scope": "own"},
            "contacts": {"actions": _RW, "scope": "own", "fields": {"ledger": "hidden"}},
            "billing": {
                "actions": ["read", "create"],
                "scope": "own",
                "fields": {"cost_price": "hidden", "ledger": "hidden"},
            },
            "messaging": {"actions": ["read", "create"], "scope": "own"},
        },
    ),
    "service": (
        "שירות לקוחות",
        {
            "contacts": {"actions": _RW, "scope": "all", "fields": {"ledger": "hidden"}},
            "billing": {"actions": ["read"], "scope": "all", "fields": {"cost_price": "hidden"}},
            "messaging": {"actions": _RW, "scope": "all"},
        },
    ),
    "accounting": (
        "הנהלת חשבונות",
        {
            "contacts": {"actions": ["read"], "scope": "all"},
            "billing": {"actions": list(actions_of("billing")), "scope": "all"},
            "reporting": {"actions": ["read", "export"], "scope": "all"},
        },
    ),
    "marketing": (
        "שיווק",
        {
            "leads": {"actions": ["read", "create", "export"], "scope": "all"},
            "contacts": {"actions": ["read"], "scope": "all", "fields": {"ledger": "hidden"}},
            "messaging": {"actions": _ALL, "scope": "all"},
            "reporting": {"actions": ["read"], "scope": "all"},
        },
    ),
}
