"""Foundation: every gRPC service is wired the same way (settings, app, events, migrations).

One parametrised suite instead of a copy per service; what a service consumes is tested
in the service's own tests.
"""

from __future__ import annotations

import importlib
import io

import pytest
from alembic import command
from pydantic import ValidationError

from crm_common.db.migrations import alembic_config
from crm_common.outbox import event_type_of

SERVICES = ["leads", "contacts", "billing", "messaging", "reporting"]


def _load(service: str):
    main = importlib.import_module(f"crm_{service}.main")
    models = importlib.import_module(f"crm_{service}.models")
    settings_module = importlib.import_module(f"crm_{service}.settings")
    settings_cls = getattr(settings_module, f"{service.capitalize()}Settings")
    return main.app, models.Base, settings_cls


@pytest.mark.parametrize("service", SERVICES)
def test_foundation_settings_read_the_service_prefix(service, monkeypatch):
    _, _, settings_cls = _load(service)
    prefix = f"CRM_{service.upper()}_"
    monkeypatch.setenv(prefix + "DATABASE_URL", f"postgres://u:p@db/crm_{service}")
    monkeypatch.setenv(prefix + "GRPC_PORT", "50099")
    settings = settings_cls()
    assert settings.database_url.get_secret_value() == f"postgresql+asyncpg://u:p@db/crm_{service}"
    assert settings.grpc_port == 50099


@pytest.mark.parametrize("service", SERVICES)
def test_foundation_settings_fail_fast_without_a_database_url(service, monkeypatch):
    _, _, settings_cls = _load(service)
    monkeypatch.delenv(f"CRM_{service.upper()}_DATABASE_URL", raising=False)
    with pytest.raises(ValidationError, match="database_url"):
        settings_cls()


@pytest.mark.parametrize("service", SERVICES)
def test_foundation_app_names_its_grpc_services_and_consumer_group(service):
    app, _, _ = _load(service)
    assert app.name == service
    assert app.consumer_group == f"crm-{service}"
    assert app.grpc_service_names
    assert all(n.startswith(f"crm.{service}.v1.") for n in app.grpc_service_names)


@pytest.mark.parametrize("service", SERVICES)
def test_foundation_every_subscription_decodes_the_event_type_it_names(service):
    app, _, _ = _load(service)
    for sub in app.subscriptions():
        assert sub.topic.startswith("crm.")
        assert event_type_of(sub.message()) == sub.event_type, sub


@pytest.mark.parametrize("service", SERVICES)
def test_foundation_migrations_create_every_table_with_row_level_security(service):
    app, base, _ = _load(service)
    cfg = alembic_config(url="postgresql+asyncpg://offline/db", script_location=app.migrations)
    cfg.output_buffer = out = io.StringIO()
    command.upgrade(cfg, "head", sql=True)
    sql = out.getvalue()
    assert "CREATE TABLE outbox" in sql
    assert "CREATE TABLE inbox" in sql
    assert base.metadata.tables, "the models are not registered"
    for name, table in base.metadata.tables.items():
        assert "tenant_id" in table.c, f"{name} has no tenant_id"
        assert f"CREATE TABLE {name} " in sql
        assert f"ALTER TABLE {name} FORCE ROW LEVEL SECURITY" in sql, name


@pytest.mark.parametrize("service", SERVICES)
def test_a2_every_consumer_handles_tenant_created_and_jobs_are_well_formed(service):
    """A2: ServiceApp adds the standard tenant.created subscription to every service's
    consumer (directory + the service's defaults); C8/T3/B4: the jobs `schedule` runs."""
    from crm_common.scheduler import Scheduler

    app, _, _ = _load(service)
    subs = app.all_subscriptions()
    tenant = [s for s in subs if s.event_type == "tenant.created"]
    assert [s.topic for s in tenant] == ["crm.gateway.tenant"]
    assert event_type_of(tenant[0].message()) == "tenant.created"
    assert len(subs) == len(app.subscriptions()) + 1
    Scheduler(sessionmaker=None, jobs=app.jobs())  # unique names, valid schedules
    expected = {
        "contacts": {"birthdays", "sla-check", "import-events"},  # R1: resumes import events
        "billing": {"due-charges"},
        "reporting": {"report-schedules"},  # R7 e-mailed reports
    }
    assert {j.name for j in app.jobs()} == expected.get(service, set())
