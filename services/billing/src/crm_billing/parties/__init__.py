"""The local read model of parties (customers), kept from the contacts events.

Billing reads it instead of calling contacts, so its write path never waits on
another service. The messaging service keeps the same small model in its own
database: each service owns its data, so the copy is deliberate.
"""
