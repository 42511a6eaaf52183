"""One row per won deal billing was told of: the order it opened, or the wait for its party.

The row makes the hand-off idempotent on the deal (a second ``deal.won`` of the same deal,
whatever its event id, opens nothing) and holds a won deal whose party billing cannot name
yet ("parked") until ``customer.created`` of that party releases it. See
docs/adr/billing-0006-won-deal-parked-until-its-customer.md.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import BigInteger, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from crm_billing.models import Base
from crm_common.db import TenantMixin


class WonDealStatus(enum.StrEnum):
    PARKED = "parked"
    ORDERED = "ordered"


class WonDeal(TenantMixin, Base):
    __tablename__ = "won_deals"

    deal_id: Mapped[uuid.UUID]
    party_id: Mapped[uuid.UUID]
    lead_id: Mapped[uuid.UUID | None]
    title: Mapped[str] = mapped_column(String(300))
    account_name: Mapped[str | None] = mapped_column(String(200))
    amount_agorot: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))
    order_id: Mapped[uuid.UUID | None]
    won_at: Mapped[dt.datetime | None]
    received_at: Mapped[dt.datetime]
    ordered_at: Mapped[dt.datetime | None]

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "deal_id"),)
