"""Wiring of the contacts service: settings, app, subscriptions, migrations (no database)."""

from __future__ import annotations

import io

import pytest
from alembic import command
from pydantic import ValidationError

from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm_common.db.migrations import alembic_config
from crm_common.outbox import event_type_of
from crm_contacts.main import app
from crm_contacts.models import Base
from crm_contacts.settings import ContactsSettings


def test_foundation_settings_read_the_contacts_prefix(monkeypatch):
    monkeypatch.setenv("CRM_CONTACTS_DATABASE_URL", "postgres://u:p@db/crm_contacts")
    monkeypatch.setenv("CRM_CONTACTS_GRPC_PORT", "50052")
    settings = ContactsSettings()
    assert settings.database_url.get_secret_value() == "postgresql+asyncpg://u:p@db/crm_contacts"
    assert settings.grpc_port == 50052


def test_foundation_settings_fail_fast_without_a_database_url(monkeypatch):
    monkeypatch.delenv("CRM_CONTACTS_DATABASE_URL", raising=False)
    with pytest.raises(ValidationError, match="database_url"):
        ContactsSettings()


def test_foundation_app_serves_contacts_service():
    assert app.name == "contacts"
    assert app.consumer_group == "crm-contacts"
    assert app.grpc_service_names == [
        "crm.contacts.v1.ContactsService",
        "crm.contacts.v1.CardService",
        "crm.contacts.v1.TasksService",
    ]


def test_l5_c4_app_consumes_lead_converted_and_every_timeline_feed():
    subs = app.subscriptions()
    routes = {(s.topic, s.event_type): s.message for s in subs}
    assert routes[("crm.leads.lead", "lead.converted")] is lead_ev.LeadConverted
    assert ("crm.leads.deal", "deal.won") in routes
    assert ("crm.billing.invoice", "invoice.issued") in routes
    assert ("crm.messaging.call", "call.ended") in routes
    assert len(routes) == len(subs)  # one handler per (topic, event type)
    for sub in subs:
        assert event_type_of(sub.message()) == sub.event_type


def test_foundation_migrations_create_every_table_with_row_level_security():
    cfg = alembic_config(url="postgresql+asyncpg://offline/db", script_location=app.migrations)
    cfg.output_buffer = out = io.StringIO()
    command.upgrade(cfg, "head", sql=True)
    sql = out.getvalue()
    assert "CREATE TABLE outbox" in sql
    assert "CREATE TABLE inbox" in sql
    assert Base.metadata.tables, "the models are not registered"
    for table in Base.metadata.tables:
        assert f"CREATE TABLE {table} " in sql
        assert f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY" in sql
