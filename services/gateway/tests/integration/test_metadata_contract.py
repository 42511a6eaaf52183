"""A1: what the gateway sends reaches a service's CallContext (crm_common's gRPC edge)."""

from __future__ import annotations

import asyncio
import json

import grpc

from crm_common.context import current_context
from crm_common.db import create_engine, create_sessionmaker
from crm_common.grpc.server import serve_grpc
from crm_common.settings import ServiceSettings
from crm_devstack.testing import free_port

from .conftest import add_user, sign_up


async def _context(request: bytes, context) -> bytes:
    ctx = current_context()
    return json.dumps(
        {
            "tenant_id": str(ctx.tenant_id),
            "user_id": str(ctx.user_id),
            "team_id": str(ctx.team_id) if ctx.team_id else None,
            "record_scope": ctx.record_scope,
            "roles": list(ctx.roles),
        }
    ).encode()


def _register(server: grpc.aio.Server) -> None:
    handler = grpc.unary_unary_rpc_method_handler(
        _context, request_deserializer=None, response_serializer=None
    )
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler("probe.Context", {"Get": handler}),)
    )


async def test_a1_service_edge_binds_user_team_scope_and_roles(client, gateway_url):
    t = await sign_up(client)
    team = (await client.post("/v1/teams", headers=t["admin"], json={"name": "דרום"})).json()
    rep = await add_user(client, t, ["sales_rep"], team_id=team["id"])
    sent = (await client.get("/v1/probe/metadata", headers=rep["auth"])).json()["metadata"]

    port = free_port()
    settings = ServiceSettings(database_url=gateway_url, grpc_host="127.0.0.1", grpc_port=port)
    engine = create_engine(gateway_url, instrument=False)
    stop = asyncio.Event()
    server = asyncio.create_task(
        serve_grpc(
            settings=settings,
            sessionmaker=create_sessionmaker(engine),
            register=_register,
            service_names=["probe.Context"],
            stop=stop,
        )
    )
    try:
        async with grpc.aio.insecure_channel(f"127.0.0.1:{port}") as channel:
            await asyncio.wait_for(channel.channel_ready(), 10)
            call = channel.unary_unary("/probe.Context/Get")
            got = json.loads(await call(b"", metadata=tuple(sent.items()), timeout=5))
            assert got == {
                "tenant_id": t["tenant_id"],
                "user_id": rep["id"],
                "team_id": team["id"],
                "record_scope": "own",
                "roles": ["sales_rep"],
            }
            bad = {**sent, "x-record-scope": "everything"}
            try:
                await call(b"", metadata=tuple(bad.items()), timeout=5)
                raise AssertionError("a bad record scope was accepted")
            except grpc.aio.AioRpcError as err:
                assert err.code() == grpc.StatusCode.INVALID_ARGUMENT
    finally:
        stop.set()
        await server
        await engine.dispose()
