"""The emails members get about meetings: new ones (invitations), moves and cancellations.

Only the set's name, dates and a link: never the topic, notes or anything else written
inside the set, since an email can be forwarded or read on a shared screen. Each carries an
.ics file per meeting (revans.notifications.calendar) so calendar apps add, update or
remove the event. They are optional for the person ("meeting invitations and changes").
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.core.mail import absolute_url
from revans.meetings.models import Meeting
from revans.meetings.rules import describe_start
from revans.notifications import kinds
from revans.notifications.calendar import invitation_attachment
from revans.notifications.outgoing import notify, opted_out
from revans.sets.models import SetMembership

KIND = kinds.MEETING_UPDATE


def _recipients(learning_set, actor) -> list:
    """Current members and the facilitator, except whoever made the change."""
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


def _send(learning_set, meetings: list[Meeting], people, subject: str, lines: list[str]) -> None:
    muted = opted_out(KIND, [u.pk for u in people])
    for user in people:
        if user.pk in muted:
            continue
        notify(
            user,
            kind=KIND,
            subject=subject,
            lines=lines,
            organisation=learning_set.organisation,
            attachments=[invitation_attachment(m, user) for m in meetings],
            skip_check=True,
        )


def _link(meeting: Meeting) -> str:
    return absolute_url(reverse("meetings:detail", args=[meeting.pk]))


def _listing(meetings: list[Meeting], zone: str) -> str:
    return "\n".join(f"- {describe_start(m.starts_at, zone)}" for m in meetings)


def send_meeting_invitations(learning_set, meetings: list[Meeting], *, actor) -> None:
    """New meetings: one email per person, with one calendar file per meeting."""
    meetings = [m for m in meetings if not m.is_cancelled and m.starts_at > timezone.now()]
    if not meetings:
        return
    zone = learning_set.time_zone
    if len(meetings) == 1:
        subject = _("New meeting: %(set)s") % {"set": learning_set.name}
        intro = _("A meeting of %(set)s is scheduled:") % {"set": learning_set.name}
    else:
        subject = _("Meetings scheduled: %(set)s") % {"set": learning_set.name}
        intro = _("These meetings of %(set)s are scheduled:") % {"set": learning_set.name}
    lines = [
        intro + "\n" + _listing(meetings, zone),
        _("The attached calendar files add them to your calendar."),
        _("See the meeting: %(link)s") % {"link": _link(meetings[0])},
    ]
    _send(learning_set, meetings, _recipients(learning_set, actor), subject, lines)


def send_schedule_to_new_member(membership: SetMembership) -> None:
    """A member who joins gets the set's upcoming meetings as invitations."""
    learning_set = membership.learning_set
    meetings = list(
        Meeting.objects.filter(
            learning_set=learning_set,
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=timezone.now(),
        ).order_by("starts_at")
    )
    if not meetings or not membership.user.is_active:
        return
    lines = [
        _("Welcome to %(set)s. Its meetings:") % {"set": learning_set.name}
        + "\n"
        + _listing(meetings, learning_set.time_zone),
        _("The attached calendar files add them to your calendar."),
        _("See the set: %(link)s")
        % {"link": absolute_url(reverse("sets:detail", args=[learning_set.pk]))},
    ]
    subject = _("Your meetings: %(set)s") % {"set": learning_set.name}
    _send(learning_set, meetings, [membership.user], subject, lines)


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
        # Replies are given for a time (Rsvp.given_for); a new length keeps them.
        (
            _("If you had replied, please reply again for the new time: %(link)s")
            if meeting.starts_at != previous_start
            else _("See the meeting: %(link)s")
        )
        % {"link": _link(meeting)},
    ]
    subject = _("Meeting moved: %(set)s") % {"set": learning_set.name}
    _send(learning_set, [meeting], _recipients(learning_set, actor), subject, lines)


def send_meeting_cancelled(meeting: Meeting, *, actor) -> None:
    learning_set = meeting.learning_set
    lines = [
        _("The meeting of %(set)s on %(when)s is cancelled.")
        % {
            "set": learning_set.name,
            "when": describe_start(meeting.starts_at, learning_set.time_zone),
        },
        _("See the meeting: %(link)s") % {"link": _link(meeting)},
    ]
    subject = _("Meeting cancelled: %(set)s") % {"set": learning_set.name}
    _send(learning_set, [meeting], _recipients(learning_set, actor), subject, lines)
