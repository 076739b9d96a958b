"""The invitation email. Only actions call queue_invitation_email.

It carries the link, the set's name, the facilitator's name and the first meeting's date:
nothing anyone wrote inside the set.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from revans.core.mail import absolute_url, queue_email
from revans.meetings.models import Meeting
from revans.sets.models import Invitation, LearningSet


def first_meeting_start(learning_set: LearningSet) -> dt.datetime | None:
    """When the set next meets (local to the set), if a meeting is scheduled."""
    meeting = (
        Meeting.objects.filter(
            learning_set=learning_set,
            status=Meeting.Status.SCHEDULED,
            starts_at__gt=timezone.now(),
        )
        .order_by("starts_at")
        .first()
    )
    if meeting is None:
        return None
    return timezone.localtime(meeting.starts_at, ZoneInfo(learning_set.time_zone))


def queue_invitation_email(
    invitation: Invitation, token: str, first_meeting: dt.datetime | None
) -> None:
    learning_set = invitation.learning_set
    zone = ZoneInfo(learning_set.time_zone)
    url = absolute_url(reverse("sets:invitation", args=[token]))
    lines = [
        _("Hello,"),
        "",
        _('You are invited to join the Action Learning Set "%(set)s".') % {"set": learning_set},
    ]
    holder = learning_set.facilitator
    if learning_set.self_managed:
        lines.append(_("The set is self-managed: its members share the facilitator's duties."))
    elif holder is not None:
        lines.append(_("Facilitator: %(name)s") % {"name": holder.display_name})
    if first_meeting is not None:
        lines.append(
            _("First meeting: %(when)s (%(zone)s)")
            % {
                "when": date_format(first_meeting, "l j F Y, H:i"),
                "zone": learning_set.time_zone,
            }
        )
    lines += [
        "",
        _("To accept, open this link (it works until %(date)s):")
        % {"date": date_format(timezone.localtime(invitation.expires_at, zone), "j F Y")},
        url,
    ]
    queue_email(
        to=invitation.email,
        subject=_("Invitation to join %(set)s") % {"set": learning_set},
        body="\n".join(lines),
        kind="invitation",
        organisation=learning_set.organisation,
    )
