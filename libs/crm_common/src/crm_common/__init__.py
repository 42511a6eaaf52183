"""Shared plumbing of the CRM services. Infrastructure only: no domain models."""
