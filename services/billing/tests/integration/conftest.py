"""A billing gRPC server on its own migrated database per test module, and a per-tenant client."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

import crm_billing
from crm.billing.v1 import billing_service_pb2 as pb
from crm.billing.v1 import billing_service_pb2_grpc as pb_grpc
from crm_billing.api.servicer import SERVICE_NAMES, register
from crm_billing.settings import BillingSettings
from crm_common.db import unit_of_work
from crm_common.plumbing import outbox_table
from crm_devstack.testing import migrated_database, serve_in_process

MIGRATIONS = Path(crm_billing.__file__).parent / "migrations"


@dataclass
class Server:
    url: str
    stub: pb_grpc.BillingServiceStub
    sessionmaker: object

    def tenant(self) -> Tenant:
        return Tenant(self, uuid.uuid4())

    async def events(self, tenant_id: uuid.UUID, type_: str | None = None) -> list:
        async with unit_of_work(self.sessionmaker) as s:
            stmt = select(outbox_table).where(outbox_table.c.tenant_id == tenant_id)
            if type_:
                stmt = stmt.where(outbox_table.c.type == type_)
            return list((await s.execute(stmt.order_by(outbox_table.c.id))).all())


@dataclass
class Tenant:
    server: Server
    id: uuid.UUID

    def md(self) -> tuple[tuple[str, str], ...]:
        return (("x-tenant-id", str(self.id)), ("x-user-id", str(uuid.uuid4())))

    def __getattr__(self, rpc: str):
        method = getattr(self.server.stub, rpc)

        async def call(request):
            return await method(request, metadata=self.md(), timeout=30)

        return call

    async def product(self, sku: str, price: int, vat=pb.VAT_CATEGORY_STANDARD, **kw):
        kw.setdefault("name_he", f"מוצר {sku}")
        kw.setdefault("unit", "יח'")
        resp = await self.CreateProduct(
            pb.CreateProductRequest(sku=sku, price_agorot=price, vat_category=vat, **kw)
        )
        return resp.product

    async def issue(self, type_, **kw) -> pb.Document:
        kw.setdefault("customer_name", 'לקוח בע"מ')
        if "party_id" not in kw and "base_document_id" not in kw:
            kw["party_id"] = str(uuid.uuid4())
        return (await self.IssueDocument(pb.IssueDocumentRequest(type=type_, **kw))).document


@pytest.fixture(scope="module")
async def server(make_database, request) -> Server:
    name = "billing_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    url = migrated_database(make_database, name[:40], MIGRATIONS)
    async with serve_in_process(
        BillingSettings, register, SERVICE_NAMES, url=url, pool_size=30
    ) as srv:
        yield Server(url, pb_grpc.BillingServiceStub(srv.channel), srv.sessionmaker)
