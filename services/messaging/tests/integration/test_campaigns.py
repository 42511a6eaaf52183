"""M3 campaigns: throttled, with progress, resumable after a crash without sending anyone
twice (a real dispatcher process killed with SIGKILL halfway and restarted); opted-out
recipients receive nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import uuid
from datetime import UTC

import grpc
import pytest

from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_common.db import unit_of_work
from crm_common.grpc.errors import from_rpc_error
from crm_messaging.campaigns import service as campaigns


def numbers(n: int, start: int = 0) -> list[str]:
    return [f"+9725477{i:05d}" for i in range(start, start + n)]


async def setup(stub, md, *, consenting: list[str]) -> None:
    await stub.PutTemplate(
        pb.PutTemplateRequest(
            template=pb.Template(
                name="promo",
                channel=pb.CHANNEL_SMS,
                language="he",
                text="פרסומת: {{first_name}}, 20% הנחה על {{product}}. להסרה השיבו הסר",
            )
        ),
        metadata=md,
    )
    for number in consenting:
        await stub.SetConsent(
            pb.SetConsentRequest(
                address=number,
                channel=pb.CHANNEL_SMS,
                purpose=pb.PURPOSE_MARKETING,
                granted=True,
                source="loyalty club",
            ),
            metadata=md,
        )


async def create(stub, md, recipients: list[str], rate: int) -> pb.Campaign:
    resp = await stub.CreateCampaign(
        pb.CreateCampaignRequest(
            idempotency_key=str(uuid.uuid4()),
            name="מבצע חנוכה",
            channel=pb.CHANNEL_SMS,
            purpose=pb.PURPOSE_MARKETING,
            template_name="promo",
            language="he",
            recipients=[
                pb.Recipient(address=a, variables={"first_name": "לקוח", "product": "נעליים"})
                for a in recipients
            ],
            rate_per_second=rate,
        ),
        metadata=md,
        timeout=10,
    )
    return resp.campaign


async def progress(stub, md, campaign_id) -> pb.Campaign:
    return (
        await stub.GetCampaign(pb.GetCampaignRequest(campaign_id=campaign_id), metadata=md)
    ).campaign


class TestCampaign:
    async def test_m3_throttled_batches_and_progress_with_opted_out_recipients(
        self, messaging, simulator, h
    ):
        stub, sessionmaker, _, dispatcher = messaging
        tenant = uuid.uuid4()
        md = h.md(tenant)
        everyone = numbers(12, start=100)
        await setup(stub, md, consenting=everyone[:10])
        campaign = await create(stub, md, everyone, rate=5)
        assert (campaign.status, campaign.progress.total, campaign.progress.pending) == (
            "scheduled",
            12,
            12,
        )
        t0 = dt.datetime.now(UTC)
        cid = uuid.UUID(campaign.id)

        async def advance(at):
            async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
                return await campaigns.advance(session=s, tenant_id=tenant, campaign_id=cid, now=at)

        assert await advance(t0) == 5  # a full second of budget at the start
        assert await advance(t0 + dt.timedelta(milliseconds=400)) == 2
        assert await advance(t0 + dt.timedelta(milliseconds=500)) == 0  # 0.1 s: no whole message
        got = await progress(stub, md, campaign.id)
        assert (got.status, got.progress.queued, got.progress.pending) == ("running", 7, 5)
        for i in range(1, 4):
            await advance(t0 + dt.timedelta(seconds=1 + i))
        got = await progress(stub, md, campaign.id)
        assert got.progress.pending == 0
        assert got.progress.opted_out == 2  # no prior consent to marketing
        await dispatcher.dispatch_tenant(tenant, t0 + dt.timedelta(seconds=5))
        await dispatcher.finish_campaigns(t0 + dt.timedelta(seconds=5))
        got = await progress(stub, md, campaign.id)
        assert (got.status, got.progress.sent, got.progress.opted_out) == ("completed", 10, 2)
        received = simulator.received_per_recipient()
        assert all(received[n] == 1 for n in everyone[:10])
        assert all(received[n] == 0 for n in everyone[10:])
        body = next(a.body["Body"] for a in simulator.accepted if a.to == everyone[0])
        assert body == "פרסומת: לקוח, 20% הנחה על נעליים. להסרה השיבו הסר"

    async def test_m3_a_marketing_template_without_the_advertising_word_is_refused(
        self, messaging, h
    ):
        stub, _, _, _ = messaging
        md = h.md(uuid.uuid4())
        await stub.PutTemplate(
            pb.PutTemplateRequest(
                template=pb.Template(
                    name="promo", channel=pb.CHANNEL_SMS, language="he", text="הנחה!"
                )
            ),
            metadata=md,
        )
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await create(stub, md, numbers(1), rate=5)
        assert [v.field for v in from_rpc_error(exc.value).violations] == ["template_name"]

    async def test_m3_bad_recipients_are_named_and_nothing_is_created(self, messaging, h):
        stub, _sessionmaker, _, _ = messaging
        tenant = uuid.uuid4()
        md = h.md(tenant)
        await setup(stub, md, consenting=[])
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await create(stub, md, [numbers(1)[0], "12", "not a phone"], rate=5)
        fields = [v.field for v in from_rpc_error(exc.value).violations]
        assert fields == ["recipients[1].address", "recipients[2].address"]


def worker(url: str, sim_url: str, sid: str, token: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "CRM_MESSAGING_DATABASE_URL": url,
        "CRM_MESSAGING_SMS_API_URL": sim_url,
        "CRM_MESSAGING_SMS_ACCOUNT_SID": sid,
        "CRM_MESSAGING_SMS_AUTH_TOKEN": token,
        "CRM_MESSAGING_WORKER_POLL_INTERVAL_MS": "20",
        "CRM_MESSAGING_WORKER_BATCH_SIZE": "5",
        "CRM_MESSAGING_WORKER_CLAIM_LEASE_MS": "300",
        "CRM_MESSAGING_LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "crm_messaging.main", "work"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_for(predicate, timeout_s: float = 60) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not await predicate():
        if loop.time() > deadline:
            raise AssertionError("condition not reached")
        await asyncio.sleep(0.05)


class TestCrashResume:
    async def test_m3_a_campaign_killed_halfway_and_restarted_sends_each_recipient_once(
        self, messaging, simulator, h
    ):
        stub, _, settings, _ = messaging
        tenant = uuid.uuid4()
        md = h.md(tenant)
        everyone = numbers(80, start=1000)
        opted_out = set(everyone[::10])
        await setup(stub, md, consenting=[n for n in everyone if n not in opted_out])
        campaign = await create(stub, md, everyone, rate=20)
        mine = set(everyone)

        def delivered() -> int:
            return sum(1 for a in simulator.accepted if a.to in mine)

        url = settings.database_url.get_secret_value()
        args = (url, simulator.url, simulator.account_sid, simulator.auth_token)
        first = worker(*args)
        try:
            await wait_for(lambda: asyncio.sleep(0, delivered() >= 25))
            first.send_signal(signal.SIGKILL)  # no cleanup, no commit of the batch in flight
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()
        halfway = await progress(stub, md, campaign.id)
        assert halfway.status == "running"
        remaining = halfway.progress.pending + halfway.progress.queued
        assert remaining > 0, "the kill came too late to prove anything"

        second = worker(*args)
        try:

            async def done() -> bool:
                return (await progress(stub, md, campaign.id)).status == "completed"

            await wait_for(done)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(30)
        final = await progress(stub, md, campaign.id)
        received = simulator.received_per_recipient()
        assert {n: received[n] for n in everyone if n not in opted_out} == {
            n: 1 for n in everyone if n not in opted_out
        }
        assert [received[n] for n in opted_out] == [0] * len(opted_out)
        assert (final.progress.sent, final.progress.opted_out, final.progress.failed) == (72, 8, 0)
