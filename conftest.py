"""Root pytest configuration: real PostgreSQL and broker fixtures for every test tree."""

pytest_plugins = ["crm_devstack.testing"]
