"""The way into the live meeting from the meeting's page, for people inside the set."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.live.models import LiveMeeting

register = template.Library()


@register.inclusion_tag("live/_meeting_link.html")
def live_meeting_link(meeting, role):
    """Facilitator and members: when the room opens before the day, "Open"/"Join" on the
    day, "Read the summary" after. Nobody else is offered anything (the pages would refuse
    them)."""
    shown = {"meeting": meeting, "kind": None, "role": role}
    if role is None or not role.is_inside or meeting.is_cancelled:
        return shown
    day, today = _day_and_today(meeting, meeting.learning_set.time_zone)
    if day > today:
        # Only word of when it opens, and no query spent on finding that out.
        shown["kind"] = "later"
        return shown
    status = meeting.live_status  # loaded with the meeting (with_live_status)
    if status == LiveMeeting.Status.ENDED:
        shown["kind"] = "summary"
    elif day == today:
        shown["kind"] = "open" if role.is_facilitator else "join"
        shown["status"] = status
    return shown


def _day_and_today(meeting, zone_name: str):
    """The meeting's day and today, as the calendar reads in the set's time zone."""
    zone = ZoneInfo(zone_name)
    return meeting.starts_at.astimezone(zone).date(), timezone.now().astimezone(zone).date()


@register.filter
def on_its_day(meeting, zone_name: str) -> bool:
    """Is it the meeting's day (in the set's time zone)? For the way into the room from the
    home page, which lists the next meeting not yet over; no query."""
    if meeting is None or meeting.is_cancelled:
        return False
    day, today = _day_and_today(meeting, zone_name)
    return day == today


@register.filter
def minutes_seconds(seconds) -> str:
    """A duration as people read it: "45 s", "4 min 05 s"."""
    seconds = int(seconds or 0)
    if seconds < 60:
        return _("%(s)d s") % {"s": seconds}
    return _("%(m)d min %(s)02d s") % {"m": seconds // 60, "s": seconds % 60}
