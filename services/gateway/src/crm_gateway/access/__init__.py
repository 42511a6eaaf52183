"""Authorisation: roles as data, grants, route permissions, field rules."""
