"""M2 telephony: PBX call events become call records on the timeline; an incoming call
from a known number pushes the customer card to the agent's open SSE session;
click-to-call through the PBX adapter; the auto-dialer hands numbers to free agents."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid

import grpc
import httpx
import pytest
import uvicorn

from crm.events.messaging.v1 import message_events_pb2 as ev
from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_devstack.testing import free_port

PBX_SECRET = "pbx-shared-secret-for-calls"


@pytest.fixture(scope="module")
async def live_gateway(gateway):
    """The gateway app on a real HTTP port (SSE needs a streaming server)."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            gateway.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
        )
    )
    task = asyncio.create_task(server.serve())
    for _ in range(500):
        if server.started:
            break
        await asyncio.sleep(0.02)
    r = await gateway.client.put(
        "/v1/messaging/channels/pbx", json={"webhook_secret": PBX_SECRET}, headers=gateway.auth
    )
    assert r.status_code == 200
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        yield client
    server.should_exit = True
    await task


def signed(event: dict) -> tuple[bytes, dict]:
    body = json.dumps(event).encode()
    ts = str(int(time.time()))
    sig = hmac.new(PBX_SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    return body, {
        "X-PBX-Timestamp": ts,
        "X-PBX-Signature": f"v1={sig}",
        "Content-Type": "application/json",
    }


async def next_event(lines) -> dict:
    async for line in lines:
        if line.startswith("data: "):
            return json.loads(line[6:])
    raise AssertionError("stream ended")


class TestScreenPop:
    async def test_m2_incoming_call_from_a_known_number_pops_the_card_on_the_agents_session(
        self, gateway, live_gateway, messaging, h
    ):
        _, sessionmaker, _, _ = messaging
        party = await h.add_party(
            sessionmaker, gateway.tenant, name="משה פרץ", phone="+972524443322"
        )
        call_id = uuid.uuid4().hex
        async with live_gateway.stream(
            "GET",
            "/v1/messaging/screen-pops/stream",
            params={"extension": "204"},
            headers=gateway.auth,
        ) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.aiter_lines()
            assert await anext(lines) == ": connected"
            body, headers = signed(
                {
                    "event": "call.started",
                    "call_id": call_id,
                    "direction": "in",
                    "from": "052-444-3322",
                    "to": "03-5551234",
                    "extension": "204",
                    "timestamp": int(time.time()),
                }
            )
            r = await live_gateway.post(
                f"/v1/webhooks/{gateway.tenant}/pbx", content=body, headers=headers
            )
            assert r.status_code == 200 and r.json()["screen_pops_pushed"] == 1
            card = await asyncio.wait_for(next_event(lines), 10)
        assert card["party"] == {
            "party_id": str(party),
            "name": "משה פרץ",
            "phone": "+972524443322",
            "email": None,
        }
        assert (card["from_number"], card["agent_extension"]) == ("+972524443322", "204")

    async def test_m2_another_agents_extension_and_another_tenant_get_nothing(
        self, gateway, live_gateway
    ):
        hub = gateway.app.state.screen_pops.hub
        other = hub.subscribe(gateway.tenant, "999")
        foreign = hub.subscribe(uuid.uuid4(), None)
        try:
            body, headers = signed(
                {
                    "event": "call.started",
                    "call_id": uuid.uuid4().hex,
                    "direction": "in",
                    "from": "0524443399",
                    "to": "035551234",
                    "extension": "204",
                }
            )
            r = await live_gateway.post(
                f"/v1/webhooks/{gateway.tenant}/pbx", content=body, headers=headers
            )
            assert r.status_code == 200
            assert other.queue.empty() and foreign.queue.empty()
        finally:
            hub.unsubscribe(other)
            hub.unsubscribe(foreign)


@pytest.fixture(scope="module")
async def two_replicas(make_database, messaging, gateway, live_gateway):
    """Two gateway replicas (apps A and B, each on its own HTTP port) sharing one gateway
    database, as two pods of the gateway Deployment."""
    from pathlib import Path

    import crm_gateway
    from crm_devstack.testing import migrated_database
    from crm_gateway.app import create_app
    from crm_gateway.backends import Backends
    from crm_gateway.settings import GatewaySettings

    url = migrated_database(
        make_database, "msg_gw_fanout", Path(crm_gateway.__file__).parent / "migrations"
    )
    _, _, settings, _ = messaging
    key = "fanout-key-" + uuid.uuid4().hex
    keys = json.dumps({key: {"tenant_id": str(gateway.tenant), "user_id": str(uuid.uuid4())}})
    replicas, servers, tasks = [], [], []
    for _ in range(2):
        gw = GatewaySettings(
            api_keys=keys, messaging_addr=f"127.0.0.1:{settings.grpc_port}", database_url=url
        )
        app = create_app(gw)
        app.state.backends = Backends(gw)
        await app.state.screen_pops.start()
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        )
        tasks.append(asyncio.create_task(server.serve()))
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.02)
        servers.append(server)
        client = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}",
            timeout=10,
            headers={"Authorization": f"Bearer {key}"},
        )
        replicas.append((app, client))
    yield replicas
    for (app, client), server in zip(replicas, servers, strict=True):
        await client.aclose()
        server.should_exit = True
        await app.state.screen_pops.stop()
        await app.state.backends.close()
        if app.state.db is not None:
            await app.state.db.close()
    await asyncio.gather(*tasks)


class TestScreenPopAcrossReplicas:
    async def test_m2_webhook_on_replica_a_pops_the_card_on_a_session_of_replica_b(
        self, gateway, two_replicas, messaging, h
    ):
        _, sessionmaker, _, _ = messaging
        (app_a, a), (app_b, b) = two_replicas
        party = await h.add_party(
            sessionmaker, gateway.tenant, name="יעל ברק", phone="+972524447788"
        )
        async with b.stream(
            "GET", "/v1/messaging/screen-pops/stream", params={"extension": "410"}
        ) as stream:
            assert stream.status_code == 200
            lines = stream.aiter_lines()
            assert await anext(lines) == ": connected"
            body, headers = signed(
                {
                    "event": "call.started",
                    "call_id": uuid.uuid4().hex,
                    "direction": "in",
                    "from": "052-444-7788",
                    "to": "03-5551234",
                    "extension": "410",
                }
            )
            r = await a.post(f"/v1/webhooks/{gateway.tenant}/pbx", content=body, headers=headers)
            # No session on A itself; the card travels to B through the gateway database.
            assert r.status_code == 200 and r.json()["screen_pops_pushed"] == 0
            card = await asyncio.wait_for(next_event(lines), 10)
        assert card["party"]["party_id"] == str(party)
        assert (card["from_number"], card["agent_extension"]) == ("+972524447788", "410")
        assert app_b.state.screen_pops.received >= 1
        # A replica ignores its own broadcast (it pushed locally already).
        assert app_a.state.screen_pops.received == 0


class TestCallRecords:
    async def test_m2_call_events_make_a_call_record_with_duration_and_recording(
        self, gateway, live_gateway, messaging, h
    ):
        stub, sessionmaker, _, _ = messaging
        party = await h.add_party(sessionmaker, gateway.tenant, name="רות", phone="+972524443311")
        call_id = uuid.uuid4().hex
        base = {
            "call_id": call_id,
            "direction": "in",
            "from": "+972524443311",
            "to": "035551234",
            "extension": "101",
        }
        t = int(time.time())
        for event, extra in (
            ("call.started", {"timestamp": t - 200}),
            ("call.answered", {"timestamp": t - 190}),
            ("call.ended", {"timestamp": t - 10, "duration": 180}),
            (
                "call.recording_ready",
                {"timestamp": t, "recording_url": "https://pbx.example/rec/1.mp3"},
            ),
        ):
            body, headers = signed({**base, "event": event, **extra})
            r = await live_gateway.post(
                f"/v1/webhooks/{gateway.tenant}/pbx", content=body, headers=headers
            )
            assert r.status_code == 200, r.text
        calls = (
            await stub.ListCalls(
                pb.ListCallsRequest(party_id=str(party)), metadata=h.md(gateway.tenant)
            )
        ).calls
        assert [(c.status, c.duration_seconds, c.recording_url, c.direction) for c in calls] == [
            ("ended", 180, "https://pbx.example/rec/1.mp3", "in")
        ]
        events = await h.outbox_events(sessionmaker, aggregate_id=calls[0].id)
        assert [e.type for e in events] == ["call.started", "call.ended", "call.recorded"]
        ended = ev.CallEnded.FromString(events[1].payload)
        assert (ended.party_id, ended.duration_seconds, ended.answered) == (str(party), 180, True)


class TestClickToCall:
    async def test_m2_click_to_call_goes_through_the_pbx_adapter(
        self, gateway, messaging, simulator, h
    ):
        _stub, sessionmaker, _, _ = messaging
        party = await h.add_party(sessionmaker, gateway.tenant, name="אבי", phone="+972524443300")
        r = await gateway.client.post(
            "/v1/messaging/calls",
            json={"agent_extension": "101", "party_id": str(party)},
            headers=gateway.auth,
        )
        assert r.status_code == 201, r.text
        placed = simulator.accepted[-1]
        assert (placed.kind, placed.body["from_extension"], placed.body["to"]) == (
            "call",
            "101",
            "+972524443300",
        )
        assert r.json()["provider_call_id"] == placed.provider_id
        assert r.json()["party_id"] == str(party)

    async def test_m2_click_to_call_without_a_number_is_a_clear_error(self, messaging, h):
        stub, _, _, _ = messaging
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.StartCall(
                pb.StartCallRequest(agent_extension="", to_number="12"), metadata=h.md(uuid.uuid4())
            )
        assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT


class TestAutoDialer:
    async def test_m2_the_dialer_hands_each_number_to_one_free_agent_in_order(self, messaging, h):
        stub, _, _, _ = messaging
        md = h.md(uuid.uuid4())
        added = await stub.EnqueueDialer(
            pb.EnqueueDialerRequest(
                queue="collections",
                entries=[
                    pb.DialerEntry(phone="0524443301", note="חוב 1,200 ₪"),
                    pb.DialerEntry(phone="0524443302"),
                    pb.DialerEntry(phone="+972524443301"),  # the same number: once
                ],
            ),
            metadata=md,
        )
        assert (added.added, added.skipped) == (2, 1)
        again = await stub.EnqueueDialer(
            pb.EnqueueDialerRequest(
                queue="collections", entries=[pb.DialerEntry(phone="0524443302")]
            ),
            metadata=md,
        )
        assert (again.added, again.skipped) == (0, 1)
        agents = await asyncio.gather(
            *(
                stub.NextDialerEntry(
                    pb.NextDialerEntryRequest(queue="collections", agent_extension=x), metadata=md
                )
                for x in ("101", "102", "103")
            )
        )
        handed = sorted(
            (a.entry.phone, a.entry.agent_extension) for a in agents if a.HasField("entry")
        )
        assert [p for p, _ in handed] == ["+972524443301", "+972524443302"]
        assert len({x for _, x in handed}) == 2
        assert sum(1 for a in agents if not a.HasField("entry")) == 1
