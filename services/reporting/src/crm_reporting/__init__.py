"""Reporting service: reports answered from its own tables, kept from the other services' events."""
