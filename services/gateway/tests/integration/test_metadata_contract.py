"""A1: what the gateway sends reaches a service's CallContext (crm_common's gRPC edge)."""

from __future__ import annotations

import json

import grpc

from crm_common.context import current_context
from crm_common.settings import ServiceSettings
from crm_devstack.testing import serve_in_process

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

    async with serve_in_process(
        ServiceSettings, _register, ["probe.Context"], url=gateway_url
    ) as srv:
        call = srv.channel.unary_unary("/probe.Context/Get")
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
