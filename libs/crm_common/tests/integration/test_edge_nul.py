"""A4 (API hygiene): the shared gRPC edge refuses text with a NUL character for every RPC.

PostgreSQL cannot store \\x00 in text; without the edge check the handler below fails on the
INSERT and the caller gets INTERNAL. A real gRPC server (``serve_grpc``) on a real database.
"""

from __future__ import annotations

import uuid

import grpc
import pytest
from google.protobuf import descriptor_pb2, struct_pb2
from sqlalchemy import text

from crm_common.db.session import current_session
from crm_common.grpc.errors import from_rpc_error
from crm_common.grpc.nul import nul_fields, screening
from crm_devstack.testing import serve_in_process

from .conftest import PlumbingSettings

SERVICE = "crm.test.v1.NulService"


@pytest.fixture
async def nul_server(plumbing_db):
    url, sessionmaker = plumbing_db
    ran: list[str] = []

    async def store(request: struct_pb2.Struct, context) -> struct_pb2.Struct:
        """Stores every string value of the request as text (as any service's handler does)."""
        ran.append("store")
        for value in request.fields.values():
            await current_session().execute(
                text("INSERT INTO seen (event_id, value) VALUES (:id, :v)"),
                {"id": uuid.uuid4(), "v": value.string_value},
            )
        return struct_pb2.Struct()

    async def describe(request: descriptor_pb2.FileDescriptorProto, context):
        ran.append("describe")
        for m in request.message_type:
            await current_session().execute(
                text("INSERT INTO seen (event_id, value) VALUES (:id, :v)"),
                {"id": uuid.uuid4(), "v": m.name},
            )
        return struct_pb2.Struct()

    def register(server: grpc.aio.Server) -> None:
        handlers = {
            "Store": grpc.unary_unary_rpc_method_handler(
                store,
                request_deserializer=struct_pb2.Struct.FromString,
                response_serializer=struct_pb2.Struct.SerializeToString,
            ),
            "Describe": grpc.unary_unary_rpc_method_handler(
                describe,
                request_deserializer=descriptor_pb2.FileDescriptorProto.FromString,
                response_serializer=struct_pb2.Struct.SerializeToString,
            ),
        }
        server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler(SERVICE, handlers)])

    async with serve_in_process(
        PlumbingSettings, register, [SERVICE], url=url, sessionmaker=sessionmaker
    ) as srv:
        channel = srv.channel
        md = (("x-tenant-id", str(uuid.uuid4())),)
        store_rpc = channel.unary_unary(
            f"/{SERVICE}/Store",
            request_serializer=struct_pb2.Struct.SerializeToString,
            response_deserializer=struct_pb2.Struct.FromString,
        )
        describe_rpc = channel.unary_unary(
            f"/{SERVICE}/Describe",
            request_serializer=descriptor_pb2.FileDescriptorProto.SerializeToString,
            response_deserializer=struct_pb2.Struct.FromString,
        )

        async def count() -> int:
            async with sessionmaker() as s:
                return (await s.execute(text("SELECT count(*) FROM seen"))).scalar_one()

        yield (
            lambda req: store_rpc(req, metadata=md),
            lambda req: describe_rpc(req, metadata=md),
            ran,
            count,
        )


async def _refused(call) -> list[str]:
    with pytest.raises(grpc.aio.AioRpcError) as exc:
        await call
    err = from_rpc_error(exc.value)
    assert err.code == grpc.StatusCode.INVALID_ARGUMENT, err
    assert all("NUL" in v.description for v in err.violations)
    return [v.field for v in err.violations]


async def test_a4_edge_refuses_nul_text_before_the_handler_runs(nul_server):
    store, describe, ran, count = nul_server
    request = struct_pb2.Struct()
    request.update({"name": "דנה\x00", "bad\x00key": "v", "inner": {"deep": ["ok", "a\x00"]}})
    assert sorted(await _refused(store(request))) == [
        "fields['bad\\x00key']",
        "fields['inner'].struct_value.fields['deep'].list_value.values[1].string_value",
        "fields['name'].string_value",
    ]
    fd = descriptor_pb2.FileDescriptorProto(
        message_type=[descriptor_pb2.DescriptorProto(name="ok"), {"name": "x\x00y"}]
    )
    assert await _refused(describe(fd)) == ["message_type[1].name"]
    assert ran == [] and await count() == 0  # the handler never ran, nothing stored

    clean = struct_pb2.Struct()
    clean.update({"name": "דנה", "zero": 0})  # a double 0.0: zero bytes on the wire, no NUL
    await store(clean)
    ok = descriptor_pb2.FileDescriptorProto(message_type=[{"name": "a"}, {"name": ""}])
    await describe(ok)  # an empty string in a repeated message: a zero length byte
    assert ran == ["store", "describe"] and await count() == 4


def test_a4_screening_only_walks_requests_whose_bytes_hold_a_zero():
    """A NUL in a string is a 0x00 byte on the wire: requests without one are not walked."""
    deserialize = screening(struct_pb2.Struct.FromString)
    plain = struct_pb2.Struct()
    plain.update({"name": "דנה כהן", "city": "חיפה"})
    screened = deserialize(plain.SerializeToString())
    assert not screened.suspect and screened.request == plain
    bad = struct_pb2.Struct()
    bad.update({"name": "דנה\x00"})
    screened = deserialize(bad.SerializeToString())
    assert screened.suspect
    assert list(nul_fields(screened.request)) == ["fields['name'].string_value"]
