"""Every query of the templates module."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.audit import record_upsert
from crm_messaging.templates.models import Template


class TemplateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, *, tenant_id: uuid.UUID, channel: str, name: str, language: str
    ) -> Template | None:
        stmt = select(Template).where(
            Template.tenant_id == tenant_id,
            Template.channel == channel,
            Template.name == name,
            Template.language == language,
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def put(self, **values) -> Template:
        stmt = pg_insert(Template).values(**values, updated_at=func.now())
        stmt = stmt.on_conflict_do_update(
            index_elements=["tenant_id", "channel", "name", "language"],
            set_={
                c: stmt.excluded[c]
                for c in ("subject", "text", "html", "provider_template", "updated_at")
            },
        ).returning(Template)
        result = await self.session.execute(stmt, execution_options={"populate_existing": True})
        row = result.scalar_one()
        key = f"{row.channel}:{row.name}:{row.language}"
        await record_upsert(self.session, Template, key, values, tenant_id=row.tenant_id)  # A5
        return row
