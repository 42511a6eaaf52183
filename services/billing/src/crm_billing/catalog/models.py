from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, PrimaryKeyConstraint, String, func
from sqlalchemy.orm import Mapped, mapped_column

from crm_billing.models import Base
from crm_common.db import TenantMixin, UUIDPrimaryKeyMixin


class VatCategory(StrEnum):
    STANDARD = "standard"
    EXEMPT = "exempt"
    ZERO_RATED = "zero_rated"


class BusinessProfile(TenantMixin, Base):
    __tablename__ = "business_profiles"
    __table_args__ = (PrimaryKeyConstraint("tenant_id"),)

    name: Mapped[str] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(320))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)


class Product(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(64))
    name_he: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(20))
    price_agorot: Mapped[int] = mapped_column(BigInteger)
    vat_category: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class PriceList(UUIDPrimaryKeyMixin, TenantMixin, Base):
    __tablename__ = "price_lists"

    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.now())


class PriceListItem(TenantMixin, Base):
    __tablename__ = "price_list_items"
    __table_args__ = (PrimaryKeyConstraint("price_list_id", "product_id"),)

    price_list_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("price_lists.id"))
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    price_agorot: Mapped[int] = mapped_column(BigInteger)


class CustomerTerms(TenantMixin, Base):
    __tablename__ = "customer_terms"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "party_id"),)

    party_id: Mapped[uuid.UUID]
    price_list_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("price_lists.id"))
    discount_bp: Mapped[int] = mapped_column(default=0)


class CustomerPrice(TenantMixin, Base):
    __tablename__ = "customer_prices"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "party_id", "product_id"),)

    party_id: Mapped[uuid.UUID]
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"))
    price_agorot: Mapped[int] = mapped_column(BigInteger)
