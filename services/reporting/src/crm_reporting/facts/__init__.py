"""Reporting's analytical tables (facts and dimensions) and the event handlers that fill them."""
