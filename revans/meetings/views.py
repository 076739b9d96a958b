"""Views: parse input, call access_* and actions, render. No business rules here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revans.core.forms import is_htmx, refusal_to_form
from revans.meetings import actions, queries
from revans.meetings.access import MeetingAccess, access_meeting_for_user
from revans.meetings.forms import AttendanceForm, GenerateScheduleForm, MeetingForm, rsvp_form_for
from revans.meetings.rules import MeetingActionRefused, describe_start, plan_schedule
from revans.sets.access import Need, access_set_for_user


@login_required
def generate(request, set_id: int):
    role = access_set_for_user(request.user, set_id, Need.MANAGE)
    learning_set = role.learning_set
    already = queries.has_meetings(learning_set)
    form, preview = None, None
    if not already and not learning_set.is_archived:
        if request.method == "POST":
            form = GenerateScheduleForm(request.POST, learning_set=learning_set)
            if form.is_valid():
                first_start_local, custom_dates = form.first_start_local, form.custom_dates
                try:
                    if request.POST.get("step") == "create":
                        meetings = actions.do_generate_schedule(
                            learning_set,
                            actor=request.user,
                            first_start_local=first_start_local,
                            custom_dates=custom_dates,
                        )
                        messages.success(
                            request,
                            _("The schedule is ready: %(count)s meetings.")
                            % {"count": len(meetings)},
                        )
                        return redirect("sets:detail", set_id=learning_set.pk)
                    preview = plan_schedule(
                        learning_set,
                        now=timezone.now(),
                        first_start_local=first_start_local,
                        custom_dates=custom_dates,
                    )
                except MeetingActionRefused as refusal:
                    refusal_to_form(form, refusal)
        else:
            form = GenerateScheduleForm(learning_set=learning_set)
    return render(
        request,
        "meetings/generate.html",
        {
            "role": role,
            "learning_set": learning_set,
            "form": form,
            "preview": preview,
            "already": already,
        },
    )


@login_required
def add(request, set_id: int):
    role = access_set_for_user(request.user, set_id, Need.MANAGE)
    learning_set = role.learning_set
    members = queries.current_member_users(learning_set)
    inside = role.allows(Need.INSIDE)
    if request.method == "POST" and not learning_set.is_archived:
        form = MeetingForm(request.POST, members=members, inside=inside)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = actions.do_add_meeting(
                    learning_set,
                    actor=request.user,
                    start_local=form.start_local,
                    duration_minutes=data["duration_minutes"],
                    format=data["format"],
                    topic=data.get("topic", ""),
                    issue_holder=data.get("issue_holder"),
                )
            except MeetingActionRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(
                    request,
                    _("Meeting added: %(when)s.")
                    % {"when": describe_start(meeting.starts_at, learning_set.time_zone)},
                )
                return redirect("meetings:detail", meeting_id=meeting.pk)
    else:
        form = MeetingForm(
            members=members,
            inside=inside,
            initial={
                "duration_minutes": learning_set.duration_minutes,
                "format": learning_set.default_format,
            },
        )
    return render(
        request,
        "meetings/add.html",
        {"role": role, "learning_set": learning_set, "form": form},
    )


def _detail_context(request, access: MeetingAccess, *, rsvp_form=None, rsvp_next=None) -> dict:
    meeting, role = access.meeting, access.role
    learning_set = meeting.learning_set
    context: dict = {
        "meeting": meeting,
        "role": role,
        "learning_set": learning_set,
        "zone": learning_set.time_zone,
        "full_view": role.allows(Need.SET_PAGE),
        # The topic and issue holder agreed in advance are the set's own (MeetingForm).
        "inside": role.allows(Need.INSIDE),
        # Upcoming and not yet opened live: the rule the edit page and its action follow.
        "can_change": role.can_manage
        and not learning_set.is_archived
        and actions.why_it_cannot_change(meeting) is None,
    }
    recorded = meeting.attendance_recorded_at is not None
    if not context["full_view"]:
        # The sponsor's view: date, time, status, and how many came. No names, no content.
        context["attended_count"] = queries.attended_count(meeting) if recorded else None
        return context
    people = None
    if role.can_manage:
        # Notes are written to the facilitator: not even organisation admins read them.
        show_notes = role.allows(Need.INSIDE) and role.is_facilitator
        people = queries.meeting_people(meeting, with_notes=show_notes)
        context.update(
            people=people, show_notes=show_notes, reply_counts=queries.reply_counts(people)
        )
        if meeting.phase in ("in_progress", "ended") and not learning_set.is_archived:
            context["attendance_form"] = AttendanceForm(
                members=[p.user for p in people],
                initial={
                    "attended": [
                        str(p.user_id)
                        for p in people
                        if (p.attended if recorded else p.rsvp_response != "apologies")
                    ]
                },
            )
    if recorded:
        context["attended_count"] = (
            sum(1 for p in people if p.attended)
            if people is not None
            else queries.attended_count(meeting)
        )
    if role.is_member:
        rsvp = queries.own_rsvp(meeting, request.user)
        context.update(
            rsvp=rsvp,
            rsvp_form=rsvp_form or rsvp_form_for(meeting, rsvp),
            rsvp_open=meeting.phase == "upcoming" and not learning_set.is_archived,
            rsvp_next=rsvp_next or reverse("meetings:detail", args=[meeting.pk]),
        )
    return context


@login_required
def detail(request, meeting_id: int):
    access = access_meeting_for_user(request.user, meeting_id, Need.SCHEDULE)
    if request.GET.get("room") == "closed" and access.meeting.live_status is None:
        # Back from a room the facilitator closed before the start (revans.live): say what
        # that left, so nobody wonders whether the meeting was recorded.
        messages.info(
            request,
            _(
                "The room is closed and nothing was recorded. You can move or cancel the "
                "meeting, or open the room again."
            )
            if access.role.can_manage
            else _("The room is closed and nothing was recorded."),
        )
    return render(request, "meetings/detail.html", _detail_context(request, access))


def _edit_initial(meeting) -> dict:
    local = meeting.local_start()
    return {
        "date": local.date(),
        "start_time": local.time(),
        "duration_minutes": meeting.duration_minutes,
        "format": meeting.format,
        "topic": meeting.topic,
        "issue_holder": str(meeting.issue_holder_id or ""),
    }


@login_required
def edit(request, meeting_id: int):
    access = access_meeting_for_user(request.user, meeting_id, Need.MANAGE)
    meeting = access.meeting
    reason = actions.why_it_cannot_change(meeting) if request.method != "POST" else None
    if reason:
        # The detail page offers no edit then; an old link or bookmark lands here. A POST
        # still goes to the action, which refuses it with the same reason in the form.
        messages.info(request, reason)
        return redirect("meetings:detail", meeting_id=meeting.pk)
    learning_set = meeting.learning_set
    members = queries.current_member_users(learning_set)
    inside = access.role.allows(Need.INSIDE)
    if request.method == "POST":
        form = MeetingForm(request.POST, members=members, inside=inside)
        if form.is_valid():
            data = form.cleaned_data
            try:
                moved, changed = actions.do_edit_meeting(
                    meeting,
                    actor=request.user,
                    start_local=form.start_local,
                    duration_minutes=data["duration_minutes"],
                    format=data["format"],
                    topic=data.get("topic", ""),
                    issue_holder=data.get("issue_holder"),
                    outside_the_set=not inside,
                )
            except MeetingActionRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                if moved:
                    messages.success(
                        request, _("The meeting is moved. The set's members are told by email.")
                    )
                elif changed:
                    messages.success(request, _("The meeting's details are saved."))
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("meetings:detail", meeting_id=meeting.pk)
    else:
        form = MeetingForm(members=members, inside=inside, initial=_edit_initial(meeting))
    return render(
        request,
        "meetings/edit.html",
        {
            "role": access.role,
            "meeting": meeting,
            "learning_set": learning_set,
            "zone": learning_set.time_zone,
            "form": form,
        },
    )


@login_required
def cancel(request, meeting_id: int):
    access = access_meeting_for_user(request.user, meeting_id, Need.MANAGE)
    meeting = access.meeting
    if request.method == "POST":
        try:
            actions.do_cancel_meeting(meeting, actor=request.user)
        except MeetingActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request, _("The meeting is cancelled. The set's members are told by email.")
            )
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request,
        "meetings/cancel.html",
        {
            "role": access.role,
            "meeting": meeting,
            "learning_set": meeting.learning_set,
            "zone": meeting.learning_set.time_zone,
        },
    )


def heading_level(value) -> str:
    return value if value in {"2", "3", "4"} else "2"


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def rsvp(request, meeting_id: int):
    access = access_meeting_for_user(request.user, meeting_id, Need.INSIDE)
    if not access.role.is_member:
        raise Http404
    meeting = access.meeting
    form = rsvp_form_for(meeting, data=request.POST)
    saved = None
    if form.is_valid():
        try:
            saved = actions.do_rsvp(
                meeting,
                user=request.user,
                response=form.cleaned_data["response"],
                note=form.cleaned_data["note"],
            )
        except MeetingActionRefused as refusal:
            refusal_to_form(form, refusal)
    if saved is not None:
        status = (
            _("Thank you: you are down as attending.")
            if saved.response == "attending"
            else _("Thank you: your apologies are sent to the facilitator.")
        )
    else:
        status = _("Your reply is not saved yet: see the message in the form.")
    if is_htmx(request):
        return render(
            request,
            "meetings/rsvp_swap.html",
            {
                "meeting": meeting,
                "rsvp": saved or queries.own_rsvp(meeting, request.user),
                "rsvp_form": rsvp_form_for(meeting, saved) if saved else form,
                "rsvp_open": True,
                "rsvp_next": _safe_next(request, ""),
                "rsvp_status": status,
                # Presentation only: the card keeps its heading level where it is shown.
                "heading_level": heading_level(request.POST.get("heading_level")),
            },
        )
    back = _safe_next(request, reverse("meetings:detail", args=[meeting.pk]))
    if saved is not None:
        messages.success(request, status)
        return redirect(back)
    return render(
        request,
        "meetings/detail.html",
        _detail_context(request, access, rsvp_form=form, rsvp_next=back),
    )


@login_required
@require_POST
def attendance(request, meeting_id: int):
    access = access_meeting_for_user(request.user, meeting_id, Need.MANAGE)
    meeting = access.meeting
    members = queries.current_member_users(meeting.learning_set)
    form = AttendanceForm(request.POST, members=members)
    if not form.is_valid():
        messages.error(request, _("Tick the members who attended, from the list."))
        return redirect("meetings:detail", meeting_id=meeting.pk)
    try:
        count = actions.do_record_attendance(
            meeting, actor=request.user, attended_user_ids=form.attended_ids()
        )
    except MeetingActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("Attendance recorded: %(count)s of %(total)s members attended.")
            % {"count": count, "total": len(members)},
        )
    return redirect("meetings:detail", meeting_id=meeting.pk)
