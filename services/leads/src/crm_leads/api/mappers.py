"""Domain <-> protobuf."""

from __future__ import annotations

from crm.leads.v1 import leads_service_pb2 as pb
from crm_common.protoutil import timestamp
from crm_leads.leads.models import Lead, LeadStatus

_STATUS_TO_PB = {
    LeadStatus.NEW: pb.LEAD_STATUS_NEW,
    LeadStatus.CONVERTED: pb.LEAD_STATUS_CONVERTED,
}
STATUS_FROM_PB = {v: k for k, v in _STATUS_TO_PB.items()}


def lead_to_pb(lead: Lead) -> pb.Lead:
    return pb.Lead(
        id=str(lead.id),
        party_id=str(lead.party_id),
        name=lead.name,
        phone=lead.phone or "",
        email=lead.email or "",
        company_name=lead.company_name or "",
        source=lead.source,
        campaign=lead.campaign or "",
        status=_STATUS_TO_PB[lead.status],
        created_at=timestamp(lead.created_at),
        converted_at=timestamp(lead.converted_at),
    )
