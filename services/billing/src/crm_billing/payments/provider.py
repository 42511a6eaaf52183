"""The card provider this process uses: Stripe's wire format against the simulated provider.

``CRM_BILLING_STRIPE_API_KEY`` and ``CRM_BILLING_STRIPE_WEBHOOK_SECRET`` configure it;
without them the simulated provider is used with development secrets. A real
HTTP transport is a drop-in :data:`~crm_billing.payments.stripe.Transport`.
"""

from __future__ import annotations

import os

from crm_billing.payments.stripe import SimulatedStripe, StripeClient

DEV_WEBHOOK_SECRET = "whsec_simulated_development_only"
DEV_API_KEY = "sk_test_simulated"

_secret = os.environ.get("CRM_BILLING_STRIPE_WEBHOOK_SECRET", DEV_WEBHOOK_SECRET)
_simulated = SimulatedStripe(webhook_secret=_secret)
_client = StripeClient(
    api_key=os.environ.get("CRM_BILLING_STRIPE_API_KEY", DEV_API_KEY), transport=_simulated
)


def card_provider() -> StripeClient:
    return _client


def webhook_secret() -> str:
    return _secret


def simulated() -> SimulatedStripe:
    return _simulated


def use_card_provider(client: StripeClient, secret: str) -> tuple[StripeClient, str]:
    global _client, _secret
    previous = (_client, _secret)
    _client, _secret = client, secret
    return previous
