from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import BigInteger, Boolean, Enum, Index, Integer, String, Text, Uuid, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.db import TenantMixin, TimestampMixin, UUIDPrimaryKeyMixin, uuid7
from crm_leads.models import Base


class LeadStatus(enum.StrEnum):
    NEW = "new"
    CONVERTED = "converted"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    MERGED = "merged"


# Leads a rep is still working: counted for least-open routing and matched for duplicates.
OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.QUALIFIED)


class Lead(UUIDPrimaryKeyMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "leads"
    __owner_column__ = "owner_id"  # record scope (crm_common.scope)
    # Unassigned leads are the reps' shared queue: read by own/team scopes, changed only by a
    # claim (AssignLead to oneself or one's team). docs/adr/leads-0007.
    __unowned_visible__ = True

    party_id: Mapped[uuid.UUID] = mapped_column(default=uuid7, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    company_name: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(50))
    campaign: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[LeadStatus] = mapped_column(
        Enum(LeadStatus, name="lead_status", values_callable=lambda e: [m.value for m in e]),
        default=LeadStatus.NEW,
    )
    converted_at: Mapped[dt.datetime | None]
    owner_id: Mapped[uuid.UUID | None]
    team_id: Mapped[uuid.UUID | None]
    product_interest: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(20))
    utm_source: Mapped[str | None] = mapped_column(String(200))
    utm_medium: Mapped[str | None] = mapped_column(String(200))
    utm_campaign: Mapped[str | None] = mapped_column(String(200))
    utm_term: Mapped[str | None] = mapped_column(String(200))
    utm_content: Mapped[str | None] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20), default="api")
    merged_into_id: Mapped[uuid.UUID | None]
    disqualify_reason: Mapped[str | None] = mapped_column(String(200))
    routing_seq: Mapped[int | None] = mapped_column(BigInteger)
    duplicate_of_lead_id: Mapped[uuid.UUID | None]
    duplicate_of_party_id: Mapped[uuid.UUID | None]
    qualified_at: Mapped[dt.datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        Index("ix_leads_tenant_id_id", "tenant_id", "id"),
        Index("ix_leads_tenant_id_status_id", "tenant_id", "status", "id"),
        Index("ix_leads_tenant_id_phone", "tenant_id", "phone"),
        Index("ix_leads_tenant_id_email", "tenant_id", "email"),
        Index("ix_leads_tenant_id_owner_id_status", "tenant_id", "owner_id", "status"),
        Index("ix_leads_tenant_id_source_id", "tenant_id", "source", "id"),
        Index("ix_leads_tenant_id_created_at", "tenant_id", "created_at"),
    )


class LeadSource(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "lead_sources"

    code: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class LeadActivity(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "lead_activities"

    lead_id: Mapped[uuid.UUID]
    kind: Mapped[str] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[uuid.UUID | None]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class CaptureEndpoint(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "capture_endpoints"
    __audit_redact__ = ("secret",)

    kind: Mapped[str] = mapped_column(String(20))  # web_form | webhook
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(100), unique=True)
    secret: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(50))
    campaign: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class WebhookDelivery(TenantMixin, Base):
    """A verified inbound webhook's signature, kept for the timestamp window: a replay of the
    same signed delivery inside the window is refused (L1, ARCHITECTURE "webhooks")."""

    __tablename__ = "webhook_deliveries"
    __audit__ = False  # a replay guard, not a change of anyone's data

    endpoint_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    signature: Mapped[str] = mapped_column(String(128), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class LeadImport(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "lead_imports"

    filename: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20))
    columns: Mapped[list[str]] = mapped_column(JSONB)
    mapping: Mapped[dict[str, str]] = mapped_column(JSONB)
    rows: Mapped[list[list[str]]] = mapped_column(JSONB)
    default_source: Mapped[str] = mapped_column(String(50))
    total_rows: Mapped[int]
    processed_rows: Mapped[int] = mapped_column(default=0)
    imported_rows: Mapped[int] = mapped_column(default=0)
    failed_rows: Mapped[int] = mapped_column(default=0)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class SalesTeam(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "sales_teams"

    name: Mapped[str] = mapped_column(String(200))
    strategy: Mapped[str] = mapped_column(String(20))  # round_robin | least_open
    member_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()))
    rr_counter: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class RoutingRule(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "routing_rules"

    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(50))
    product_interest: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(20))
    team_id: Mapped[uuid.UUID | None]
    owner_id: Mapped[uuid.UUID | None]
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class KnownCustomer(Base):
    """Read model of the contacts service's customers (for duplicate checks)."""

    __tablename__ = "known_customers"
    __audit__ = False  # a copy of contacts' data, audited there

    tenant_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    party_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())
