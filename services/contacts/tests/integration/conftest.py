"""An in-process contacts gRPC server on a real, migrated PostgreSQL (one per module)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

import crm_contacts
from crm.contacts.v1 import card_service_pb2_grpc, tasks_service_pb2_grpc
from crm_contacts.api.servicer import SERVICE_NAMES, register
from crm_contacts.settings import ContactsSettings
from crm_devstack.testing import migrated_database, serve_in_process

MIGRATIONS = Path(crm_contacts.__file__).parent / "migrations"


@dataclass
class Contacts:
    card: card_service_pb2_grpc.CardServiceStub
    tasks: tasks_service_pb2_grpc.TasksServiceStub
    sessionmaker: async_sessionmaker
    url: str


@pytest.fixture(scope="module")
async def contacts(make_database, request):
    name = f"contacts_{request.module.__name__.rsplit('.', 1)[-1].removeprefix('test_')}"
    url = migrated_database(make_database, name[:60], MIGRATIONS)
    async with serve_in_process(ContactsSettings, register, SERVICE_NAMES, url=url) as srv:
        yield Contacts(
            card=card_service_pb2_grpc.CardServiceStub(srv.channel),
            tasks=tasks_service_pb2_grpc.TasksServiceStub(srv.channel),
            sessionmaker=srv.sessionmaker,
            url=url,
        )


@dataclass
class Caller:
    tenant: uuid.UUID
    user: uuid.UUID

    @property
    def md(self) -> tuple[tuple[str, str], ...]:
        return (("x-tenant-id", str(self.tenant)), ("x-user-id", str(self.user)))

    def as_user(self, user: uuid.UUID) -> Caller:
        return Caller(self.tenant, user)


@pytest.fixture
def caller() -> Caller:
    """A fresh tenant and user per test: tests never see each other's rows."""
    return Caller(uuid.uuid4(), uuid.uuid4())
