"""The short emails members get when a meeting moves or is cancelled.

Only the set's name, dates and a link: never the topic, notes or anything else written
inside the set, since an email can be forwarded or read on a shared screen.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from revans.core.mail import absolute_url, queue_email
from revans.meetings.models import Meeting
from revans.meetings.rules import describe_start
from revans.sets.models import SetMembership

KIND = "meeting_update"


def _recipients(meeting: Meeting, actor) -> list:
    """Current members and the facilitator, except whoever made the change."""
    learning_set = meeting.learning_set
    people = {
        m.user.pk: m.user
        for m in SetMembership.objects.filter(
            learning_set=learning_set, left_at__isnull=True
        ).select_related("user")
    }
    if learning_set.facilitator_id and learning_set.facilitator_id not in people:
        people[learning_set.facilitator_id] = learning_set.facilitator
    actor_id = getattr(actor, "pk", None)
    return [user for user_id, user in people.items() if user_id != actor_id and user.is_active]


def _send(meeting: Meeting, actor, subject: str, body_lines: list[str]) -> None:
    link = absolute_url(reverse("meetings:detail", args=[meeting.pk]))
    for user in _recipients(meeting, actor):
        greeting = _("Hello %(name)s,") % {"name": user.display_name}
        body = "\n\n".join([greeting, *body_lines, _("See the meeting: %(link)s") % {"link": link}])
        queue_email(
            to=user.email,
            subject=subject,
            body=body + "\n",
            kind=KIND,
            organisation=meeting.learning_set.organisation,
        )


def send_meeting_moved(meeting: Meeting, *, actor, previous_start, previous_minutes) -> None:
    learning_set = meeting.learning_set
    zone = learning_set.time_zone
    lines = [
        _("A meeting of %(set)s has changed.") % {"set": learning_set.name},
        "\n".join(
            [
                _("Now: %(when)s, %(minutes)s minutes")
                % {
                    "when": describe_start(meeting.starts_at, zone),
                    "minutes": meeting.duration_minutes,
                },
                _("Was: %(when)s, %(minutes)s minutes")
                % {"when": describe_start(previous_start, zone), "minutes": previous_minutes},
            ]
        ),
    ]
    _send(meeting, actor, _("Meeting moved: %(set)s") % {"set": learning_set.name}, lines)


def send_meeting_cancelled(meeting: Meeting, *, actor) -> None:
    learning_set = meeting.learning_set
    lines = [
        _("The meeting of %(set)s on %(when)s is cancelled.")
        % {
            "set": learning_set.name,
            "when": describe_start(meeting.starts_at, learning_set.time_zone),
        }
    ]
    _send(meeting, actor, _("Meeting cancelled: %(set)s") % {"set": learning_set.name}, lines)
