"""The e-mail of a scheduled report goes through messaging's SendMessage (gRPC)."""

from __future__ import annotations

import uuid

import grpc

from crm.messaging.v1 import messaging_service_pb2 as msg_pb
from crm.messaging.v1 import messaging_service_pb2_grpc as msg_grpc
from crm_common.grpc.client import call_metadata, make_channel
from crm_reporting.schedules.service import Outgoing


class MessagingSender:
    """A :data:`~crm_reporting.schedules.service.Sender` over one channel to messaging."""

    def __init__(self, addr: str, *, deadline_s: float = 30.0) -> None:
        self._channel: grpc.aio.Channel | None = None
        self._addr = addr
        self.deadline_s = deadline_s

    @property
    def stub(self) -> msg_grpc.MessagingServiceStub:
        if self._channel is None:  # made lazily: inside the scheduler's event loop
            self._channel = make_channel(self._addr)
        return msg_grpc.MessagingServiceStub(self._channel)

    async def __call__(self, tenant_id: uuid.UUID, out: Outgoing) -> None:
        await self.stub.SendMessage(
            msg_pb.SendMessageRequest(
                idempotency_key=out.idempotency_key,
                channel=msg_pb.CHANNEL_EMAIL,
                purpose=msg_pb.PURPOSE_TRANSACTIONAL,
                to_address=out.to_address,
                subject=out.subject,
                text=out.text,
                attachments=[
                    msg_pb.Attachment(
                        filename=out.file.filename,
                        content_type=out.file.content_type,
                        content=out.file.content,
                    )
                ],
            ),
            metadata=call_metadata(tenant_id=tenant_id, actor_kind="system"),
            timeout=self.deadline_s,
        )

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
            self._channel = None
