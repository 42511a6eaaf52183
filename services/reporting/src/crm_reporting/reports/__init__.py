"""Canned reports R2-R6 over the fact tables and the campaign costs R2 needs.

See docs/reporting.md, section "Reports (R2-R6)".
"""
