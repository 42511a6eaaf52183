"""iCalendar (RFC 5545) text for the calendar feed: escaping, folding, CRLF.

Only what a subscribed calendar needs: VTODO for tasks, VEVENT for reminders. Lines are
folded at 75 octets without splitting a UTF-8 character (Hebrew titles are 2 octets a letter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//CRM//Calendar feed//HE"


def escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, newline."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str, limit: int = 75) -> str:
    """Fold one content line at ``limit`` octets; continuation lines start with a space."""
    out: list[str] = []
    current = ""
    size = 0
    budget = limit
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > budget:
            out.append(current)
            current, size, budget = "", 0, limit - 1  # the leading space takes one octet
        current += ch
        size += n
    out.append(current)
    return "\r\n ".join(out)


def stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True, slots=True)
class Item:
    """One calendar component: ``kind`` VTODO (a task, ``at`` = due) or VEVENT (a reminder)."""

    kind: str
    uid: str
    summary: str
    at: dt.datetime
    description: str = ""
    status: str = ""
    priority: int = 0


def calendar(items: Iterable[Item], *, name: str, now: dt.datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for item in items:
        lines += [f"BEGIN:{item.kind}", f"UID:{item.uid}", f"DTSTAMP:{stamp(now)}"]
        if item.kind == "VTODO":
            lines.append(f"DUE:{stamp(item.at)}")
            if item.status:
                lines.append(f"STATUS:{item.status}")
            if item.priority:
                lines.append(f"PRIORITY:{item.priority}")
        else:
            lines += [
                f"DTSTART:{stamp(item.at)}",
                f"DTEND:{stamp(item.at + dt.timedelta(minutes=15))}",
            ]
        lines.append(f"SUMMARY:{escape(item.summary)}")
        if item.description:
            lines.append(f"DESCRIPTION:{escape(item.description)}")
        lines.append(f"END:{item.kind}")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
