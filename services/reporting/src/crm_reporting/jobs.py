"""Reporting's periodic jobs, run per tenant by ``crm-reporting schedule``.

* ``report-schedules`` (R7): every hour, e-mails the tenant's report schedules due on its
  local date (daily, weekly on the schedule's weekday, monthly on its day) once their
  local send hour has come, through messaging; the row's ``last_sent_on`` makes a second
  tick the same day send nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.scheduler import Every, Job
from crm_common.tenants import TenantInfo
from crm_reporting.schedules.service import Sender, send_due

REPORT_SCHEDULES_EVERY_MINUTES = 60


def report_schedules_job(send: Sender) -> Job:
    async def run(session: AsyncSession, tenant: TenantInfo, now: dt.datetime) -> str:
        counts = await send_due(session, tenant.tenant_id, now=now, zone=tenant.zone, send=send)
        return ",".join(f"{k}={v}" for k, v in counts.items())

    return Job(
        "report-schedules", Every(REPORT_SCHEDULES_EVERY_MINUTES), run, "R7 e-mailed reports"
    )


class _SenderFromSettings:
    """Messaging's client, made on the first send (settings are read in the scheduler)."""

    def __init__(self) -> None:
        self._sender = None

    async def __call__(self, tenant_id, out) -> None:
        if self._sender is None:
            from crm_reporting.schedules.messaging import MessagingSender
            from crm_reporting.settings import ReportingSettings

            settings = ReportingSettings()
            self._sender = MessagingSender(
                settings.messaging_addr, deadline_s=settings.messaging_deadline_s
            )
        await self._sender(tenant_id, out)


def jobs() -> list[Job]:
    return [report_schedules_job(_SenderFromSettings())]
