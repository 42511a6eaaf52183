"""A leads gRPC server on its own migrated database per test module, and a per-tenant client."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select

import crm_leads
from crm.leads.v1 import leads_service_pb2 as pb
from crm.leads.v1 import leads_service_pb2_grpc as pb_grpc
from crm_common.db import unit_of_work
from crm_common.plumbing import outbox_table
from crm_devstack.testing import migrated_database, serve_in_process
from crm_leads.api.servicer import SERVICE_NAMES, register
from crm_leads.settings import LeadsSettings

MIGRATIONS = Path(crm_leads.__file__).parent / "migrations"
NIL = uuid.UUID(int=0)


@dataclass
class Server:
    url: str
    stub: pb_grpc.LeadsServiceStub
    sessionmaker: object

    def tenant(self, user: uuid.UUID | None = None) -> Tenant:
        return Tenant(self, uuid.uuid4(), user or uuid.uuid4())

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
    user: uuid.UUID
    extra: dict = field(default_factory=dict)

    def md(self, user: uuid.UUID | None = None) -> tuple[tuple[str, str], ...]:
        return (("x-tenant-id", str(self.id)), ("x-user-id", str(user or self.user)))

    def __getattr__(self, rpc: str):
        method = getattr(self.server.stub, rpc)

        async def call(request, user: uuid.UUID | None = None):
            return await method(request, metadata=self.md(user), timeout=10)

        return call

    async def lead(self, **kw) -> pb.CreateLeadResponse:
        kw.setdefault("name", "ליד")
        kw.setdefault("source", "web")
        if "phone" not in kw and "email" not in kw:
            kw["email"] = f"{uuid.uuid4().hex[:10]}@example.co.il"
        return await self.CreateLead(pb.CreateLeadRequest(**kw))


@pytest.fixture(scope="module")
async def server(make_database, request) -> Server:
    name = "leads_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    url = migrated_database(make_database, name[:40], MIGRATIONS)
    async with serve_in_process(
        LeadsSettings, register, SERVICE_NAMES, url=url, pool_size=20
    ) as srv:
        yield Server(url, pb_grpc.LeadsServiceStub(srv.channel), srv.sessionmaker)
