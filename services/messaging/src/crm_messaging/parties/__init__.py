"""The local read model of parties (customers), kept from the contacts events.

Messaging reads it instead of calling contacts, so its write path never waits
on another service. The billing service keeps the same small model in its own
database: each service owns its data, so the copy is deliberate.
"""
