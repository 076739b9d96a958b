"""The short emails about momentum calls: names, dates and a link, never a note's text.

An email can be forwarded or read on a shared screen, so what was said on a call stays on
the call's page, behind the access check.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from revans.calls.models import MomentumCall
from revans.core.mail import absolute_url, queue_email
from revans.meetings.rules import describe_start

KIND_OFFER = "momentum_call_offer"
KIND_PLANNED = "momentum_call_planned"
KIND_NOTE_SHARED = "momentum_call_note_shared"


def _send(call: MomentumCall, user, *, subject: str, lines: list[str], kind: str) -> None:
    if user is None or not user.is_active:
        return
    link = absolute_url(reverse("calls:detail", args=[call.pk]))
    greeting = _("Hello %(name)s,") % {"name": user.get_short_name()}
    body = "\n\n".join([greeting, *lines, _("See the call: %(link)s") % {"link": link}])
    queue_email(
        to=user.email,
        subject=subject,
        body=body + "\n",
        kind=kind,
        organisation=call.learning_set.organisation,
    )


def send_times_offered(call: MomentumCall, *, facilitator, times) -> None:
    zone = call.learning_set.time_zone
    lines = [
        _("%(facilitator)s offered times for a momentum call with you (%(set)s). Pick one:")
        % {"facilitator": facilitator.display_name, "set": call.learning_set.name},
        "\n".join(f"- {describe_start(moment, zone)}" for moment in times),
    ]
    subject = _("Pick a time for your momentum call: %(set)s") % {"set": call.learning_set.name}
    _send(call, call.member, subject=subject, lines=lines, kind=KIND_OFFER)


def send_call_planned(call: MomentumCall, *, to, other) -> None:
    """To one of the two people on the call: when it is and with whom."""
    # The actions send it right after planning the call, which gives it its time.
    assert call.starts_at is not None, "send_call_planned is for a planned call"
    lines = [
        _("Your momentum call with %(other)s (%(set)s) is planned for %(when)s.")
        % {
            "other": other.display_name,
            "set": call.learning_set.name,
            "when": describe_start(call.starts_at, call.learning_set.time_zone),
        }
    ]
    subject = _("Momentum call planned: %(set)s") % {"set": call.learning_set.name}
    _send(call, to, subject=subject, lines=lines, kind=KIND_PLANNED)


def send_note_shared(call: MomentumCall, *, facilitator) -> None:
    lines = [
        _("%(facilitator)s shared a note from your momentum call (%(set)s) with you.")
        % {"facilitator": facilitator.display_name, "set": call.learning_set.name}
    ]
    subject = _("A note from your momentum call: %(set)s") % {"set": call.learning_set.name}
    _send(call, call.member, subject=subject, lines=lines, kind=KIND_NOTE_SHARED)
