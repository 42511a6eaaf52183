"""The embedded default: one command runs the whole CRM on one machine.

Used by ``make up`` and by the end-to-end tests, so both take the same path.
"""
