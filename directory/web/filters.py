"""Template filters that put listings into plain words."""

from __future__ import annotations

import datetime as dt

from flask import Flask, render_template

from directory import schedule as recurrence
from directory.models import Group, utcnow

FORMAT_LABELS = {
    "in_person": "In person",
    "online": "Online",
    "hybrid": "In person and online",
    "phone": "By phone",
}
COST_LABELS = {"free": "Free", "donation": "Donation welcome", "fee": "Fee"}
FACILITATION_LABELS = {
    "peer": "Peers with lived experience",
    "professional": "A professional",
    "co": "A peer and a professional together",
}
#: A listing not verified for this long carries a notice that it may be out of date.
STALE_AFTER = dt.timedelta(days=365)


def verified_text(verified_at: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """Say in words how long ago a listing was last confirmed."""
    if verified_at is None:
        return "Not yet verified by the organiser."
    now = now or utcnow()
    days = (now - verified_at).days
    if days < 1:
        ago = "today"
    elif days < 2:
        ago = "yesterday"
    elif days < 60:
        ago = f"{days} days ago"
    elif days < 730:
        ago = f"{days // 30} months ago"
    else:
        ago = f"{days // 365} years ago"
    text = f"Last verified {ago} ({verified_at:%B %-d, %Y})."
    if now - verified_at > STALE_AFTER:
        text += " This listing may be out of date: please check with the group before you go."
    return text


def upcoming_meetings(group: Group, count: int = 3) -> list[dt.datetime]:
    """Return the group's next ``count`` meeting starts across all its schedules."""
    now = utcnow()
    starts = [
        start
        for schedule in group.schedules
        for start in recurrence.next_occurrences(schedule, now, count)
    ]
    return sorted(starts)[:count]


def meeting_time(start: dt.datetime) -> str:
    """Format a meeting start in its own zone, e.g. 'Tuesday, December 1, 7:00 pm CST'."""
    hour = start.strftime("%-I:%M %p").lower().replace(":00 ", ":00 ")
    return f"{start:%A, %B %-d}, {hour} {start.tzname()}"


def init_app(app: Flask) -> None:
    """Register the filters and the error pages on ``app``."""
    app.add_template_filter(lambda v: FORMAT_LABELS.get(v, v), "format_label")
    app.add_template_filter(lambda v: COST_LABELS.get(v, v), "cost_label")
    app.add_template_filter(lambda v: FACILITATION_LABELS.get(v, v), "facilitation_label")
    app.add_template_filter(recurrence.describe, "schedule_text")
    app.add_template_filter(upcoming_meetings, "upcoming_meetings")
    app.add_template_filter(meeting_time, "meeting_time")
    app.add_template_filter(verified_text, "verified_text")

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(_error):
        return render_template("errors/500.html"), 500
