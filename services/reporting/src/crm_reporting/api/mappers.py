"""Domain <-> protobuf."""

from __future__ import annotations

from crm.reporting.v1 import reporting_service_pb2 as pb
from crm_common.protoutil import timestamp
from crm_reporting.lead_sources.models import LeadSourceCount


def source_count_to_pb(row: LeadSourceCount) -> pb.SourceCount:
    return pb.SourceCount(
        source=row.source, leads=row.leads, last_captured_at=timestamp(row.last_captured_at)
    )
