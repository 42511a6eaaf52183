"""A3/A5: the client address (audit origin, per-IP rate limits, ``x-client-ip``) comes from
X-Forwarded-For only when the socket peer is a trusted proxy (``trusted_proxies``); then it
is the right-most address of the chain that is not itself a trusted proxy.

The test client connects from 203.0.113.7 (conftest)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from crm_gateway.settings import GatewaySettings

from .conftest import CONFIG_KEY, bearer

CFG = bearer(CONFIG_KEY)
PEER = "203.0.113.7"
BAD_LOGIN = {"tenant": "nope", "email": "a@b.co", "password": "x"}


async def _audited_ip(client, headers: dict[str, str]) -> str:
    made = await client.post("/v1/probe/leads", json={"name": "x"}, headers={**CFG, **headers})
    assert made.status_code == 201, made.text
    page = await client.get("/v1/audit", headers=CFG, params={"page_size": 1})
    assert page.status_code == 200, page.text
    return page.json()["items"][0]["client_ip"]


async def test_a3_spoofed_forwarded_for_from_untrusted_peer_is_ignored(make_client):
    """Default (no trusted proxies): audit, x-client-ip and the anonymous limit use the peer."""
    async with make_client(rate_limit_anonymous=2) as c:
        spoof = {"X-Forwarded-For": "198.51.100.4"}
        md = (await c.get("/v1/probe/metadata", headers={**CFG, **spoof})).json()["metadata"]
        assert md["x-client-ip"] == PEER
        assert await _audited_ip(c, spoof) == PEER
        # A new forged address per request does not buy a new anonymous bucket.
        codes = [
            (
                await c.post(
                    "/v1/auth/login",
                    json=BAD_LOGIN,
                    headers={"X-Forwarded-For": f"198.51.100.{i}"},
                )
            ).status_code
            for i in range(3)
        ]
        assert codes == [401, 401, 429]


async def test_a3_forwarded_for_through_trusted_proxy_gives_the_client(make_client):
    """Peer and inner hop trusted: the right-most untrusted hop is the client; an address
    the client prepended itself (left of it) is ignored."""
    async with make_client(
        trusted_proxies="203.0.113.0/24, 10.0.0.0/8", rate_limit_anonymous=2
    ) as c:
        chain = {"X-Forwarded-For": "192.0.2.66, 198.51.100.4, 10.1.2.3"}
        md = (await c.get("/v1/probe/metadata", headers={**CFG, **chain})).json()["metadata"]
        assert md["x-client-ip"] == "198.51.100.4"
        assert await _audited_ip(c, chain) == "198.51.100.4"
        no_header = (await c.get("/v1/probe/metadata", headers=CFG)).json()["metadata"]
        assert no_header["x-client-ip"] == PEER
        # Per-IP limits follow the real clients behind the proxy: one is limited, the
        # other (same proxy) is not.
        a = {"X-Forwarded-For": "198.51.100.10"}
        b = {"X-Forwarded-For": "198.51.100.11"}
        codes_a = [
            (await c.post("/v1/auth/login", json=BAD_LOGIN, headers=a)).status_code
            for _ in range(3)
        ]
        assert codes_a == [401, 401, 429]
        other = await c.post("/v1/auth/login", json=BAD_LOGIN, headers=b)
        assert other.status_code == 401


async def test_a3_forwarded_for_ignored_when_peer_is_not_among_trusted_proxies(make_client):
    async with make_client(trusted_proxies='["10.0.0.0/8"]') as c:
        md = (
            await c.get("/v1/probe/metadata", headers={**CFG, "X-Forwarded-For": "198.51.100.4"})
        ).json()["metadata"]
        assert md["x-client-ip"] == PEER


@pytest.mark.parametrize("bad", ["10.0.0.0/33", "not-an-ip", "[1, "])
def test_a3_trusted_proxies_setting_is_validated(bad: str):
    with pytest.raises(ValidationError, match="trusted_proxies"):
        GatewaySettings(trusted_proxies=bad)
    ok = GatewaySettings(trusted_proxies="10.1.2.3/8, 192.0.2.1, fd00::/8")
    assert ok.trusted_proxy_list() == ["10.0.0.0/8", "192.0.2.1", "fd00::/8"]
