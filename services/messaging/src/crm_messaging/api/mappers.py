"""Domain <-> protobuf."""

from __future__ import annotations

from crm.messaging.v1 import messaging_service_pb2 as pb
from crm_common.protoutil import timestamp
from crm_messaging.parties.models import Party


def party_to_pb(party: Party) -> pb.Party:
    return pb.Party(
        party_id=str(party.party_id),
        name=party.name,
        phone=party.phone or "",
        email=party.email or "",
        updated_at=timestamp(party.updated_at),
    )
