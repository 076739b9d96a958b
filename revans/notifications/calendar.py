"""Calendar files (.ics, RFC 5545 with iTIP methods) for invitations and the private feed.

Each meeting keeps one UID for its whole life and its `revision` as SEQUENCE (bumped on every
change, cancellation included), so calendar apps update the event they already have instead
of adding a second one. Times carry the set's TZID with its VTIMEZONE. An event says only
the set's name, the times and a link: never the topic or anything written in the set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from revans.core.mail import absolute_url

PRODID = "-//Revans//Action Learning Sets//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
PUBLISH = "PUBLISH"


@dataclass(frozen=True)
class CalendarEntry:
    """One event, whatever it is about (a meeting, or a momentum call through the hook)."""

    uid: str
    sequence: int
    starts_at: dt.datetime  # aware, any zone
    ends_at: dt.datetime
    time_zone: str
    summary: str
    url: str
    cancelled: bool = False


def site_domain() -> str:
    return settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "revans"


def meeting_uid(meeting) -> str:
    return f"revans-meeting-{meeting.pk}@{site_domain()}"


def meeting_entry(meeting, learning_set=None) -> CalendarEntry:
    learning_set = learning_set or meeting.learning_set
    return CalendarEntry(
        uid=meeting_uid(meeting),
        sequence=meeting.revision,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        time_zone=learning_set.time_zone,
        summary=_("Action Learning Set: %(set)s") % {"set": learning_set.name},
        url=absolute_url(reverse("meetings:detail", args=[meeting.pk])),
        cancelled=meeting.is_cancelled,
    )


def _event(entry: CalendarEntry, *, attendee=None, method: str = PUBLISH) -> Event:
    zone = ZoneInfo(entry.time_zone)
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", entry.starts_at.astimezone(zone))
    event.add("dtend", entry.ends_at.astimezone(zone))
    event.add("summary", entry.summary)
    event.add("url", entry.url)
    event.add("description", _("Details and replies: %(link)s") % {"link": entry.url})
    event.add("status", "CANCELLED" if entry.cancelled or method == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if attendee is not None:
        # Invitations name an organiser and the attendee, as calendar apps expect of a
        # REQUEST; RSVP=FALSE: replies are made in Revans, not to the sender address.
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        organizer = vCalAddress(f"mailto:{address or 'revans@localhost'}")
        organizer.params["cn"] = vText(name or "Revans")
        event.add("organizer", organizer)
        person = vCalAddress(f"mailto:{attendee.email}")
        person.params["cn"] = vText(attendee.display_name)
        person.params["role"] = vText("REQ-PARTICIPANT")
        person.params["rsvp"] = vText("FALSE")
        event.add("attendee", person)
    return event


def _calendar(method: str, entries: list[CalendarEntry], *, attendee=None, name: str = "") -> str:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        # Subscribing apps re-read the feed about hourly.
        calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    for entry in entries:
        calendar.add_component(_event(entry, attendee=attendee, method=method))
    if entries:
        # VTIMEZONE rules for the years around these events only: the whole history of a
        # zone since 1970 makes every invitation several kilobytes longer.
        year = dt.timedelta(days=366)
        calendar.add_missing_timezones(
            first_date=min(e.starts_at for e in entries).date() - year,
            last_date=max(e.ends_at for e in entries).date() + year,
        )
    return calendar.to_ical().decode()


def invitation_ics(meeting, attendee) -> str:
    """METHOD:REQUEST for a new or changed meeting, METHOD:CANCEL for a cancelled one."""
    method = CANCEL if meeting.is_cancelled else REQUEST
    return _calendar(method, [meeting_entry(meeting)], attendee=attendee)


def invitation_attachment(meeting, attendee) -> dict:
    method = CANCEL if meeting.is_cancelled else REQUEST
    return {
        "filename": f"meeting-{meeting.pk}.ics",
        "content": invitation_ics(meeting, attendee),
        "mimetype": f"text/calendar; method={method}; charset=UTF-8",
    }


def feed_ics(user, entries: list[CalendarEntry]) -> str:
    name = _("Revans: %(name)s") % {"name": user.display_name}
    return _calendar(PUBLISH, entries, name=name)
