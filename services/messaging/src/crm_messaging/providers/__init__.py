"""Provider adapters: one interface per concern, one real wire format per channel.

Each adapter speaks its provider's real wire format over HTTP (or SMTP). Tests,
the bench and local development point them at :mod:`.simulator`, a real HTTP
server that speaks the same formats.
"""
