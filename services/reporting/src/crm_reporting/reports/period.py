"""Report periods: tenant-local dates, both ends inclusive, turned into UTC instants.

A period ``from``..``to`` covers ``[from 00:00, to+1 00:00)`` in the tenant's time zone
(``tenant_directory.time_zone``; Asia/Jerusalem when the tenant is not in the directory),
so a lead captured at 23:30 Israel time on the last day of a month counts in that month.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import Validator
from crm_common.plumbing import tenant_directory_table

DEFAULT_TIME_ZONE = "Asia/Jerusalem"
MAX_PERIOD_DAYS = 3 * 366 + 1


@dataclass(frozen=True, slots=True)
class Period:
    start: dt.date  # first day, inclusive
    end: dt.date  # last day, inclusive
    time_zone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @property
    def lo(self) -> dt.datetime:
        """The first instant of the period (UTC)."""
        return local_midnight(self.start, self.zone)

    @property
    def hi(self) -> dt.datetime:
        """The first instant after the period (UTC)."""
        return local_midnight(self.end + dt.timedelta(days=1), self.zone)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.UTC)


def parse_date(raw: str, field: str, v: Validator, *, required: bool = True) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        if required:
            v.add(field, "is required (YYYY-MM-DD)")
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        v.add(field, f"{raw[:40]!r} is not a date: use YYYY-MM-DD")
        return None


def check_range(
    start: dt.date | None, end: dt.date | None, v: Validator, *, from_field: str, to_field: str
) -> None:
    if start is None or end is None:
        return
    if end < start:
        v.add(to_field, f"must not be before {from_field} ({start.isoformat()})")
    elif (end - start).days + 1 > MAX_PERIOD_DAYS:
        v.add(to_field, f"the period must not be longer than {MAX_PERIOD_DAYS} days")


async def tenant_time_zone(session: AsyncSession, tenant_id: uuid.UUID) -> str:
    name = (
        await session.execute(
            select(tenant_directory_table.c.time_zone).where(
                tenant_directory_table.c.tenant_id == tenant_id
            )
        )
    ).scalar_one_or_none()
    if not name:
        return DEFAULT_TIME_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return DEFAULT_TIME_ZONE
    return name


async def resolve_period(
    session: AsyncSession, tenant_id: uuid.UUID, from_date: str, to_date: str
) -> Period:
    """The validated period of a report request (InvalidArgument naming from_date/to_date)."""
    v = Validator()
    start = parse_date(from_date, "from_date", v)
    end = parse_date(to_date, "to_date", v)
    check_range(start, end, v, from_field="from_date", to_field="to_date")
    v.raise_if_any("the report period is not valid")
    assert start is not None and end is not None
    return Period(start, end, await tenant_time_zone(session, tenant_id))


def rate(part: int, whole: int, digits: int = 4) -> float | None:
    return round(part / whole, digits) if whole else None


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


@dataclass(frozen=True, slots=True)
class Visibility:
    """Whose records a report covers: the record scope of the caller's reporting grant.

    ``owners`` None: the whole tenant (scope "all", or no scope: internal callers). Otherwise only
    rows owned by these users ("own": the caller; "team": the caller's team members, the caller
    included); ``team_id`` is the caller's team for scope "team" (team targets)."""

    owners: tuple[uuid.UUID, ...] | None = None
    team_id: uuid.UUID | None = None

    @property
    def everything(self) -> bool:
        return self.owners is None

    @property
    def owner_param(self) -> list[str] | None:
        """Bind value for ``CAST(:owners AS uuid[])``: None means no filter."""
        return None if self.owners is None else [str(o) for o in self.owners]


EVERYTHING = Visibility()


def visibility_of(ctx) -> Visibility:
    scope = getattr(ctx, "record_scope", None)
    if scope in (None, "all"):
        return EVERYTHING
    user = getattr(ctx, "user_id", None)
    if scope == "own":
        return Visibility(owners=(user,) if user else ())
    members = set(getattr(ctx, "team_member_ids", ()) or ())
    if user:
        members.add(user)
    return Visibility(owners=tuple(sorted(members)), team_id=getattr(ctx, "team_id", None))
