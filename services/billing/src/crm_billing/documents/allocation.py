"""Allocation numbers (מספר הקצאה) of the Tax Authority's "Invoices Israel" model.

A B2B tax invoice (or a credit note, which corrects one) whose amount before VAT
exceeds the threshold in force on its issue date needs a number from the Tax
Authority before it is issued. The
thresholds are rows of ``allocation_thresholds`` (data). The authority is
reached through :class:`AllocationAuthority`; :class:`SimulatedAuthority`
stands in for it in development and tests, with the refusals the real one
gives (an invalid customer VAT id, the authority unavailable).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Protocol

from crm_billing.documents.tax import valid_israeli_id


@dataclass(frozen=True, slots=True)
class AllocationRequest:
    tenant_id: uuid.UUID
    supplier_tax_id: str
    customer_tax_id: str
    document_id: uuid.UUID
    issue_date: dt.date
    subtotal_agorot: int
    vat_agorot: int
    # tax_invoice, invoice_receipt or credit_note; a credit note names the allocation
    # number of the invoice it corrects (empty when that invoice had none).
    document_type: str = "tax_invoice"
    base_allocation_number: str = ""


class AllocationRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class AllocationAuthority(Protocol):
    async def allocate(self, request: AllocationRequest) -> str: ...


class SimulatedAuthority:
    """Deterministic: a 9-digit number from the request; refuses what the real one refuses."""

    def __init__(self, *, available: bool = True) -> None:
        self.available = available
        self.requests: list[AllocationRequest] = []

    async def allocate(self, request: AllocationRequest) -> str:
        self.requests.append(request)
        if not self.available:
            raise AllocationRefused("the Tax Authority is not available; try again later")
        if not valid_israeli_id(request.customer_tax_id):
            raise AllocationRefused(
                f"customer VAT id {request.customer_tax_id} is not a valid Israeli number"
            )
        digest = hashlib.sha256(request.document_id.bytes).hexdigest()
        return str(int(digest[:12], 16) % 900_000_000 + 100_000_000)


_authority: AllocationAuthority = SimulatedAuthority()


def authority() -> AllocationAuthority:
    return _authority


def use_authority(value: AllocationAuthority) -> AllocationAuthority:
    """Swap the adapter (tests, or a real client at start-up); returns the previous one."""
    global _authority
    previous, _authority = _authority, value
    return previous
