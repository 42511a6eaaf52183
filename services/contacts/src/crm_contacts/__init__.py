"""Contacts service: customers (made from converted leads) and the customer card."""
