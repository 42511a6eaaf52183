"""A5 in messaging: consent decisions and channel configuration (Core upserts) leave audit
rows with the values written; channel secrets are recorded as "***", never in clear."""

from __future__ import annotations

import uuid

import grpc
import pytest
from sqlalchemy import select

from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_common.db import unit_of_work
from crm_common.grpc.errors import from_rpc_error
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


async def test_m7_configure_channel_with_nul_is_invalid_argument_and_stores_nothing(messaging):
    """A NUL in any text field of a request (sent straight over gRPC, not through the
    gateway) is INVALID_ARGUMENT naming the field, not an internal error (refused at the
    gRPC edge, crm_common.grpc.nul, before the use case runs)."""
    stub, sessionmaker, _, _ = messaging
    tenant = uuid.uuid4()
    meta = (("x-tenant-id", str(tenant)), ("x-user-id", str(uuid.uuid4())))
    bad = pb.ConfigureChannelRequest(
        provider=pb.PROVIDER_WHATSAPP,
        webhook_secret="s3cret-" + uuid.uuid4().hex,
        verify_token="tok\x00en-1234",
        sender="Sh\x00op",
    )
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await stub.ConfigureChannel(bad, metadata=meta, timeout=10)
    assert caught.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    err = from_rpc_error(caught.value)
    assert {v.field for v in err.violations} == {"verify_token", "sender"}
    with pytest.raises(grpc.aio.AioRpcError) as missing:
        await stub.GetChannelSecrets(
            pb.GetChannelSecretsRequest(provider=pb.PROVIDER_WHATSAPP),
            metadata=meta,
            timeout=10,
        )
    assert missing.value.code() == grpc.StatusCode.NOT_FOUND
    assert await _audit(sessionmaker, tenant, "channel_accounts") == []
    # Nested and map fields are named by their path.
    with pytest.raises(grpc.aio.AioRpcError) as nested:
        await stub.SendMessage(
            pb.SendMessageRequest(
                idempotency_key="k-" + uuid.uuid4().hex,
                channel=pb.CHANNEL_EMAIL,
                purpose=pb.PURPOSE_TRANSACTIONAL,
                to_address="dana@example.co.il",
                subject="שלום",
                text="גוף",
                variables={"name": "דנה\x00"},
                attachments=[pb.Attachment(filename="a\x00.pdf", content=b"\x00ok")],
            ),
            metadata=meta,
            timeout=10,
        )
    assert nested.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    fields = {v.field for v in from_rpc_error(nested.value).violations}
    assert fields == {"variables['name']", "attachments[0].filename"}
