"""L8 hand-off: a won deal opens an order, also before billing has heard of the customer."""
