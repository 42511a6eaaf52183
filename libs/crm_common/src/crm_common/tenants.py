"""The tenant directory of a service database, and how it is filled.

Tenant tables have FORCE row-level security, so a service cannot list its
tenants from them. Each service database therefore keeps ``tenant_directory``
(a platform table without RLS, see ``create_platform_tables``): one row per
tenant with its time zone, locale and currency. The scheduler
(:mod:`crm_common.scheduler`) runs per-tenant jobs from it.

Two ways in:

* the ``tenant.created`` event the gateway writes at sign-up (topic
  ``crm.gateway.tenant``). :class:`crm_common.app.ServiceApp` subscribes every
  service's consumer to it (:func:`tenant_subscription`): the handler writes the
  directory row and runs the service's ``tenant_defaults`` hook (a default
  pipeline, task types, ...) in the same transaction, then stamps
  ``defaults_applied_at``. The consumer's inbox makes it happen once.
* lazily (:class:`DirectoryFiller`): a call or an event for a tenant that is
  not in the directory yet (tenants made before the event existed, API-key
  tenants of the dev stack) inserts a row with the default settings. An
  in-process set of known tenant ids keeps this to one insert per tenant and
  process.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from crm_common.plumbing import tenant_directory_table as directory

if TYPE_CHECKING:
    from crm_common.kafka.consumer import Event, Subscription

_log = logging.getLogger(__name__)

TENANT_TOPIC = "crm.gateway.tenant"
TENANT_CREATED = "tenant.created"
DEFAULT_TIME_ZONE = "Asia/Jerusalem"
DEFAULT_LOCALE = "he-IL"
DEFAULT_CURRENCY = "ILS"


@dataclass(frozen=True, slots=True)
class TenantInfo:
    tenant_id: uuid.UUID
    name: str = ""
    slug: str | None = None
    time_zone: str = DEFAULT_TIME_ZONE
    locale: str = DEFAULT_LOCALE
    currency: str = DEFAULT_CURRENCY
    active: bool = True
    created_at: dt.datetime | None = None
    defaults_applied_at: dt.datetime | None = None

    @property
    def zone(self) -> ZoneInfo:
        return zone_or_default(self.time_zone)


# A service's defaults for a new tenant: runs in the tenant's transaction (RLS bound),
# flushes only, and must be idempotent (it may also be run again by hand).
TenantDefaults = Callable[[AsyncSession, TenantInfo], Awaitable[None]]


def valid_time_zone(name: str) -> bool:
    """An IANA zone name ``zoneinfo`` knows (``Asia/Jerusalem``); not a bare offset."""
    if not name or len(name) > 64 or name != name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a path, a directory
        return False
    return True


def zone_or_default(name: str | None) -> ZoneInfo:
    return ZoneInfo(name if name and valid_time_zone(name) else DEFAULT_TIME_ZONE)


def _info(row) -> TenantInfo:
    return TenantInfo(
        tenant_id=row.tenant_id,
        name=row.name,
        slug=row.slug,
        time_zone=row.time_zone,
        locale=row.locale,
        currency=row.currency,
        active=row.active,
        created_at=row.created_at,
        defaults_applied_at=row.defaults_applied_at,
    )


async def get_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> TenantInfo | None:
    row = (
        await session.execute(sa.select(directory).where(directory.c.tenant_id == tenant_id))
    ).first()
    return _info(row) if row is not None else None


async def active_tenants(session: AsyncSession) -> list[TenantInfo]:
    rows = await session.execute(
        sa.select(directory).where(directory.c.active.is_(True)).order_by(directory.c.tenant_id)
    )
    return [_info(r) for r in rows]


async def ensure_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> bool:
    """Insert a directory row with the default settings if none exists; True if inserted."""
    inserted = await session.execute(
        pg_insert(directory)
        .values(tenant_id=tenant_id, created_at=dt.datetime.now(dt.UTC))
        .on_conflict_do_nothing(index_elements=[directory.c.tenant_id])
        .returning(directory.c.tenant_id)
    )
    return inserted.first() is not None


async def upsert_tenant(session: AsyncSession, info: TenantInfo) -> None:
    """Write what the gateway says about the tenant (over a lazily made row, if any)."""
    values = {
        "name": info.name,
        "slug": info.slug,
        "time_zone": info.time_zone,
        "locale": info.locale,
        "currency": info.currency,
        "active": info.active,
    }
    await session.execute(
        pg_insert(directory)
        .values(
            tenant_id=info.tenant_id,
            created_at=info.created_at or dt.datetime.now(dt.UTC),
            **values,
        )
        .on_conflict_do_update(index_elements=[directory.c.tenant_id], set_=values)
    )


async def mark_defaults_applied(
    session: AsyncSession, tenant_id: uuid.UUID, at: dt.datetime | None = None
) -> None:
    await session.execute(
        sa.update(directory)
        .where(directory.c.tenant_id == tenant_id)
        .values(defaults_applied_at=at or dt.datetime.now(dt.UTC))
    )


async def set_active(session: AsyncSession, tenant_id: uuid.UUID, active: bool) -> None:
    await session.execute(
        sa.update(directory).where(directory.c.tenant_id == tenant_id).values(active=active)
    )


class DirectoryFiller:
    """Lazy fill: make sure a tenant seen in a call or an event is in the directory.

    The insert runs in its own short transaction before the caller's unit of
    work, so a call that fails does not take the directory row with it. A
    failure here is logged and does not fail the call (the next call retries).
    """

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self.sessionmaker = sessionmaker
        self.known: set[uuid.UUID] = set()
        self.inserted = 0

    async def ensure(self, tenant_id: uuid.UUID) -> None:
        if tenant_id in self.known:
            return
        try:
            async with self.sessionmaker() as session, session.begin():
                if await ensure_tenant(session, tenant_id):
                    self.inserted += 1
                    _log.info("tenant added to the directory", extra={"tenant": str(tenant_id)})
        except Exception as exc:  # the directory must never fail a business call
            _log.warning(
                "tenant directory fill failed", extra={"tenant": str(tenant_id), "error": repr(exc)}
            )
            return
        self.known.add(tenant_id)


def tenant_from_event(payload, fallback_tenant: uuid.UUID) -> TenantInfo:
    """A :class:`TenantInfo` from a ``TenantCreated`` message; bad fields fall back to defaults."""
    try:
        tenant_id = uuid.UUID(payload.tenant_id) if payload.tenant_id else fallback_tenant
    except ValueError:
        tenant_id = fallback_tenant
    time_zone = payload.time_zone if valid_time_zone(payload.time_zone) else DEFAULT_TIME_ZONE
    created_at = (
        payload.created_at.ToDatetime(tzinfo=dt.UTC) if payload.HasField("created_at") else None
    )
    return TenantInfo(
        tenant_id=tenant_id,
        name=payload.name[:200],
        slug=payload.slug[:100] or None,
        time_zone=time_zone,
        locale=(payload.locale or DEFAULT_LOCALE)[:16],
        currency=(payload.currency or DEFAULT_CURRENCY)[:3].upper(),
        created_at=created_at,
    )


async def apply_tenant_created(
    session: AsyncSession, info: TenantInfo, defaults: TenantDefaults | None
) -> None:
    """Directory row, the service's defaults, and the stamp: one transaction."""
    await upsert_tenant(session, info)
    if defaults is not None:
        await defaults(session, info)
    await mark_defaults_applied(session, info.tenant_id)


def tenant_subscription(defaults: TenantDefaults | None = None) -> Subscription:
    """The ``tenant.created`` subscription every service's consumer gets from ServiceApp."""
    from crm.events.gateway.v1 import tenant_events_pb2 as tev
    from crm_common.kafka.consumer import PoisonMessage, Subscription

    async def on_tenant_created(session: AsyncSession, event: Event) -> None:
        info = tenant_from_event(event.payload, event.tenant_id)
        if info.tenant_id != event.tenant_id:
            # The unit of work is bound to the header's tenant (RLS): they must agree.
            raise PoisonMessage(
                f"tenant.created for {info.tenant_id} carried tenant header {event.tenant_id}"
            )
        await apply_tenant_created(session, info, defaults)

    return Subscription(
        topic=TENANT_TOPIC,
        event_type=TENANT_CREATED,
        message=tev.TenantCreated,
        handler=on_tenant_created,
    )
