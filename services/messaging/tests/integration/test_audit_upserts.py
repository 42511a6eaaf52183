"""A5 in messaging: consent decisions and channel configuration (Core upserts) leave audit
rows with the values written; channel secrets are recorded as "***", never in clear."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_common.db import unit_of_work
from crm_common.plumbing import audit_log_table


async def _audit(sessionmaker, tenant: uuid.UUID, entity: str) -> list:
    async with unit_of_work(sessionmaker, tenant_id=tenant) as s:
        stmt = (
            select(audit_log_table)
            .where(audit_log_table.c.entity == entity)
            .order_by(audit_log_table.c.id)
        )
        return list((await s.execute(stmt)).all())


async def test_a5_consent_and_channel_upserts_are_audited_secrets_redacted(messaging):
    stub, sessionmaker, _, _ = messaging
    tenant, user = uuid.uuid4(), uuid.uuid4()
    meta = (("x-tenant-id", str(tenant)), ("x-user-id", str(user)), ("x-actor-kind", "user"))
    await stub.SetConsent(
        pb.SetConsentRequest(
            address="054-777-8899",
            channel=pb.CHANNEL_SMS,
            purpose=pb.PURPOSE_MARKETING,
            granted=True,
            source="טופס הרשמה",
        ),
        metadata=meta,
        timeout=10,
    )
    [consent] = await _audit(sessionmaker, tenant, "consents")
    assert (consent.action, consent.actor_id) == ("upsert", str(user))
    assert consent.entity_id == "sms:+972547778899:marketing"
    assert consent.changes["granted"] == [None, True]
    assert consent.changes["source"] == [None, "טופס הרשמה"]

    secret = "s3cret-" + uuid.uuid4().hex
    await stub.ConfigureChannel(
        pb.ConfigureChannelRequest(
            provider=pb.PROVIDER_TWILIO, webhook_secret=secret, sender="Shop"
        ),
        metadata=meta,
        timeout=10,
    )
    [channel] = await _audit(sessionmaker, tenant, "channel_accounts")
    assert channel.entity_id == "twilio"
    assert channel.changes["webhook_secret"] == [None, "***"]
    assert channel.changes["sender"] == [None, "Shop"]
    assert secret not in str(channel.changes)
