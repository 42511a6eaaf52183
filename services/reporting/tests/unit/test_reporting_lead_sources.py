"""Leads by source (R2): source buckets and protobuf mapping (counting: facts tests)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from crm_reporting.api.mappers import source_count_to_pb
from crm_reporting.lead_sources.models import LeadSourceCount
from crm_reporting.lead_sources.service import source_key

TENANT = uuid.UUID("0194f7a0-0000-7000-8000-000000000001")
CAPTURED = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


class TestSourceKey:
    @pytest.mark.parametrize(
        ("raw", "key"), [("web", "web"), (" Radio ", "radio"), ("TV", "tv"), ("", "unknown")]
    )
    def test_r2_sources_are_counted_case_insensitively(self, raw, key):
        assert source_key(raw) == key


class TestSourceCountToPb:
    def test_r2_maps_every_field(self):
        row = LeadSourceCount(tenant_id=TENANT, source="web", leads=12, last_captured_at=CAPTURED)
        msg = source_count_to_pb(row)
        assert (msg.source, msg.leads) == ("web", 12)
        assert msg.last_captured_at.ToDatetime(tzinfo=UTC) == CAPTURED
