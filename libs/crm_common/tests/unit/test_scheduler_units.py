"""A2/C8/B4: the scheduler's periods and the tenant time zone (no database)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from crm.events.gateway.v1 import tenant_events_pb2 as tev
from crm_common.scheduler import Daily, Every, Job
from crm_common.tenants import DEFAULT_TIME_ZONE, tenant_from_event, valid_time_zone

JERUSALEM = "Asia/Jerusalem"
SIX = Daily(dt.time(6, 0))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def test_c8_daily_0600_jerusalem_is_due_at_0400_utc_in_winter():
    """Israel Standard Time is UTC+2: 06:00 local is 04:00 UTC."""
    assert SIX.run_key(utc(2026, 1, 15, 3, 59, 59), JERUSALEM) is None
    assert SIX.run_key(utc(2026, 1, 15, 4, 0), JERUSALEM) == "2026-01-15"
    assert SIX.run_key(utc(2026, 1, 15, 21, 59), JERUSALEM) == "2026-01-15"
    # 22:00 UTC is already the next local day, before 06:00 there
    assert SIX.run_key(utc(2026, 1, 15, 22, 0), JERUSALEM) is None


def test_c8_daily_0600_jerusalem_is_due_at_0300_utc_in_summer():
    """Israel Daylight Time is UTC+3: 06:00 local is 03:00 UTC."""
    assert SIX.run_key(utc(2026, 7, 15, 2, 59, 59), JERUSALEM) is None
    assert SIX.run_key(utc(2026, 7, 15, 3, 0), JERUSALEM) == "2026-07-15"


def test_c8_daily_follows_each_tenants_own_zone():
    now = utc(2026, 1, 15, 5, 0)  # 07:00 in Jerusalem, 00:00 in New York, 14:00 in Tokyo
    assert SIX.run_key(now, JERUSALEM) == "2026-01-15"
    assert SIX.run_key(now, "America/New_York") is None
    assert SIX.run_key(now, "Asia/Tokyo") == "2026-01-15"
    # an unknown zone in the directory falls back to Asia/Jerusalem
    assert SIX.run_key(now, "Mars/Olympus") == "2026-01-15"


def test_c8_daily_in_the_spring_forward_gap_runs_once_when_the_clock_passes_it():
    """Israel moves 02:00 -> 03:00 on 2026-03-27; a 02:30 job runs at 03:00 local that day."""
    at_0230 = Daily(dt.time(2, 30))
    assert at_0230.run_key(utc(2026, 3, 26, 23, 59), JERUSALEM) is None  # 01:59 IST
    assert at_0230.run_key(utc(2026, 3, 27, 0, 0), JERUSALEM) == "2026-03-27"  # 03:00 IDT


def test_t3_every_five_minutes_keys_are_utc_slots():
    five = Every(5)
    assert five.run_key(utc(2026, 1, 15, 10, 4, 59), JERUSALEM) == "2026-01-15T10:00Z"
    assert five.run_key(utc(2026, 1, 15, 10, 5), JERUSALEM) == "2026-01-15T10:05Z"
    assert five.run_key(utc(2026, 1, 15, 10, 9), "Asia/Tokyo") == "2026-01-15T10:05Z"
    with pytest.raises(ValueError):
        Every(0)


def test_a2_job_names_are_checked():
    async def noop(session, tenant, now):
        return None

    with pytest.raises(ValueError):
        Job("bad!name", SIX, noop)
    with pytest.raises(ValueError):
        Job("", SIX, noop)


def test_a2_time_zone_validation():
    assert valid_time_zone("Asia/Jerusalem")
    assert valid_time_zone("Europe/London")
    for bad in ("", "Asia/Nowhere", "+02:00", "../etc/passwd", " Asia/Jerusalem", "x" * 70):
        assert not valid_time_zone(bad), bad


def test_a2_tenant_created_payload_maps_to_directory_values():
    tenant = uuid.uuid4()
    msg = tev.TenantCreated(
        tenant_id=str(tenant), name="שמש", slug="shemesh", time_zone="Europe/London"
    )
    info = tenant_from_event(msg, tenant)
    assert (info.tenant_id, info.name, info.slug, info.time_zone) == (
        tenant,
        "שמש",
        "shemesh",
        "Europe/London",
    )
    assert (info.locale, info.currency) == ("he-IL", "ILS")
    bad = tenant_from_event(tev.TenantCreated(tenant_id="x", time_zone="Nowhere/X"), tenant)
    assert bad.tenant_id == tenant and bad.time_zone == DEFAULT_TIME_ZONE
