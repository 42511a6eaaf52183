"""Templates (M4): per tenant, channel, name and language, with ``{placeholder}`` fields."""
