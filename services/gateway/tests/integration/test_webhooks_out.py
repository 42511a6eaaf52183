"""A3 outbound webhooks: subscriptions, signed deliveries, retries with backoff, attempt log,
replay, and disabling after persistent failure (with an audit notice)."""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid

import httpx
import sqlalchemy as sa

from crm_gateway.db import Database, webhook_deliveries
from crm_gateway.webhooks_out.engine import (
    ID_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Dispatcher,
    enqueue,
    verify,
)

from .conftest import add_user, sign_up


class Receiver:
    """The subscriber's endpoint (a simulated third party): answers with scripted codes."""

    def __init__(self, *codes: int) -> None:
        self.codes = list(codes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(self.codes.pop(0) if self.codes else 200)


async def _event(
    db: Database, tenant: str, event_type: str = "lead.captured", event_id: uuid.UUID | None = None
) -> int:
    async with db.tx(uuid.UUID(tenant)) as s:
        return await enqueue(
            s,
            tenant_id=uuid.UUID(tenant),
            event_id=event_id or uuid.uuid4(),
            event_type=event_type,
            occurred_at=dt.datetime.now(dt.UTC),
            data={"lead_id": "L1", "name": "דנה"},
        )


async def _make_due(db: Database, tenant: str) -> None:
    async with db.tx(uuid.UUID(tenant)) as s:
        await s.execute(
            sa.update(webhook_deliveries)
            .where(webhook_deliveries.c.status == "pending")
            .values(next_attempt_at=sa.func.now())
        )


async def test_a3_webhook_subscriptions_need_permission_and_a_public_url(client):
    t = await sign_up(client)
    rep = await add_user(client, t, ["sales_rep"])
    body = {"url": "https://erp.example.co.il/hook", "event_types": ["lead.captured"]}
    assert (
        await client.post("/v1/webhook-subscriptions", json=body, headers=rep["auth"])
    ).status_code == 403
    for url in (
        "http://erp.example.co.il/hook",
        "https://127.0.0.1/hook",
        "https://10.1.2.3/x",
        "ftp://x.co.il/",
    ):
        r = await client.post(
            "/v1/webhook-subscriptions", headers=t["admin"], json={**body, "url": url}
        )
        assert r.status_code == 422, url
    ok = await client.post("/v1/webhook-subscriptions", headers=t["admin"], json=body)
    assert ok.status_code == 201 and ok.json()["secret"].startswith("whsec_")


async def test_a3_deliveries_are_signed_and_logged(client, gateway_url):
    t = await sign_up(client)
    sub = (
        await client.post(
            "/v1/webhook-subscriptions",
            headers=t["admin"],
            json={"url": "https://erp.example.co.il/hook", "event_types": ["lead.captured"]},
        )
    ).json()
    db = Database(gateway_url)
    receiver = Receiver(200)
    dispatcher = Dispatcher(db, client=httpx.AsyncClient(transport=httpx.MockTransport(receiver)))
    try:
        event_id = uuid.uuid4()
        assert await _event(db, t["tenant_id"], event_id=event_id) == 1
        assert await _event(db, t["tenant_id"], event_id=event_id) == 0  # once per event
        assert await _event(db, t["tenant_id"], event_type="task.created") == 0  # not subscribed
        await dispatcher.run_once(uuid.UUID(t["tenant_id"]))
        [req] = receiver.requests
        ts = int(req.headers[TIMESTAMP_HEADER])
        assert req.headers[ID_HEADER] == str(event_id)
        assert verify(
            sub["secret"], req.headers[SIGNATURE_HEADER], ts, req.content, now=time.time()
        )
        assert not verify(
            "whsec_other", req.headers[SIGNATURE_HEADER], ts, req.content, now=time.time()
        )
        assert not verify(
            sub["secret"], req.headers[SIGNATURE_HEADER], ts, req.content, now=time.time() + 3600
        )  # a replayed old request
        payload = json.loads(req.content)
        assert payload["type"] == "lead.captured" and payload["data"]["name"] == "דנה"
        page = (
            await client.get(
                f"/v1/webhook-subscriptions/{sub['id']}/deliveries", headers=t["admin"]
            )
        ).json()
        [delivery] = page["items"]
        assert delivery["status"] == "delivered" and delivery["last_status_code"] == 200
        assert [a["status_code"] for a in delivery["log"]] == [200]
    finally:
        await dispatcher.close()
        await db.close()


async def test_a3_failed_deliveries_back_off_then_disable_with_a_notice_and_replay(
    client, gateway_url
):
    t = await sign_up(client)
    sub = (
        await client.post(
            "/v1/webhook-subscriptions",
            headers=t["admin"],
            json={"url": "https://erp.example.co.il/hook", "event_types": ["*"]},
        )
    ).json()
    db = Database(gateway_url)
    receiver = Receiver(500, 503, 500)
    dispatcher = Dispatcher(
        db, client=httpx.AsyncClient(transport=httpx.MockTransport(receiver)), disable_after=3
    )
    try:
        await _event(db, t["tenant_id"], event_type="document.issued")
        await dispatcher.run_once(uuid.UUID(t["tenant_id"]))
        await dispatcher.run_once(uuid.UUID(t["tenant_id"]))  # not due yet: backoff
        assert len(receiver.requests) == 1
        url = f"/v1/webhook-subscriptions/{sub['id']}"
        [d] = (await client.get(f"{url}/deliveries", headers=t["admin"])).json()["items"]
        assert d["status"] == "pending" and d["attempts"] == 1 and d["last_status_code"] == 500
        assert dt.datetime.fromisoformat(d["next_attempt_at"]) > dt.datetime.now(dt.UTC)
        for _ in range(2):
            await _make_due(db, t["tenant_id"])
            await dispatcher.run_once(uuid.UUID(t["tenant_id"]))
        assert len(receiver.requests) == 3
        state = (await client.get(url, headers=t["admin"])).json()
        assert state["is_active"] is False
        assert "3 failed deliveries" in state["disabled_reason"]
        notice = (
            await client.get("/v1/audit", headers=t["admin"], params={"actor_id": "webhooks"})
        ).json()["items"]
        assert notice and notice[0]["path"] == url
        # Disabled: nothing is sent even when due.
        await _make_due(db, t["tenant_id"])
        await dispatcher.run_once(uuid.UUID(t["tenant_id"]))
        assert len(receiver.requests) == 3
        # Re-enable and replay: delivered, with the whole attempt log kept.
        assert (await client.patch(url, headers=t["admin"], json={"is_active": True})).json()[
            "is_active"
        ]
        replay = await client.post(f"{url}/deliveries/{d['id']}:replay", headers=t["admin"])
        assert replay.status_code == 200 and replay.json()["status"] == "pending"
        await dispatcher.run_once()  # every tenant's due deliveries
        [d] = (await client.get(f"{url}/deliveries", headers=t["admin"])).json()["items"]
        assert d["status"] == "delivered"
        assert [a["status_code"] for a in d["log"]] == [500, 503, 500, 200]
        other = await sign_up(client)
        assert (
            await client.post(f"{url}/deliveries/{d['id']}:replay", headers=other["admin"])
        ).status_code == 404
    finally:
        await dispatcher.close()
        await db.close()


def test_a3_intake_subscribes_every_topic_the_services_publish():
    """Every ``*TOPIC = "crm.<svc>.<noun>"`` constant in the services is consumed."""
    import re
    from pathlib import Path

    from crm_gateway.webhooks_out.intake import subscriptions

    root = Path(__file__).resolve().parents[4] / "services"
    published = set()
    for path in root.glob("*/src/**/*.py"):
        published |= set(re.findall(r'TOPIC\s*=\s*"(crm\.[a-z_]+\.[a-z_]+)"', path.read_text()))
    subs = subscriptions()
    topics = {s.topic for s in subs}
    assert ("crm.leads.lead", "lead.captured") in {(s.topic, s.event_type) for s in subs}
    assert published and published <= topics, sorted(published - topics)


async def test_a3_intake_turns_a_consumed_event_into_a_delivery(client, gateway_url):
    from crm.events.leads.v1 import lead_events_pb2
    from crm_common.kafka.consumer import Event
    from crm_gateway.webhooks_out.intake import on_event

    t = await sign_up(client)
    await client.post(
        "/v1/webhook-subscriptions",
        headers=t["admin"],
        json={"url": "https://erp.example.co.il/hook", "event_types": ["lead.captured"]},
    )
    tenant = uuid.UUID(t["tenant_id"])
    payload = lead_events_pb2.LeadCaptured()
    event = Event(
        id=uuid.uuid4(),
        type="lead.captured",
        tenant_id=tenant,
        occurred_at=dt.datetime.now(dt.UTC),
        topic="crm.leads.lead",
        key="k",
        payload=payload,
        headers={},
    )
    db = Database(gateway_url)
    try:
        async with db.tx(tenant) as s:
            await on_event(s, event)
        async with db.tx(tenant) as s:
            rows = (await s.execute(sa.select(webhook_deliveries))).all()
        assert [(r.event_id, r.event_type, r.status) for r in rows] == [
            (event.id, "lead.captured", "pending")
        ]
    finally:
        await db.close()


async def test_a3_event_nobody_subscribed_to_is_not_serialised(client, gateway_url):
    """The payload is turned into JSON only when a subscription wants the event: a contacts
    import batch (500 contacts an event) would otherwise cost the intake ~170 ms each."""
    t = await sign_up(client)
    await client.post(
        "/v1/webhook-subscriptions",
        headers=t["admin"],
        json={"url": "https://erp.example.co.il/hook", "event_types": ["lead.captured"]},
    )
    tenant = uuid.UUID(t["tenant_id"])
    made: list[str] = []

    def data(kind: str):
        def make() -> dict:
            made.append(kind)
            return {"kind": kind}

        return make

    db = Database(gateway_url)
    try:
        async with db.tx(tenant) as s:
            for event_type in ("contacts.changed", "lead.captured"):
                await enqueue(
                    s,
                    tenant_id=tenant,
                    event_id=uuid.uuid4(),
                    event_type=event_type,
                    occurred_at=dt.datetime.now(dt.UTC),
                    data=data(event_type),
                )
        async with db.tx(tenant) as s:
            rows = (await s.execute(sa.select(webhook_deliveries.c.event_type))).all()
    finally:
        await db.close()
    assert made == ["lead.captured"]
    assert [r.event_type for r in rows] == ["lead.captured"]


async def test_a3_event_on_the_broker_reaches_the_subscriber(client, gateway_url, embedded_broker):
    """Kafka -> consumer runner (inbox) -> delivery -> signed POST to the subscriber."""
    import asyncio

    from confluent_kafka import Producer

    from crm.events.leads.v1 import lead_events_pb2
    from crm_common.kafka import headers as h
    from crm_common.kafka.consumer import ConsumerRunner
    from crm_common.settings import ServiceSettings
    from crm_gateway.webhooks_out.intake import subscriptions

    t = await sign_up(client)
    tenant = uuid.UUID(t["tenant_id"])
    sub = (
        await client.post(
            "/v1/webhook-subscriptions",
            headers=t["admin"],
            json={"url": "https://erp.example.co.il/hook", "event_types": ["lead.captured"]},
        )
    ).json()
    settings = ServiceSettings(
        database_url=gateway_url, kafka_bootstrap_servers=embedded_broker.bootstrap_servers
    )
    event_id = uuid.uuid4()
    subs = [s for s in subscriptions() if s.topic == "crm.leads.lead"]
    db = Database(gateway_url)
    runner = ConsumerRunner(
        settings=settings,
        sessionmaker=db.sessionmaker,
        group_id=f"gw-webhooks-{uuid.uuid4().hex[:6]}",
        subscriptions=subs,
    )
    stop = asyncio.Event()
    task = asyncio.create_task(runner.run(stop))
    receiver = Receiver(200)
    dispatcher = Dispatcher(db, client=httpx.AsyncClient(transport=httpx.MockTransport(receiver)))
    try:
        producer = Producer({"bootstrap.servers": embedded_broker.bootstrap_servers})
        for _ in range(2):  # redelivered: still one delivery
            producer.produce(
                "crm.leads.lead",
                key=b"k",
                value=lead_events_pb2.LeadCaptured(lead_id="L42").SerializeToString(),
                headers=[
                    (h.EVENT_TYPE, "lead.captured"),
                    (h.EVENT_ID, str(event_id)),
                    (h.TENANT_ID, str(tenant)),
                    (h.OCCURRED_AT, dt.datetime.now(dt.UTC).isoformat()),
                ],
            )
        assert producer.flush(10) == 0
        deadline = time.monotonic() + 60

        def ours() -> list[httpx.Request]:
            # Other tests' tenants may have pending deliveries: keep this event's only.
            return [r for r in receiver.requests if r.headers[ID_HEADER] == str(event_id)]

        while not ours() and time.monotonic() < deadline:
            await dispatcher.run_once(uuid.UUID(t["tenant_id"]))
            await asyncio.sleep(0.3)
        [req] = ours()
        body = json.loads(req.content)
        assert body["id"] == str(event_id) and body["data"]["lead_id"] == "L42"
        assert verify(
            sub["secret"],
            req.headers[SIGNATURE_HEADER],
            int(req.headers[TIMESTAMP_HEADER]),
            req.content,
            now=time.time(),
        )
    finally:
        stop.set()
        await task
        await dispatcher.close()
        await db.close()
