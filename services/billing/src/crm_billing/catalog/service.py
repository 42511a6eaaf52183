"""Price list use cases (B1). They flush; the edge commits."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from crm_billing.catalog.models import (
    BusinessProfile,
    CustomerPrice,
    CustomerTerms,
    PriceList,
    PriceListItem,
    Product,
    VatCategory,
)
from crm_common.audit import record_upsert
from crm_common.errors import AlreadyExists, NotFound, Validator

MAX_LOGO_BYTES = 512 * 1024


@dataclass(frozen=True, slots=True)
class ProductCreate:
    sku: str
    name_he: str
    name_en: str | None
    unit: str
    price_agorot: int
    vat_category: str

    def validate(self) -> None:
        v = Validator()
        if not self.sku.strip() or len(self.sku) > 64:
            v.add("sku", "is required, at most 64 characters")
        if not self.name_he.strip() or len(self.name_he) > 200:
            v.add("name_he", "is required, at most 200 characters")
        if self.name_en and len(self.name_en) > 200:
            v.add("name_en", "must be at most 200 characters")
        if not self.unit.strip() or len(self.unit) > 20:
            v.add("unit", "is required, at most 20 characters")
        if self.price_agorot < 0:
            v.add("price_agorot", "must not be negative")
        if self.vat_category not in set(VatCategory):
            v.add("vat_category", "must be standard, exempt or zero_rated")
        v.raise_if_any("the product is not valid")


async def set_business_profile(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    name: str,
    tax_id: str | None,
    address: str | None,
    phone: str | None,
    email: str | None,
    logo: bytes | None,
) -> None:
    v = Validator()
    if not name.strip() or len(name) > 200:
        v.add("name", "is required, at most 200 characters")
    if tax_id and (not tax_id.isdigit() or len(tax_id) > 9):
        v.add("tax_id", "must be up to 9 digits")
    if logo and len(logo) > MAX_LOGO_BYTES:
        v.add("logo", "must be at most 512 KiB")
    if logo and not (logo.startswith(b"\x89PNG") or logo.startswith(b"\xff\xd8")):
        v.add("logo", "must be a PNG or JPEG image")
    v.raise_if_any("the business profile is not valid")
    values = dict(name=name, tax_id=tax_id, address=address, phone=phone, email=email, logo=logo)
    stmt = pg_insert(BusinessProfile).values(tenant_id=tenant_id, **values)
    stmt = stmt.on_conflict_do_update(index_elements=["tenant_id"], set_=values)
    await session.execute(stmt)
    await record_upsert(session, BusinessProfile, tenant_id, values, tenant_id=tenant_id)  # A5


async def get_business_profile(
    *, session: AsyncSession, tenant_id: uuid.UUID
) -> BusinessProfile | None:
    return await session.get(BusinessProfile, tenant_id)


async def create_product(
    *, session: AsyncSession, tenant_id: uuid.UUID, data: ProductCreate
) -> Product:
    data.validate()
    product = Product(
        tenant_id=tenant_id,
        sku=data.sku.strip(),
        name_he=data.name_he.strip(),
        name_en=(data.name_en or "").strip() or None,
        unit=data.unit.strip(),
        price_agorot=data.price_agorot,
        vat_category=data.vat_category,
    )
    try:
        async with session.begin_nested():
            session.add(product)
            await session.flush()
    except IntegrityError:
        raise AlreadyExists(f"a product with SKU {data.sku} exists", reason="SKU_EXISTS") from None
    return product


async def list_products(*, session: AsyncSession, tenant_id: uuid.UUID) -> list[Product]:
    stmt = select(Product).where(Product.tenant_id == tenant_id).order_by(Product.sku)
    return list((await session.execute(stmt)).scalars())


async def get_product(
    *, session: AsyncSession, tenant_id: uuid.UUID, product_id: uuid.UUID
) -> Product | None:
    stmt = select(Product).where(Product.tenant_id == tenant_id, Product.id == product_id)
    return (await session.execute(stmt)).scalar_one_or_none()


async def _check_products(
    session: AsyncSession, tenant_id: uuid.UUID, ids: list[uuid.UUID], v: Validator, field: str
) -> None:
    if not ids:
        return
    stmt = select(Product.id).where(Product.tenant_id == tenant_id, Product.id.in_(ids))
    found = set((await session.execute(stmt)).scalars())
    for i, pid in enumerate(ids):
        if pid not in found:
            v.add(f"{field}[{i}].product_id", "no such product")


async def create_price_list(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    name: str,
    items: list[tuple[uuid.UUID, int]],
) -> PriceList:
    v = Validator()
    if not name.strip() or len(name) > 200:
        v.add("name", "is required, at most 200 characters")
    for i, (_, price) in enumerate(items):
        if price < 0:
            v.add(f"items[{i}].price_agorot", "must not be negative")
    await _check_products(session, tenant_id, [p for p, _ in items], v, "items")
    v.raise_if_any("the price list is not valid")
    price_list = PriceList(tenant_id=tenant_id, name=name.strip())
    session.add(price_list)
    await session.flush()
    for product_id, price in items:
        session.add(
            PriceListItem(
                tenant_id=tenant_id,
                price_list_id=price_list.id,
                product_id=product_id,
                price_agorot=price,
            )
        )
    await session.flush()
    return price_list


async def set_customer_terms(
    *,
    session: AsyncSession,
    tenant_id: uuid.UUID,
    party_id: uuid.UUID,
    price_list_id: uuid.UUID | None,
    discount_bp: int,
    prices: list[tuple[uuid.UUID, int]],
) -> None:
    v = Validator()
    if not 0 <= discount_bp <= 10_000:
        v.add("discount_bp", "must be between 0 and 10000")
    if price_list_id is not None:
        found = await session.execute(
            select(PriceList.id).where(
                PriceList.tenant_id == tenant_id, PriceList.id == price_list_id
            )
        )
        if found.scalar_one_or_none() is None:
            v.add("price_list_id", "no such price list")
    for i, (_, price) in enumerate(prices):
        if price < 0:
            v.add(f"prices[{i}].price_agorot", "must not be negative")
    await _check_products(session, tenant_id, [p for p, _ in prices], v, "prices")
    v.raise_if_any("the customer terms are not valid")
    stmt = pg_insert(CustomerTerms).values(
        tenant_id=tenant_id,
        party_id=party_id,
        price_list_id=price_list_id,
        discount_bp=discount_bp,
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["tenant_id", "party_id"],
        set_={"price_list_id": price_list_id, "discount_bp": discount_bp},
    )
    await session.execute(stmt)
    await record_upsert(  # A5; the customer prices below are ORM rows, audited on flush
        session,
        CustomerTerms,
        party_id,
        {"price_list_id": price_list_id, "discount_bp": discount_bp},
        tenant_id=tenant_id,
    )
    await session.execute(
        delete(CustomerPrice).where(
            CustomerPrice.tenant_id == tenant_id, CustomerPrice.party_id == party_id
        )
    )
    for product_id, price in prices:
        session.add(
            CustomerPrice(
                tenant_id=tenant_id,
                party_id=party_id,
                product_id=product_id,
                price_agorot=price,
            )
        )
    await session.flush()


async def resolve_price(
    *, session: AsyncSession, tenant_id: uuid.UUID, party_id: uuid.UUID, product: Product
) -> tuple[int, int]:
    """(unit price, discount bp) for this customer now.

    A price agreed with the customer wins and carries no further discount; else the
    customer's price list (or the product's own price) less the customer's discount.
    """
    own = await session.get(CustomerPrice, (tenant_id, party_id, product.id))
    if own is not None:
        return own.price_agorot, 0
    terms = await session.get(CustomerTerms, (tenant_id, party_id))
    price = product.price_agorot
    if terms is not None and terms.price_list_id is not None:
        item = await session.get(PriceListItem, (terms.price_list_id, product.id))
        if item is not None:
            price = item.price_agorot
    return price, terms.discount_bp if terms is not None else 0


async def require_product(
    *, session: AsyncSession, tenant_id: uuid.UUID, product_id: uuid.UUID
) -> Product:
    product = await get_product(session=session, tenant_id=tenant_id, product_id=product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    return product
