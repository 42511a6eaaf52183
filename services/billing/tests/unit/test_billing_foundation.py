"""Wiring of the billing service: settings, app, subscriptions, migrations (no database)."""

from __future__ import annotations

import io

import pytest
from alembic import command
from pydantic import ValidationError

from crm.events.contacts.v1 import customer_events_pb2 as customer_ev
from crm.events.leads.v1 import deal_events_pb2 as deal_ev
from crm_billing.main import app
from crm_billing.models import Base
from crm_billing.settings import BillingSettings
from crm_common.db.migrations import alembic_config
from crm_common.outbox import event_type_of


def test_foundation_settings_read_the_billing_prefix(monkeypatch):
    monkeypatch.setenv("CRM_BILLING_DATABASE_URL", "postgres://u:p@db/crm_billing")
    monkeypatch.setenv("CRM_BILLING_GRPC_PORT", "50053")
    settings = BillingSettings()
    assert settings.database_url.get_secret_value() == "postgresql+asyncpg://u:p@db/crm_billing"
    assert settings.grpc_port == 50053


def test_foundation_settings_fail_fast_without_a_database_url(monkeypatch):
    monkeypatch.delenv("CRM_BILLING_DATABASE_URL", raising=False)
    with pytest.raises(ValidationError, match="database_url"):
        BillingSettings()


def test_foundation_app_serves_billing_service():
    assert app.name == "billing"
    assert app.consumer_group == "crm-billing"
    assert app.grpc_service_names == ["crm.billing.v1.BillingService"]


def test_foundation_app_consumes_customer_created_and_deal_won():
    subs = app.subscriptions()
    assert [(s.topic, s.event_type, s.message) for s in subs] == [
        ("crm.contacts.customer", "customer.created", customer_ev.CustomerCreated),
        ("crm.leads.deal", "deal.won", deal_ev.DealWon),
    ]
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
