"""Contacts' periodic jobs, run per tenant by ``crm-contacts schedule``.

* ``birthdays`` (C8): daily at 06:00 in the tenant's time zone, the same
  function as the EmitBirthdays RPC: one BirthdayDue per contact whose birthday
  or anniversary is today there (greetings_sent makes a second run a no-op).
* ``sla-check`` (T3): every 5 minutes, the same function as the CheckSla RPC:
  open tasks past their standard time are marked and TaskSlaBreached emitted.
* ``import-events`` (R1, C9): every 2 minutes, finishes the ``contacts.changed`` events of
  imports whose background writer died (crash, restart) — chunk by chunk, safe beside a live
  writer (ADR contacts-0005).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.scheduler import Daily, Every, Job
from crm_common.tenants import TenantInfo
from crm_contacts.card import transfer
from crm_contacts.importer import service as importer
from crm_contacts.tasks import service as tasks

BIRTHDAYS_AT = dt.time(6, 0)
SLA_EVERY_MINUTES = 5
IMPORT_EVENTS_EVERY_MINUTES = 2


async def birthdays(session: AsyncSession, tenant: TenantInfo, now: dt.datetime) -> str:
    n = await transfer.emit_birthdays(
        session, tenant.tenant_id, now=now, time_zone=tenant.time_zone
    )
    return f"emitted={n}"


async def sla_check(session: AsyncSession, tenant: TenantInfo, now: dt.datetime) -> str:
    n = await tasks.check_sla(session, tenant.tenant_id, now=now)
    return f"breached={n}"


async def import_events(session: AsyncSession, tenant: TenantInfo, now: dt.datetime) -> str:
    n = await importer.resume_pending_events(session.bind, tenant.tenant_id)
    return f"events={n}"


def jobs() -> list[Job]:
    return [
        Job("birthdays", Daily(BIRTHDAYS_AT), birthdays, "C8 BirthdayDue per contact"),
        Job("sla-check", Every(SLA_EVERY_MINUTES), sla_check, "T3 TaskSlaBreached"),
        Job(
            "import-events",
            Every(IMPORT_EVENTS_EVERY_MINUTES),
            import_events,
            "R1 contacts.changed left pending by an import",
        ),
    ]
