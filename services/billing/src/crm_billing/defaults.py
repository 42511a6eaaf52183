"""Billing's defaults for a new tenant (A2), run on ``tenant.created`` by the consumer.

The VAT table is global data, so the only default is a business profile
placeholder with the tenant's name (documents print the business's name); it
is written only when the tenant has no profile, never over one.
"""

from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_billing.catalog.models import BusinessProfile
from crm_common.tenants import TenantInfo


async def tenant_defaults(session: AsyncSession, tenant: TenantInfo) -> None:
    if not tenant.name.strip():
        return
    await session.execute(
        pg_insert(BusinessProfile)
        .values(tenant_id=tenant.tenant_id, name=tenant.name.strip()[:200])
        .on_conflict_do_nothing(index_elements=["tenant_id"])
    )
