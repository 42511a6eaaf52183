"""Messaging on a real PostgreSQL: an in-process gRPC server, a real SMTP server
(aiosmtpd), the simulated HTTP provider, and a dispatcher driven pass by pass."""

from __future__ import annotations

import datetime as dt
import types
import uuid
from datetime import UTC
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

import crm_messaging
from crm.messaging.v1 import messaging_service_pb2_grpc as pb_grpc
from crm_common.db import unit_of_work
from crm_common.plumbing import outbox_table
from crm_devstack.testing import free_port, migrated_database, serve_in_process
from crm_messaging.api.servicer import SERVICE_NAMES, make_register
from crm_messaging.parties import service as parties
from crm_messaging.providers.simulator import ProviderSimulator
from crm_messaging.settings import MessagingSettings
from crm_messaging.upstreams import Upstreams
from crm_messaging.worker import Dispatcher, build_adapters

MIGRATIONS = Path(crm_messaging.__file__).parent / "migrations"


class Mailbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


@pytest.fixture(scope="module")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, mailbox
    controller.stop()


@pytest.fixture(scope="module")
async def simulator():
    sim = await ProviderSimulator().start()
    yield sim
    await sim.stop()


@pytest.fixture(scope="module")
def upstream_addrs() -> dict[str, object]:
    """Extra messaging settings (contacts_addr, billing_addr, ...); a test module that
    needs the upstream services overrides this fixture to start them."""
    return {}


@pytest.fixture(scope="module")
async def messaging(make_database, request, smtp_server, simulator, upstream_addrs):
    """(stub, sessionmaker, settings, dispatcher) on a fresh database per test module."""
    name = "msg_" + request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")[:40]
    url = migrated_database(make_database, name, MIGRATIONS)
    controller, _ = smtp_server
    port = free_port()
    settings = MessagingSettings(
        database_url=url,
        grpc_host="127.0.0.1",
        grpc_port=port,
        smtp_host="127.0.0.1",
        smtp_port=controller.port,
        email_from="העסק של דנה <office@dana.example>",
        public_base_url="https://crm.example",
        sms_api_url=simulator.url,
        sms_account_sid=simulator.account_sid,
        sms_auth_token=simulator.auth_token,
        whatsapp_api_url=simulator.url,
        whatsapp_access_token=simulator.access_token,
        pbx_api_url=simulator.url,
        worker_backoff_base_ms=1000,
        **upstream_addrs,
    )
    async with serve_in_process(settings, make_register(settings), SERVICE_NAMES) as srv:
        sessionmaker = srv.sessionmaker
        upstreams = Upstreams(settings) if upstream_addrs else None
        dispatcher = Dispatcher(
            settings=settings,
            sessionmaker=sessionmaker,
            adapters=build_adapters(settings),
            upstreams=upstreams,
        )
        yield pb_grpc.MessagingServiceStub(srv.channel), sessionmaker, settings, dispatcher
    for adapter in dispatcher.adapters.values():
        await adapter.close()
    if upstreams is not None:
        await upstreams.close()


def md(tenant: uuid.UUID) -> tuple[tuple[str, str], ...]:
    return (("x-tenant-id", str(tenant)), ("x-user-id", str(uuid.uuid4())))


async def outbox_events(sessionmaker, *, aggregate_id=None, tenant_id=None) -> list:
    async with unit_of_work(sessionmaker) as s:
        stmt = select(outbox_table).order_by(outbox_table.c.id)
        if aggregate_id is not None:
            stmt = stmt.where(outbox_table.c.aggregate_id == str(aggregate_id))
        if tenant_id is not None:
            stmt = stmt.where(outbox_table.c.tenant_id == tenant_id)
        return list((await s.execute(stmt)).all())


async def add_party(sessionmaker, tenant_id, *, name="דנה לוי", phone=None, email=None):
    party_id = uuid.uuid4()
    async with unit_of_work(sessionmaker, tenant_id=tenant_id) as s:
        await parties.record_party(
            session=s,
            tenant_id=tenant_id,
            party_id=party_id,
            name=name,
            phone=phone,
            email=email,
            updated_at=dt.datetime.now(UTC),
        )
    return party_id


def later(seconds: float) -> dt.datetime:
    return dt.datetime.now(UTC) + dt.timedelta(seconds=seconds)


@pytest.fixture
def h():
    """Helpers: outbox_events, add_party, later, md."""
    return types.SimpleNamespace(
        outbox_events=outbox_events, add_party=add_party, later=later, md=md
    )


@pytest.fixture(scope="module")
async def gateway(messaging):
    """The real gateway app (ASGI, in process) in front of the messaging server."""
    import json as _json

    import httpx

    from crm_gateway.app import create_app
    from crm_gateway.backends import Backends
    from crm_gateway.settings import GatewaySettings

    _, _, settings, _ = messaging
    tenant, user = uuid.uuid4(), uuid.uuid4()
    key = "test-key-" + uuid.uuid4().hex
    gw_settings = GatewaySettings(
        api_keys=_json.dumps({key: {"tenant_id": str(tenant), "user_id": str(user)}}),
        messaging_addr=f"127.0.0.1:{settings.grpc_port}",
    )
    app = create_app(gw_settings)
    app.state.backends = Backends(gw_settings)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://crm.example") as client:
        yield types.SimpleNamespace(
            client=client, tenant=tenant, auth={"Authorization": f"Bearer {key}"}, app=app
        )
    await app.state.backends.close()


async def stored_rows(sessionmaker, tenant_id) -> int:
    """Everything a webhook could have stored for a tenant: receipts, messages, calls, events."""
    from sqlalchemy import text

    async with unit_of_work(sessionmaker, tenant_id=tenant_id) as s:
        total = 0
        for table in ("webhook_receipts", "messages", "calls", "consents"):
            total += (await s.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
        total += (
            (
                await s.execute(
                    select(outbox_table.c.id).where(outbox_table.c.tenant_id == tenant_id)
                )
            )
            .all()
            .__len__()
        )
        return total


@pytest.fixture
def stored():
    return stored_rows
