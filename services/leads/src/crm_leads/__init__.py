"""Leads service: capture, routing, pipeline and conversion of leads."""
