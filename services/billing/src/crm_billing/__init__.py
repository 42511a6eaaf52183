"""Billing service: quotes, orders, invoices, payments and collections."""
