"""The set's round times page (its live agenda template)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from revans.live import round_times
from revans.live.actions.round_times import do_reset_round_times, do_save_round_times
from revans.live.agenda import standard_minutes
from revans.live.forms import RoundTimesForm
from revans.live.refusals import MeetingRefused
from revans.meetings.models import Meeting
from revans.sets.access import Need, access_set_for_user


@login_required
@require_http_methods(["GET", "POST"])
def round_times_page(request, set_id: int):
    role = access_set_for_user(request.user, set_id, Need.MANAGE)
    learning_set = role.learning_set
    template = round_times.template_of(learning_set.pk)
    chosen = {**standard_minutes(), **template}
    # From the room: the times a meeting ran with, offered to save as the set's own.
    taken_from, taken = _meeting_times(request, learning_set)
    if taken:
        chosen.update(taken)
    form = RoundTimesForm(
        request.POST if request.POST.get("do") == "save" else None,
        initial={f"round_{r}": m for r, m in chosen.items()},
    )
    if request.method == "POST":
        try:
            if request.POST.get("do") == "reset":
                do_reset_round_times(learning_set, actor=request.user)
                messages.success(request, _("The set uses the standard round times again."))
                return redirect("round_times:edit", set_id=learning_set.pk)
            if form.is_valid():
                do_save_round_times(learning_set, actor=request.user, minutes=form.minutes())
                messages.success(
                    request, _("The round times are saved. The next meeting opened uses them.")
                )
                return redirect("round_times:edit", set_id=learning_set.pk)
        except MeetingRefused as refusal:
            form.add_error(None, refusal.message)
    return render(
        request,
        "live/round_times.html",
        {
            "learning_set": learning_set,
            "role": role,
            "tab": "rounds",
            "form": form,
            "total": form.total(),
            "customised": bool(template),
            "preview": round_times.preview(template, learning_set.duration_minutes),
            "taken_from": taken_from,
            "taken": bool(taken),
        },
    )


def _meeting_times(request, learning_set) -> tuple[Meeting | None, dict | None]:
    """The set's meeting named by ?from= and the times it ran with (None: none to take)."""
    meeting_id = request.GET.get("from", "")
    if request.method != "GET" or not meeting_id.isdigit():
        return None, None
    meeting = Meeting.objects.filter(pk=int(meeting_id), learning_set=learning_set).first()
    if meeting is None:
        return None, None
    return meeting, round_times.times_of_meeting(learning_set.pk, meeting.pk)
