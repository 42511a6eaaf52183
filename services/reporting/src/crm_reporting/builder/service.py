"""R1 use cases: run a definition ad hoc or saved; save, share, list, change, delete.

Visibility of a saved report: its owner, admins, and the roles it is shared with.
A caller without roles (an integration API key, an internal caller) acts as the
tenant's admin. Only the owner or an admin changes or deletes a report. Whoever runs
a report sees only the records of their record scope (own / team / all).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.context import CallContext
from crm_common.errors import FailedPrecondition, NotFound, PermissionDenied, Validator
from crm_common.plumbing import tenant_directory_table
from crm_reporting.builder import paging
from crm_reporting.builder.compiler import Scope, compile_definition, convert_rows
from crm_reporting.builder.definition import parse
from crm_reporting.builder.models import SavedReport
from crm_reporting.exports.result import DEFAULT_TIME_ZONE, ReportResult

ADMIN_ROLE = "admin"
_ROLE_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,49}$")


@dataclass(frozen=True, slots=True)
class Viewer:
    user_id: uuid.UUID | None
    roles: tuple[str, ...]
    scope: Scope

    @classmethod
    def of(cls, ctx: CallContext) -> Viewer:
        return cls(
            user_id=ctx.user_id,
            roles=tuple(ctx.roles),
            scope=Scope(
                record_scope=ctx.record_scope,
                user_id=ctx.user_id,
                team_member_ids=tuple(getattr(ctx, "team_member_ids", ()) or ()),
            ),
        )

    @property
    def is_admin(self) -> bool:
        return ADMIN_ROLE in self.roles or (not self.roles and self.scope.record_scope != "own")

    def sees(self, owner_id: uuid.UUID | None, shared_roles: list[str]) -> bool:
        return (
            self.is_admin
            or (owner_id is not None and owner_id == self.user_id)
            or bool(set(shared_roles) & set(self.roles))
        )

    def may_change(self, owner_id: uuid.UUID | None) -> bool:
        return self.is_admin or (owner_id is not None and owner_id == self.user_id)

    def visible_clause(self, owner_col, roles_col) -> sa.ColumnElement:
        if self.is_admin:
            return sa.true()
        clauses = []
        if self.user_id is not None:
            clauses.append(owner_col == self.user_id)
        if self.roles:
            clauses.append(roles_col.overlap(list(self.roles)))
        return sa.or_(*clauses) if clauses else sa.false()


async def tenant_time_zone(session: AsyncSession, tenant_id: uuid.UUID) -> str:
    tz = (
        await session.execute(
            sa.select(tenant_directory_table.c.time_zone).where(
                tenant_directory_table.c.tenant_id == tenant_id
            )
        )
    ).scalar_one_or_none()
    try:
        ZoneInfo(tz or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT_TIME_ZONE
    return tz or DEFAULT_TIME_ZONE


async def run_definition(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    raw: Any,
    viewer: Viewer,
    title: str = "",
) -> ReportResult:
    definition = parse(raw)
    tz = await tenant_time_zone(session, tenant_id)
    compiled = compile_definition(definition, tenant_id=tenant_id, time_zone=tz, scope=viewer.scope)
    rows = (await session.execute(compiled.statement)).all()
    truncated = len(rows) > compiled.limit
    return ReportResult(
        columns=compiled.columns,
        rows=convert_rows(compiled.columns, rows[: compiled.limit]),
        title=title or definition.subject.label,
        time_zone=tz,
        truncated=truncated,
    )


def check_roles(v: Validator, path: str, roles: list[str]) -> list[str]:
    if len(roles) > 50:
        v.add(path, "at most 50 roles")
    for i, r in enumerate(roles):
        if not isinstance(r, str) or not _ROLE_KEY.match(r):
            v.add(f"{path}[{i}]", "must be a role key (lower-case letters, digits, _ and -)")
    return sorted(set(roles))


def check_name(v: Validator, path: str, name: str) -> str:
    name = (name or "").strip()
    if not name:
        v.add(path, "is required")
    elif len(name) > 200:
        v.add(path, "must be at most 200 characters")
    return name


async def create_report(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    viewer: Viewer,
    name: str,
    description: str | None,
    definition: Any,
    shared_roles: list[str],
) -> SavedReport:
    v = Validator()
    name = check_name(v, "name", name)
    if description and len(description) > 2000:
        v.add("description", "must be at most 2000 characters")
    roles = check_roles(v, "shared_roles", shared_roles)
    v.raise_if_any("the report is not valid")
    checked = parse(definition)
    report = SavedReport(
        tenant_id=tenant_id,
        name=name,
        description=description or None,
        definition=checked.raw,
        owner_id=viewer.user_id,
        shared_roles=roles,
    )
    session.add(report)
    await session.flush()
    await session.refresh(report)
    return report


async def get_report(
    *, session: AsyncSession, tenant_id: uuid.UUID, viewer: Viewer, report_id: uuid.UUID
) -> SavedReport:
    report = await session.get(SavedReport, (tenant_id, report_id))
    if report is None or not viewer.sees(report.owner_id, report.shared_roles):
        raise NotFound(f"report {report_id} not found")
    return report


async def list_reports(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    viewer: Viewer,
    page_size: int = 0,
    page_token: str = "",
) -> tuple[list[SavedReport], str]:
    """One page of the saved reports the viewer may see, newest first, and the next token."""
    page = paging.page_request(page_size, page_token)
    t = SavedReport
    stmt = sa.select(t).where(
        t.tenant_id == tenant_id, viewer.visible_clause(t.owner_id, t.shared_roles)
    )
    rows = list((await session.execute(paging.keyset(stmt, t.id, page))).scalars())
    return paging.cut(rows, page)


async def update_report(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    viewer: Viewer,
    report_id: uuid.UUID,
    name: str | None = None,
    description: str | None = None,
    definition: Any = None,
    shared_roles: list[str] | None = None,
) -> SavedReport:
    report = await get_report(
        session=session, tenant_id=tenant_id, viewer=viewer, report_id=report_id
    )
    if not viewer.may_change(report.owner_id):
        raise PermissionDenied("only the report's owner or an admin changes it")
    v = Validator()
    if name is not None:
        name = check_name(v, "name", name)
    if description is not None and len(description) > 2000:
        v.add("description", "must be at most 2000 characters")
    roles = check_roles(v, "shared_roles", shared_roles) if shared_roles is not None else None
    v.raise_if_any("the report is not valid")
    checked = parse(definition) if definition is not None else None
    if name is not None:
        report.name = name
    if description is not None:
        report.description = description or None
    if roles is not None:
        report.shared_roles = roles
    if checked is not None:
        report.definition = checked.raw
    report.updated_at = sa.func.now()
    await session.flush()
    await session.refresh(report)
    return report


async def delete_report(
    *, session: AsyncSession, tenant_id: uuid.UUID, viewer: Viewer, report_id: uuid.UUID
) -> None:
    from crm_reporting.dashboards.models import Dashboard, DashboardItem

    report = await get_report(
        session=session, tenant_id=tenant_id, viewer=viewer, report_id=report_id
    )
    if not viewer.may_change(report.owner_id):
        raise PermissionDenied("only the report's owner or an admin deletes it")
    used = (
        await session.execute(
            sa.select(Dashboard.name)
            .join(
                DashboardItem,
                sa.and_(
                    DashboardItem.tenant_id == Dashboard.tenant_id,
                    DashboardItem.dashboard_id == Dashboard.id,
                ),
            )
            .where(DashboardItem.tenant_id == tenant_id, DashboardItem.report_id == report_id)
            .distinct()
        )
    ).scalars()
    names = sorted(used)
    if names:
        raise FailedPrecondition(
            f"the report is on dashboards {', '.join(names)}: remove it from them first"
        )
    await session.delete(report)
    await session.flush()


async def run_saved(
    *, session: AsyncSession, tenant_id: uuid.UUID, viewer: Viewer, report_id: uuid.UUID
) -> ReportResult:
    report = await get_report(
        session=session, tenant_id=tenant_id, viewer=viewer, report_id=report_id
    )
    return await run_definition(
        session=session,
        tenant_id=tenant_id,
        raw=report.definition,
        viewer=viewer,
        title=report.name,
    )
