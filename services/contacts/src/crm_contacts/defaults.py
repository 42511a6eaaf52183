"""Contacts' defaults for a new tenant (A2), run on ``tenant.created`` by the consumer.

A few task types with a standard time (T3) so a new tenant can open tasks with
an SLA at once. Each is created only when the tenant has no type with that
key, so running this again (or after the admin edited them) changes nothing.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.tenants import TenantInfo
from crm_contacts.tasks import service as tasks

# key, Hebrew name, standard time in minutes (T3).
DEFAULT_TASK_TYPES = (
    ("return_call", "חזרה לשיחה", 4 * 60),
    ("service_request", "טיפול בפנייה", 24 * 60),
    ("follow_up", "מעקב", 2 * 24 * 60),
)


async def tenant_defaults(session: AsyncSession, tenant: TenantInfo) -> None:
    for key, name, sla_minutes in DEFAULT_TASK_TYPES:
        if await tasks.task_type_by_key(session, tenant.tenant_id, key) is None:
            await tasks.create_task_type(
                session, tenant.tenant_id, key=key, name=name, sla_minutes=sla_minutes
            )
