"""Billing's periodic jobs, run per tenant by ``crm-billing schedule``.

* ``due-charges`` (B4): daily at 07:00 in the tenant's time zone, the same
  function as the RunDueCharges RPC with the tenant-local date: charges the
  card schedules due that day and the failed charges whose retry day it is
  (``RETRY_AFTER_DAYS``); the provider's webhook settles them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.ext.asyncio import AsyncSession

from crm_billing.payments import schedules
from crm_common.scheduler import Daily, Job
from crm_common.tenants import TenantInfo

DUE_CHARGES_AT = dt.time(7, 0)


async def due_charges(session: AsyncSession, tenant: TenantInfo, now: dt.datetime) -> str:
    today = now.astimezone(tenant.zone).date()
    charges = await schedules.run_due_charges(
        session=session, tenant_id=tenant.tenant_id, today=today
    )
    return f"charges={len(charges)}"


def jobs() -> list[Job]:
    return [Job("due-charges", Daily(DUE_CHARGES_AT), due_charges, "B4 recurring card charges")]
