"""R7 dashboards: a saved set of reports, each with a chart kind and a grid position.

Who sees a dashboard: its owner, admins and the roles it is shared with (as reports).
Its items are saved reports the creator could see; whoever sees the dashboard sees its
items' results (sharing a dashboard shares what it shows), always within their own
record scope. A report on a dashboard cannot be deleted until it is taken off.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import DomainError, NotFound, PermissionDenied, Validator
from crm_reporting.builder import paging
from crm_reporting.builder import service as reports
from crm_reporting.builder.models import SavedReport
from crm_reporting.builder.service import Viewer, check_name, check_roles
from crm_reporting.dashboards.models import CHART_KINDS, Dashboard, DashboardItem
from crm_reporting.exports import charts
from crm_reporting.exports.result import ReportResult

MAX_ITEMS = 24
GRID_COLUMNS = 12


@dataclass(frozen=True, slots=True)
class ItemInput:
    report_id: str
    chart: str
    title: str | None = None
    x: int = 0
    y: int = 0
    w: int = 6
    h: int = 4


@dataclass
class ItemRun:
    item: DashboardItem
    title: str
    result: ReportResult | None = None
    svg: str = ""
    error: str = ""


@dataclass
class DashboardRun:
    dashboard: Dashboard
    items: list[DashboardItem]
    runs: list[ItemRun] = field(default_factory=list)


async def _items_of(session: AsyncSession, tenant_id: uuid.UUID, dashboard_id: uuid.UUID):
    stmt = (
        sa.select(DashboardItem)
        .where(DashboardItem.tenant_id == tenant_id, DashboardItem.dashboard_id == dashboard_id)
        .order_by(DashboardItem.y, DashboardItem.x, DashboardItem.id)
    )
    return list((await session.execute(stmt)).scalars())


async def _check_items(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    viewer: Viewer,
    items: list[ItemInput],
    v: Validator,
) -> list[tuple[uuid.UUID, ItemInput]]:
    if len(items) > MAX_ITEMS:
        v.add("items", f"at most {MAX_ITEMS} items")
    out = []
    for i, it in enumerate(items):
        path = f"items[{i}]"
        try:
            rid = uuid.UUID(it.report_id)
        except ValueError:
            v.add(f"{path}.report_id", "must be a UUID")
            continue
        if it.chart not in CHART_KINDS:
            v.add(f"{path}.chart", f"must be one of: {', '.join(CHART_KINDS)}")
        if it.title and len(it.title) > 200:
            v.add(f"{path}.title", "must be at most 200 characters")
        if not 0 <= it.x < GRID_COLUMNS:
            v.add(f"{path}.x", f"must be between 0 and {GRID_COLUMNS - 1}")
        if not 1 <= it.w <= GRID_COLUMNS or it.x + it.w > GRID_COLUMNS:
            v.add(f"{path}.w", f"must be 1 to {GRID_COLUMNS} and fit the {GRID_COLUMNS} columns")
        if not 0 <= it.y <= 1000:
            v.add(f"{path}.y", "must be between 0 and 1000")
        if not 1 <= it.h <= 24:
            v.add(f"{path}.h", "must be between 1 and 24")
        report = await session.get(SavedReport, (tenant_id, rid))
        if report is None or not viewer.sees(report.owner_id, report.shared_roles):
            v.add(f"{path}.report_id", "no such saved report")
            continue
        out.append((rid, it))
    return out


async def _put_items(
    session: AsyncSession, tenant_id: uuid.UUID, dashboard_id: uuid.UUID, checked
) -> None:
    for rid, it in checked:
        session.add(
            DashboardItem(
                tenant_id=tenant_id,
                dashboard_id=dashboard_id,
                report_id=rid,
                title=it.title or None,
                chart=it.chart,
                x=it.x,
                y=it.y,
                w=it.w,
                h=it.h,
            )
        )
    await session.flush()


async def create_dashboard(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    viewer: Viewer,
    name: str,
    shared_roles: list[str],
    items: list[ItemInput],
) -> tuple[Dashboard, list[DashboardItem]]:
    v = Validator()
    name = check_name(v, "name", name)
    roles = check_roles(v, "shared_roles", shared_roles)
    checked = await _check_items(session, tenant_id, viewer, items, v)
    v.raise_if_any("the dashboard is not valid")
    board = Dashboard(tenant_id=tenant_id, name=name, owner_id=viewer.user_id, shared_roles=roles)
    session.add(board)
    await session.flush()
    await _put_items(session, tenant_id, board.id, checked)
    await session.refresh(board)
    return board, await _items_of(session, tenant_id, board.id)


async def get_dashboard(
    *, session: AsyncSession, tenant_id: uuid.UUID, viewer: Viewer, dashboard_id: uuid.UUID
) -> tuple[Dashboard, list[DashboardItem]]:
    board = await session.get(Dashboard, (tenant_id, dashboard_id))
    if board is None or not viewer.sees(board.owner_id, board.shared_roles):
        raise NotFound(f"dashboard {dashboard_id} not found")
    return board, await _items_of(session, tenant_id, dashboard_id)


async def list_dashboards(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    viewer: Viewer,
    page_size: int = 0,
    page_token: str = "",
) -> tuple[list[tuple[Dashboard, list[DashboardItem]]], str]:
    """One page of the dashboards the viewer may see (newest first, with their items in
    one query) and the next page's token."""
    page = paging.page_request(page_size, page_token)
    stmt = sa.select(Dashboard).where(
        Dashboard.tenant_id == tenant_id,
        viewer.visible_clause(Dashboard.owner_id, Dashboard.shared_roles),
    )
    rows = list((await session.execute(paging.keyset(stmt, Dashboard.id, page))).scalars())
    boards, token = paging.cut(rows, page)
    by_board: dict[uuid.UUID, list[DashboardItem]] = {b.id: [] for b in boards}
    if boards:
        items = (
            await session.execute(
                sa.select(DashboardItem)
                .where(
                    DashboardItem.tenant_id == tenant_id,
                    DashboardItem.dashboard_id.in_(list(by_board)),
                )
                .order_by(DashboardItem.y, DashboardItem.x, DashboardItem.id)
            )
        ).scalars()
        for item in items:
            by_board[item.dashboard_id].append(item)
    return [(b, by_board[b.id]) for b in boards], token


async def update_dashboard(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    viewer: Viewer,
    dashboard_id: uuid.UUID,
    name: str,
    shared_roles: list[str],
    items: list[ItemInput],
) -> tuple[Dashboard, list[DashboardItem]]:
    board, _ = await get_dashboard(
        session=session, tenant_id=tenant_id, viewer=viewer, dashboard_id=dashboard_id
    )
    if not viewer.may_change(board.owner_id):
        raise PermissionDenied("only the dashboard's owner or an admin changes it")
    v = Validator()
    name = check_name(v, "name", name)
    roles = check_roles(v, "shared_roles", shared_roles)
    checked = await _check_items(session, tenant_id, viewer, items, v)
    v.raise_if_any("the dashboard is not valid")
    await session.execute(
        sa.delete(DashboardItem).where(
            DashboardItem.tenant_id == tenant_id, DashboardItem.dashboard_id == dashboard_id
        )
    )
    board.name, board.shared_roles, board.updated_at = name, roles, sa.func.now()
    await _put_items(session, tenant_id, dashboard_id, checked)
    await session.refresh(board)
    return board, await _items_of(session, tenant_id, dashboard_id)


async def delete_dashboard(
    *, session: AsyncSession, tenant_id: uuid.UUID, viewer: Viewer, dashboard_id: uuid.UUID
) -> None:
    board, _ = await get_dashboard(
        session=session, tenant_id=tenant_id, viewer=viewer, dashboard_id=dashboard_id
    )
    if not viewer.may_change(board.owner_id):
        raise PermissionDenied("only the dashboard's owner or an admin deletes it")
    await session.delete(board)
    await session.flush()


async def run_dashboard(
    *, session: AsyncSession, tenant_id: uuid.UUID, viewer: Viewer, dashboard_id: uuid.UUID
) -> DashboardRun:
    board, items = await get_dashboard(
        session=session, tenant_id=tenant_id, viewer=viewer, dashboard_id=dashboard_id
    )
    out = DashboardRun(board, items)
    for item in items:
        report = await session.get(SavedReport, (tenant_id, item.report_id))
        title = item.title or (report.name if report else "")
        run = ItemRun(item, title)
        try:
            async with session.begin_nested():  # a failing item leaves the others running
                run.result = await reports.run_definition(
                    session=session,
                    tenant_id=tenant_id,
                    raw=report.definition if report else {},
                    viewer=viewer,
                    title=title,
                )
            run.svg = charts.to_svg(charts.layout(run.result, item.chart, title=title))
        except DomainError as err:
            run.error = str(err)
        out.runs.append(run)
    return out
