"""Consent (M5): opt-in / opt-out per address, channel and purpose, enforced on every send."""
