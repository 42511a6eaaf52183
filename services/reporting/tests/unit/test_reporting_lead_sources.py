"""Leads by source (R2): source buckets, protobuf mapping and the LeadCaptured consumer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from crm.events.leads.v1 import lead_events_pb2 as lead_ev
from crm_common.db import uuid7
from crm_common.kafka.consumer import Event
from crm_common.protoutil import timestamp
from crm_reporting.api.mappers import source_count_to_pb
from crm_reporting.consumers import leads as lead_consumers
from crm_reporting.lead_sources.models import LeadSourceCount
from crm_reporting.lead_sources.service import source_key

TENANT = uuid.UUID("0194f7a0-0000-7000-8000-000000000001")
CAPTURED = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
PUBLISHED = datetime(2026, 11, 25, 9, 31, tzinfo=UTC)


def lead_captured(*, captured_at: datetime | None) -> Event[lead_ev.LeadCaptured]:
    payload = lead_ev.LeadCaptured(
        lead_id=str(uuid7()), party_id=str(uuid7()), name="Dana", source="radio"
    )
    if captured_at is not None:
        payload.captured_at.CopyFrom(timestamp(captured_at))
    return Event(
        id=uuid7(),
        type="lead.captured",
        tenant_id=TENANT,
        occurred_at=PUBLISHED,
        topic="crm.leads.lead",
        key=payload.lead_id,
        payload=payload,
        headers={},
    )


@pytest.fixture
def counted(monkeypatch) -> list[dict]:
    calls: list[dict] = []

    async def count_captured_lead(**kwargs):
        calls.append(kwargs)

    monkeypatch.setattr(lead_consumers.service, "count_captured_lead", count_captured_lead)
    return calls


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


class TestOnLeadCaptured:
    async def test_r2_counts_the_lead_under_its_source(self, counted):
        session = object()
        await lead_consumers.on_lead_captured(session, lead_captured(captured_at=CAPTURED))
        assert counted == [
            {"session": session, "tenant_id": TENANT, "source": "radio", "captured_at": CAPTURED}
        ]

    async def test_r2_without_captured_at_the_event_time_is_used(self, counted):
        await lead_consumers.on_lead_captured(object(), lead_captured(captured_at=None))
        assert counted[0]["captured_at"] == PUBLISHED
