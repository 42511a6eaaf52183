"""Foundation: the chart's configuration is the configuration the services read.

The embedded default starts the local processes from the chart's rendered
ConfigMaps (crm_devstack.chartenv); these tests make sure every key the chart
sets is a setting of that service, so the chart and the code cannot drift.
"""

from __future__ import annotations

import importlib

import pytest

from crm_devstack.chartenv import local_config_maps

SETTINGS = {
    "leads": "crm_leads.settings:LeadsSettings",
    "contacts": "crm_contacts.settings:ContactsSettings",
    "billing": "crm_billing.settings:BillingSettings",
    "messaging": "crm_messaging.settings:MessagingSettings",
    "reporting": "crm_reporting.settings:ReportingSettings",
    "gateway": "crm_gateway.settings:GatewaySettings",
}


def _settings_class(service: str):
    module, name = SETTINGS[service].split(":")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("service", sorted(SETTINGS))
def test_foundation_every_chart_key_is_a_setting_of_the_service(service):
    config = local_config_maps("127.0.0.1:9092")[service]
    assert config, f"the chart renders no ConfigMap data for {service}"
    cls = _settings_class(service)
    prefix = cls.model_config["env_prefix"]
    unknown = [k for k in config if k.removeprefix(prefix).lower() not in cls.model_fields]
    assert not unknown, f"{service}: chart sets keys the service does not read: {unknown}"
    assert all(k.startswith(prefix) for k in config)


def test_foundation_local_processes_get_the_local_broker_from_the_chart():
    config = local_config_maps("127.0.0.1:4242")
    for service in ("leads", "contacts", "billing", "messaging", "reporting"):
        assert config[service][f"CRM_{service.upper()}_KAFKA_BOOTSTRAP_SERVERS"] == "127.0.0.1:4242"
