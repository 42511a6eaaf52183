"""Domain events from Kafka -> webhook deliveries (``crm-gateway webhooks``).

Every event message of ``crm.events.<service>.v1`` is subscribed on its topic
``crm.<service>.<noun>`` (the services' convention: ``LeadCaptured`` is
``lead.captured`` on ``crm.leads.lead``) and on the topic named after its proto
file (``contact_events.proto``: ``crm.contacts.contact``), where some services
publish events of several nouns. The consumer runner (inbox dedupe,
retries, dead letters) calls :func:`on_event` in a transaction with the tenant set.
"""

from __future__ import annotations

import importlib
import pkgutil

from google.protobuf.json_format import MessageToDict
from sqlalchemy.ext.asyncio import AsyncSession

from crm_common.kafka.consumer import Event, Subscription
from crm_common.outbox.writer import event_type_of
from crm_gateway.webhooks_out.engine import enqueue


async def on_event(session: AsyncSession, event: Event) -> None:
    await enqueue(
        session,
        tenant_id=event.tenant_id,
        event_id=event.id,
        event_type=event.type,
        occurred_at=event.occurred_at,
        data=lambda: MessageToDict(event.payload, preserving_proto_field_name=True),
    )


def subscriptions() -> list[Subscription]:
    import crm.events as events_pkg

    subs: list[Subscription] = []
    for info in pkgutil.walk_packages(events_pkg.__path__, prefix="crm.events."):
        if not info.name.endswith("_events_pb2"):
            continue
        module = importlib.import_module(info.name)
        service = info.name.split(".")[2]
        for name in module.DESCRIPTOR.message_types_by_name:
            message = getattr(module, name)
            event_type = event_type_of(message())
            nouns = {event_type.split(".", 1)[0], info.name.rsplit(".", 1)[1].split("_")[0]}
            subs.extend(
                Subscription(
                    topic=f"crm.{service}.{noun}",
                    event_type=event_type,
                    message=message,
                    handler=on_event,
                )
                for noun in sorted(nouns)
            )
    return subs
