"""Provider webhooks, already verified by the gateway (signature + timestamp window),
stored once: the receipt key of a delivery is its primary key, so a replay is refused.
"""
