"""A3: what the schema fuzzing found, fixed once for every route: NUL characters (PostgreSQL
cannot store them) and numbers a service's protobuf field cannot hold are 422 problems, not
500s, and nothing reaches the route."""

from __future__ import annotations

import httpx
from fastapi import APIRouter, Request

from crm.leads.v1 import leads_service_pb2 as pb
from crm_gateway.access.routes import requires
from crm_gateway.backends import Call

from .conftest import CONFIG_KEY, bearer, build_app

hygiene = APIRouter(prefix="/v1/probe-hygiene", tags=["probe"])
reached: list[object] = []


@hygiene.post("/echo", openapi_extra=requires("leads:create"))
async def echo(request: Request, call: Call) -> dict:
    body = await request.json()
    reached.append(body)
    return body


@hygiene.post("/rule", openapi_extra=requires("leads:create"))
async def rule(request: Request, call: Call) -> dict:
    body = await request.json()
    reached.append(body)
    pb.CreateRoutingRuleRequest(position=body["position"])  # int32 on the wire
    return body


async def _client(gateway_url: str) -> tuple[httpx.AsyncClient, object]:
    app = build_app(gateway_url)
    app.include_router(hygiene)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://gateway"), app


async def test_a3_nul_characters_and_out_of_range_numbers_are_422(gateway_url):
    client, app = await _client(gateway_url)
    auth = bearer(CONFIG_KEY)
    try:
        nul = await client.post("/v1/probe-hygiene/echo", json={"name": "a\x00b"}, headers=auth)
        assert nul.status_code == 422, nul.text
        assert nul.headers["content-type"] == "application/problem+json"
        nested = await client.post(
            "/v1/probe-hygiene/echo", json={"tags": [{"k\x00": 1}]}, headers=auth
        )
        assert nested.status_code == 422
        query = await client.post("/v1/probe-hygiene/echo?q=%00", json={}, headers=auth)
        assert query.status_code == 422
        assert reached == []  # nothing reached the route
        # A literal backslash-u text is fine, and so are files with NUL bytes.
        literal = await client.post(
            "/v1/probe-hygiene/echo", json={"name": "C:\\u0000"}, headers=auth
        )
        assert literal.status_code == 200 and literal.json() == {"name": "C:\\u0000"}
        big = await client.post("/v1/probe-hygiene/rule", json={"position": 2**40}, headers=auth)
        assert big.status_code == 422, big.text
        assert "out of range" in big.json()["detail"]
        fine = await client.post("/v1/probe-hygiene/rule", json={"position": 7}, headers=auth)
        assert fine.status_code == 200
    finally:
        await client.aclose()
        await app.state.db.close()
        await app.state.backends.close()
