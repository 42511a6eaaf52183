"""Wiring of the messaging service: settings, app, subscriptions, migrations (no database)."""

from __future__ import annotations

import io

import pytest
from alembic import command
from pydantic import ValidationError

from crm.events.billing.v1 import billing_events_pb2 as billing_ev
from crm.events.contacts.v1 import contact_events_pb2 as contact_ev
from crm.events.contacts.v1 import customer_events_pb2 as customer_ev
from crm.events.contacts.v1 import task_events_pb2 as task_ev
from crm_common.db.migrations import alembic_config
from crm_common.outbox import event_type_of
from crm_messaging.main import app
from crm_messaging.models import Base
from crm_messaging.settings import MessagingSettings


def test_foundation_settings_read_the_messaging_prefix(monkeypatch):
    monkeypatch.setenv("CRM_MESSAGING_DATABASE_URL", "postgres://u:p@db/crm_messaging")
    monkeypatch.setenv("CRM_MESSAGING_GRPC_PORT", "50054")
    settings = MessagingSettings()
    assert settings.database_url.get_secret_value() == "postgresql+asyncpg://u:p@db/crm_messaging"
    assert settings.grpc_port == 50054


def test_foundation_settings_fail_fast_without_a_database_url(monkeypatch):
    monkeypatch.delenv("CRM_MESSAGING_DATABASE_URL", raising=False)
    with pytest.raises(ValidationError, match="database_url"):
        MessagingSettings()


def test_foundation_app_serves_messaging_service():
    assert app.name == "messaging"
    assert app.consumer_group == "crm-messaging"
    assert app.grpc_service_names == ["crm.messaging.v1.MessagingService"]


def test_foundation_app_consumes_customer_created_and_the_notice_events():
    subs = app.subscriptions()
    assert [(s.topic, s.event_type, s.message) for s in subs] == [
        ("crm.contacts.customer", "customer.created", customer_ev.CustomerCreated),
        ("crm.contacts.contact", "birthday.due", contact_ev.BirthdayDue),
        ("crm.contacts.task", "task.created", task_ev.TaskCreated),
        ("crm.billing.order", "order.shipped", billing_ev.OrderShipped),
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
