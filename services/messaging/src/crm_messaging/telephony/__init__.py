"""Telephony (M2): call records from PBX webhooks, click-to-call, screen-pop, auto-dialer."""
