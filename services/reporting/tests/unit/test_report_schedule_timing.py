"""R7 per-schedule send time (issue 8): the pure timing of report schedules with a fixed
``now``: due day, send hour, next send, and the 2026 DST days in Asia/Jerusalem (clocks go
forward on Fri 27 Mar 02:00 -> 03:00 and back on Sun 25 Oct 02:00 -> 01:00, checked
against zoneinfo below)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from crm_reporting.schedules.models import ReportSchedule
from crm_reporting.schedules.service import next_send_at, send_at, should_send

IL = ZoneInfo("Asia/Jerusalem")
UTC = dt.UTC
SPRING = dt.date(2026, 3, 27)
AUTUMN = dt.date(2026, 10, 25)


def sched(cadence="daily", send_hour=7, weekday=6, day_of_month=1, **kw) -> ReportSchedule:
    return ReportSchedule(
        cadence=cadence,
        send_hour=send_hour,
        weekday=weekday,
        day_of_month=day_of_month,
        active=kw.pop("active", True),
        last_sent_on=kw.pop("last_sent_on", None),
        **kw,
    )


def test_r7_dst_dates_of_2026_in_jerusalem_are_the_ones_tested():
    """The DST change days used below are the real 2026 ones (zoneinfo)."""
    before = dt.datetime.combine(SPRING, dt.time(0), tzinfo=IL).utcoffset()
    after = dt.datetime.combine(SPRING, dt.time(4), tzinfo=IL).utcoffset()
    assert (before, after) == (dt.timedelta(hours=2), dt.timedelta(hours=3))
    before = dt.datetime.combine(AUTUMN, dt.time(0), tzinfo=IL).utcoffset()
    after = dt.datetime.combine(AUTUMN, dt.time(4), tzinfo=IL).utcoffset()
    assert (before, after) == (dt.timedelta(hours=3), dt.timedelta(hours=2))
    day_before = dt.datetime.combine(SPRING - dt.timedelta(days=1), dt.time(12), tzinfo=IL)
    assert day_before.utcoffset() == dt.timedelta(hours=2)


def test_r7_send_at_on_dst_days_is_the_first_real_instant_of_the_hour():
    """02:00 does not exist on 27 Mar: due at 00:00Z (= 03:00 IDT); 01:00 happens twice on
    25 Oct: due at its first occurrence, 22:00Z on the 24th (01:00 IDT)."""
    assert send_at(sched(send_hour=2), SPRING, IL) == dt.datetime(2026, 3, 27, 0, tzinfo=UTC)
    assert send_at(sched(send_hour=1), AUTUMN, IL) == dt.datetime(2026, 10, 24, 22, tzinfo=UTC)
    assert send_at(sched(send_hour=7), AUTUMN, IL) == dt.datetime(2026, 10, 25, 5, tzinfo=UTC)


def _simulate(row: ReportSchedule, start: dt.datetime, hours: int) -> dict[dt.date, dt.datetime]:
    """Hourly ticks as the job runs them: the local date of each send -> the tick."""
    sends: dict[dt.date, dt.datetime] = {}
    for h in range(hours):
        now = start + dt.timedelta(hours=h)
        if should_send(row, now, IL):
            day = now.astimezone(IL).date()
            assert day not in sends, f"sent twice on {day} (hour {row.send_hour})"
            sends[day] = now
            row.last_sent_on = day
    return sends


@pytest.mark.parametrize("send_hour", range(24))
def test_r7_dst_days_neither_skip_nor_double_a_daily_send(send_hour):
    """Every hour 0-23 of a daily schedule, hourly ticks across both 2026 DST changes: one
    send per local day, on the first tick at/after the send time."""
    row = sched(send_hour=send_hour)
    for first_day in (dt.date(2026, 3, 25), dt.date(2026, 10, 23)):
        row.last_sent_on = first_day - dt.timedelta(days=1)
        start = dt.datetime.combine(first_day, dt.time(0), tzinfo=IL).astimezone(UTC)
        end = dt.datetime.combine(first_day + dt.timedelta(days=5), dt.time(0), tzinfo=IL)
        hours = (end.astimezone(UTC) - start) // dt.timedelta(hours=1)  # 5 local days: 120
        sends = _simulate(row, start, hours)
        days = [first_day + dt.timedelta(days=i) for i in range(5)]
        assert sorted(sends) == days
        for day, tick in sends.items():
            due = send_at(row, day, IL)
            assert due <= tick < due + dt.timedelta(hours=1)


def test_r7_spring_and_autumn_sends_at_the_expected_ticks():
    """Hand-computed: a 02:00 schedule goes out at 00:00Z on 27 Mar (03:00 IDT, 02:00 never
    happens); a 01:00 schedule at 22:00Z on 24 Oct (the first 01:00) and not again at 23:00Z
    (the second 01:00)."""
    spring = _simulate(
        sched(send_hour=2, last_sent_on=dt.date(2026, 3, 26)),
        dt.datetime(2026, 3, 26, 20, tzinfo=UTC),
        12,
    )
    assert spring == {SPRING: dt.datetime(2026, 3, 27, 0, tzinfo=UTC)}
    autumn = _simulate(
        sched(send_hour=1, last_sent_on=dt.date(2026, 10, 24)),
        dt.datetime(2026, 10, 24, 20, tzinfo=UTC),
        8,
    )
    assert autumn == {AUTUMN: dt.datetime(2026, 10, 24, 22, tzinfo=UTC)}


def test_r7_weekly_and_monthly_days_and_hours():
    """A weekly Tuesday 09:00 schedule waits for Tuesday 09:00 local; a monthly one on the
    15th at 18:00 for the 15th."""
    weekly = sched("weekly", send_hour=9, weekday=1)  # Tuesday
    monday = dt.datetime(2026, 11, 30, 10, tzinfo=UTC)
    assert not should_send(weekly, monday, IL)
    assert not should_send(weekly, dt.datetime(2026, 12, 1, 6, 59, tzinfo=UTC), IL)
    assert should_send(weekly, dt.datetime(2026, 12, 1, 7, 0, tzinfo=UTC), IL)
    monthly = sched("monthly", send_hour=18, day_of_month=15)
    assert not should_send(monthly, dt.datetime(2026, 12, 14, 17, tzinfo=UTC), IL)
    assert not should_send(monthly, dt.datetime(2026, 12, 15, 15, 59, tzinfo=UTC), IL)
    assert should_send(monthly, dt.datetime(2026, 12, 15, 16, tzinfo=UTC), IL)


def test_r7_next_send_at_for_the_ui():
    """next_send_at: today's send time while not sent (even if the hour has passed and the
    next tick will send it), else the next due day's; None when inactive."""
    weekly = sched("weekly", send_hour=9, weekday=1)
    monday = dt.datetime(2026, 11, 30, 10, tzinfo=UTC)
    assert next_send_at(weekly, monday, IL) == dt.datetime(2026, 12, 1, 7, tzinfo=UTC)
    weekly.last_sent_on = dt.date(2026, 12, 1)
    tuesday_noon = dt.datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert next_send_at(weekly, tuesday_noon, IL) == dt.datetime(2026, 12, 8, 7, tzinfo=UTC)
    daily = sched(send_hour=7)
    assert next_send_at(daily, monday, IL) == dt.datetime(2026, 11, 30, 5, tzinfo=UTC)
    monthly = sched("monthly", send_hour=7, day_of_month=28, last_sent_on=dt.date(2027, 1, 28))
    # February 2027 has a 28th: 07:00 IST = 05:00Z.
    jan_29 = dt.datetime(2027, 1, 29, 10, tzinfo=UTC)
    assert next_send_at(monthly, jan_29, IL) == dt.datetime(2027, 2, 28, 5, tzinfo=UTC)
    assert next_send_at(sched(active=False), monday, IL) is None
