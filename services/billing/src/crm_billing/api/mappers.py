"""Domain <-> protobuf."""

from __future__ import annotations

from crm.billing.v1 import billing_service_pb2 as pb
from crm_billing.parties.models import Party
from crm_common.protoutil import timestamp


def party_to_pb(party: Party) -> pb.Party:
    return pb.Party(
        party_id=str(party.party_id),
        name=party.name,
        phone=party.phone or "",
        email=party.email or "",
        updated_at=timestamp(party.updated_at),
    )
