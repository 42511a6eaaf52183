"""B4: payments by every method, the card provider adapter and its webhooks."""
