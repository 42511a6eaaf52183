"""Campaigns (M3) and notices (M6)."""
