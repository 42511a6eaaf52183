"""A4 (API hygiene): every service's gRPC edge refuses text with a NUL character.

PostgreSQL cannot store \\x00 in text; each call below used to answer INTERNAL. The shared edge
interceptor (crm_common.grpc.nul) answers INVALID_ARGUMENT naming the field before the handler
runs; the same call without the NUL then succeeds (so the refusal is about the NUL alone).
Leads and billing have their own tests in their services.
"""

from __future__ import annotations

import importlib
import uuid

import grpc
import pytest
from google.protobuf import struct_pb2

from crm.contacts.v1 import card_service_pb2, card_service_pb2_grpc
from crm.messaging.v1 import messaging_service_pb2, messaging_service_pb2_grpc
from crm.reporting.v1 import builder_service_pb2, builder_service_pb2_grpc
from crm_common.grpc.errors import from_rpc_error
from crm_devstack.testing import free_port, migrated_database, serve_in_process


def _contacts(channel, nul: str):
    stub = card_service_pb2_grpc.CardServiceStub(channel)
    return stub.CreateContact, card_service_pb2.CreateContactRequest(
        first_name="דנה", last_name=f"כהן{nul}", phones=["0525551234"]
    )


def _reporting(channel, nul: str):
    stub = builder_service_pb2_grpc.ReportBuilderServiceStub(channel)
    definition = struct_pb2.Struct()
    definition.update(
        {"subject": "leads", "group_by": ["source"], "measures": [{"op": "count", "as": "n"}]}
    )
    return stub.CreateReportDefinition, builder_service_pb2.CreateReportDefinitionRequest(
        name="לידים לפי מקור", description=f"שבועי{nul}", definition=definition
    )


def _messaging(channel, nul: str):
    stub = messaging_service_pb2_grpc.MessagingServiceStub(channel)
    return stub.ConfigureChannel, messaging_service_pb2.ConfigureChannelRequest(
        provider=messaging_service_pb2.PROVIDER_TWILIO,
        webhook_secret=f"twilio-auth-{nul}token-0123",
        sender="+972525551234",
    )


def _register(service: str, settings, app):
    if service == "messaging":  # its servicer reads the settings it is given, not the env
        from crm_messaging.api.servicer import make_register

        return make_register(settings)
    return app.register


CASES = {
    "contacts": (_contacts, "last_name"),
    "reporting": (_reporting, "description"),
    "messaging": (_messaging, "webhook_secret"),
}


@pytest.mark.parametrize("service", sorted(CASES))
async def test_a4_nul_text_is_invalid_argument_at_every_service_edge(service, make_database):
    app = importlib.import_module(f"crm_{service}.main").app
    url = migrated_database(make_database, f"{service}_nul_edge", app.migrations)
    settings_module = importlib.import_module(f"crm_{service}.settings")
    settings = getattr(settings_module, f"{service.capitalize()}Settings")(
        database_url=url, grpc_host="127.0.0.1", grpc_port=free_port()
    )
    async with serve_in_process(
        settings, _register(service, settings, app), app.grpc_service_names, pool_size=2
    ) as srv:
        channel = srv.channel
        md = (
            ("x-tenant-id", str(uuid.uuid4())),
            ("x-user-id", str(uuid.uuid4())),
            ("x-roles", "admin"),
        )
        make, field = CASES[service]
        rpc, request = make(channel, "\x00")
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await rpc(request, metadata=md)
        err = from_rpc_error(exc.value)
        assert err.code == grpc.StatusCode.INVALID_ARGUMENT, err
        assert [v.field for v in err.violations] == [field]
        rpc, request = make(channel, "")
        await rpc(request, metadata=md)
