"""What reminders and the calendar feed need from momentum calls: times and names, no notes.

Connected to revans.notifications.hooks in CallsConfig.ready(); the calls' actions schedule
and cancel each call's reminder row (revans.notifications.scheduling).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from revans.calls import queries
from revans.calls.models import MomentumCall
from revans.core.mail import absolute_url
from revans.notifications.calendar import CalendarEntry, site_domain
from revans.notifications.hooks import CallReminder


def call_uid(call: MomentumCall) -> str:
    return f"revans-call-{call.pk}@{site_domain()}"


def call_for_reminder(subject_key: str) -> CallReminder | None:
    """The call behind a reminder row, as it is now; None once it is no longer planned."""
    try:
        call_id = int(subject_key.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return None
    call = queries.planned_calls().filter(pk=call_id).first()
    # planned_calls() only has calls with a time; a call without one has nothing to remind of.
    if call is None or call.starts_at is None:
        return None
    facilitator = call.learning_set.facilitator
    if facilitator is None:  # nobody to hold the call with
        return None
    people = {call.member: facilitator.display_name, facilitator: call.member.display_name}
    return CallReminder(
        starts_at=call.starts_at,
        time_zone=call.learning_set.time_zone,
        set_name=call.learning_set.name,
        people=people,
        url=absolute_url(reverse("calls:detail", args=[call.pk])),
    )


def calendar_entries(user) -> list[CalendarEntry]:
    """The person's planned calls for their calendar feed. A planned call's time never
    changes (a new time is a new call), so SEQUENCE stays 0; a call that is no longer
    planned leaves the feed."""
    entries = []
    for call in queries.calls_for_user(user):
        starts_at, facilitator = call.starts_at, call.learning_set.facilitator
        # As call_for_reminder: planned_calls() only has calls with a time, and a call with
        # nobody to hold it with is not one to put in a calendar.
        if starts_at is None or facilitator is None:
            continue
        entries.append(
            CalendarEntry(
                uid=call_uid(call),
                sequence=0,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=call.duration_minutes),
                time_zone=call.learning_set.time_zone,
                summary=_("Momentum call: %(member)s and %(facilitator)s (%(set)s)")
                % {
                    "member": call.member.display_name,
                    "facilitator": facilitator.display_name,
                    "set": call.learning_set.name,
                },
                url=absolute_url(reverse("calls:detail", args=[call.pk])),
            )
        )
    return entries
