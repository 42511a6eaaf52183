"""A tenant's provider accounts: the secrets its webhooks are verified with, its sender ids."""
