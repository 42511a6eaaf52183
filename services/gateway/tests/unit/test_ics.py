"""A3: the calendar connector's iCalendar text (RFC 5545 escaping, folding, CRLF)."""

import datetime as dt

from crm_gateway import ics


def _unfold(text: str) -> list[str]:
    assert text.endswith("\r\n")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_a3_ics_escapes_text_values() -> None:
    assert ics.escape("a,b;c\\d\nשורה") == "a\\,b\\;c\\\\d\\nשורה"


def test_a3_ics_folds_at_75_octets_without_splitting_hebrew_letters() -> None:
    line = "SUMMARY:" + "התקשר ללקוח בנוגע להצעת המחיר " * 6
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 2
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line  # decodes back exactly


def test_a3_ics_calendar_has_todos_and_events_in_utc() -> None:
    due = dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    text = ics.calendar(
        [
            ics.Item(kind="VTODO", uid="task-1@crm", summary="חשבונית, דחוף", at=due, priority=1),
            ics.Item(kind="VEVENT", uid="reminder-2@crm", summary="לחזור לדנה", at=due),
        ],
        name="המשימות שלי",
        now=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )
    lines = _unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    todo = lines[lines.index("BEGIN:VTODO") : lines.index("END:VTODO")]
    assert "DUE:20260331T203000Z" in todo  # 23:30 Israel summer time is 20:30 UTC
    assert "SUMMARY:חשבונית\\, דחוף" in todo and "PRIORITY:1" in todo
    event = lines[lines.index("BEGIN:VEVENT") : lines.index("END:VEVENT")]
    assert "DTSTART:20260331T203000Z" in event and "DTEND:20260331T204500Z" in event
    assert "DTSTAMP:20260301T000000Z" in event
