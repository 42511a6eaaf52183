"""Template use cases. They flush; the edge commits."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.errors import NotFound, Validator
from crm_messaging.messages.models import CHANNELS
from crm_messaging.parties.models import Party
from crm_messaging.templates.models import Template
from crm_messaging.templates.render import Rendered, placeholders, render
from crm_messaging.templates.repository import TemplateRepository

LANGUAGES = ("he", "en")
MARKETING_MARK = "פרסומת"


async def put_template(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    name: str,
    channel: str,
    language: str,
    subject: str,
    text: str,
    html: str,
    provider_template: str | None,
) -> Template:
    v = Validator()
    name = name.strip()
    if not name or len(name) > 100:
        v.add("template.name", "required, at most 100 characters")
    if channel not in CHANNELS:
        v.add("template.channel", f"must be one of {', '.join(CHANNELS)}")
    if language not in LANGUAGES:
        v.add("template.language", "must be 'he' or 'en'")
    if not text.strip():
        v.add("template.text", "required")
    if channel == "email" and not subject.strip():
        v.add("template.subject", "required for email")
    v.raise_if_any("the template is not valid")
    return await TemplateRepository(session).put(
        tenant_id=tenant_id,
        channel=channel,
        name=name,
        language=language,
        subject=subject,
        text=text,
        html=html,
        provider_template=provider_template or None,
    )


async def get_template(
    *, session: AsyncSession, tenant_id: uuid.UUID, channel: str, name: str, language: str
) -> Template:
    template = await TemplateRepository(session).get(
        tenant_id=tenant_id, channel=channel, name=name, language=language or "he"
    )
    if template is None:
        raise NotFound(f"no {channel} template {name!r} in language {language or 'he'!r}")
    return template


def template_values(party: Party | None, variables: Mapping[str, str]) -> dict[str, str]:
    """Contact fields, then the caller's dynamic fields (account.*, anything else) on top."""
    values: dict[str, str] = {}
    if party is not None:
        first = party.name.split()[0] if party.name.split() else party.name
        values |= {
            "name": party.name,
            "first_name": first,
            "contact.name": party.name,
            "contact.first_name": first,
            "contact.phone": party.phone or "",
            "contact.email": party.email or "",
        }
    values |= {k: v for k, v in variables.items() if v is not None}
    return values


def render_template(
    template: Template, party: Party | None, variables: Mapping[str, str]
) -> Rendered:
    return render(
        subject=template.subject,
        text=template.text,
        html=template.html,
        values=template_values(party, variables),
        template_name=template.name,
    )


def template_placeholders(template: Template) -> list[str]:
    return placeholders(template.subject, template.text, template.html)
