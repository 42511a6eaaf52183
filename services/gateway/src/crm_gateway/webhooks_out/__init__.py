"""Outbound webhooks (A3): subscriptions, signed deliveries, retries, replay, disabling."""
