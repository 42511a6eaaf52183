"""Leads' defaults for a new tenant (A2), run on ``tenant.created`` by the consumer.

The default Israeli sales pipeline (Hebrew stages) and the default lost
reasons, made by the same service functions the API uses: both only create
when the tenant has none, so running this again changes nothing.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.tenants import TenantInfo
from crm_leads.pipeline import service as pipelines


async def tenant_defaults(session: AsyncSession, tenant: TenantInfo) -> None:
    await pipelines.list_pipelines(session, tenant.tenant_id)
    await pipelines.list_lost_reasons(session, tenant.tenant_id)
