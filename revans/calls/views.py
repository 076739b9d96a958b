"""Views: parse input, call access_* and actions, render. No business rules here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revans.calls import actions, queries
from revans.calls.access import (
    access_call_for_user,
    access_member_for_calls,
    access_set_calls_for_user,
)
from revans.calls.forms import (
    CallStatusForm,
    NoteForm,
    NoteSharingForm,
    OfferTimesForm,
    PickTimeForm,
    RecordCallForm,
)
from revans.calls.models import CallNote, MomentumCall
from revans.calls.rules import CallActionRefused
from revans.core.forms import refusal_to_form
from revans.meetings.rules import describe_start


@login_required
def set_calls(request, set_id: int):
    role = access_set_calls_for_user(request.user, set_id)
    learning_set = role.learning_set
    return render(
        request,
        "calls/set_calls.html",
        {
            "role": role,
            "learning_set": learning_set,
            "gap": queries.set_calls(learning_set, timezone.now()),
            "history": queries.set_call_history(learning_set),
            "tab": "calls",
        },
    )


@login_required
def arrange(request, set_id: int, membership_id: int):
    role, membership = access_member_for_calls(request.user, set_id, membership_id)
    learning_set = role.learning_set
    gap = queries.set_calls(learning_set, timezone.now())
    zone = learning_set.time_zone
    first_day = gap.first_day_to_offer if gap else None
    offer_initial = {"slot_1": f"{first_day:%Y-%m-%d}T10:00"} if first_day else {}
    offer_form = OfferTimesForm(zone=zone, initial=offer_initial, prefix="offer")
    record_form = RecordCallForm(zone=zone, prefix="record")
    if request.method == "POST" and gap is not None:
        how = request.POST.get("how")
        try:
            if how == "offer":
                offer_form = OfferTimesForm(request.POST, zone=zone, prefix="offer")
                if offer_form.is_valid():
                    call = actions.do_offer_times(
                        learning_set,
                        actor=request.user,
                        membership=membership,
                        times=offer_form.cleaned_data["times"],
                        duration_minutes=offer_form.cleaned_data["duration_minutes"],
                    )
                    messages.success(
                        request,
                        _("Times offered: %(name)s is asked by email to pick one.")
                        % {"name": membership.user.display_name},
                    )
                    return redirect("calls:detail", call_id=call.pk)
            elif how == "record":
                record_form = RecordCallForm(request.POST, zone=zone, prefix="record")
                if record_form.is_valid():
                    starts_at = record_form.cleaned_data["starts_at"]
                    call = actions.do_record_call(
                        learning_set,
                        actor=request.user,
                        membership=membership,
                        starts_at=starts_at,
                        duration_minutes=record_form.cleaned_data["duration_minutes"],
                    )
                    messages.success(
                        request,
                        _("Call recorded: %(when)s.") % {"when": describe_start(starts_at, zone)},
                    )
                    return redirect("calls:detail", call_id=call.pk)
        except CallActionRefused as refusal:
            refusal_to_form(offer_form if how == "offer" else record_form, refusal)
    return render(
        request,
        "calls/arrange.html",
        {
            "role": role,
            "learning_set": learning_set,
            "membership": membership,
            "gap": gap,
            "offer_form": offer_form,
            "record_form": record_form,
            "tab": "calls",
        },
    )


def _detail_context(request, access, **forms) -> dict:
    call = access.call
    learning_set = call.learning_set
    context = {
        "call": call,
        "access": access,
        "learning_set": learning_set,
        "zone": learning_set.time_zone,
        "notes": queries.visible_notes(access),
        "changeable": not learning_set.is_archived and access.is_facilitator,
    }
    if call.status == MomentumCall.Status.OFFERED:
        slots = queries.slots_of(call)
        context["slots"] = slots
        if access.is_member and not learning_set.is_archived:
            context["pick_form"] = forms.get("pick_form") or PickTimeForm(
                slots=slots, zone=learning_set.time_zone
            )
    if context["changeable"]:
        context["note_form"] = forms.get("note_form") or NoteForm()
    return context


@login_required
def detail(request, call_id: int):
    access = access_call_for_user(request.user, call_id)
    return render(request, "calls/detail.html", _detail_context(request, access))


@login_required
@require_POST
def pick(request, call_id: int):
    access = access_call_for_user(request.user, call_id)
    if not access.is_member:
        raise Http404
    call = access.call
    form = PickTimeForm(
        request.POST, slots=queries.slots_of(call), zone=call.learning_set.time_zone
    )
    if form.is_valid():
        try:
            call = actions.do_pick_time(call, actor=request.user, slot_id=form.cleaned_data["slot"])
        except CallActionRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            # do_pick_time has planned the call for the time picked.
            assert call.starts_at is not None, "a planned call has its time"
            messages.success(
                request,
                _("Your momentum call is planned for %(when)s.")
                % {"when": describe_start(call.starts_at, call.learning_set.time_zone)},
            )
            return redirect("calls:detail", call_id=call.pk)
    context = _detail_context(request, access, pick_form=form)
    return render(request, "calls/detail.html", context, status=400)


@login_required
@require_POST
def status(request, call_id: int):
    access = access_call_for_user(request.user, call_id)
    if not access.is_facilitator:
        raise Http404
    form = CallStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status for a call."))
        return redirect("calls:detail", call_id=call_id)
    try:
        call = actions.do_set_call_status(
            access.call, actor=request.user, status=form.cleaned_data["status"]
        )
    except CallActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        done = {
            "held": _("The call is marked as held."),
            "missed": _("The call is marked as missed."),
            "cancelled": _("The call is cancelled: you can arrange another one."),
        }
        messages.success(request, done[call.status])
    return redirect("calls:detail", call_id=call_id)


@login_required
@require_POST
def add_note(request, call_id: int):
    access = access_call_for_user(request.user, call_id)
    if not access.is_facilitator:
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note = actions.do_add_note(
                access.call,
                actor=request.user,
                text=form.cleaned_data["text"],
                shared=form.cleaned_data["shared"],
            )
        except CallActionRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            if note.is_shared:
                messages.success(request, _("Note saved and shared with the member."))
            else:
                messages.success(request, _("Note saved: only you can read it."))
            return redirect("calls:detail", call_id=call_id)
    context = _detail_context(request, access, note_form=form)
    return render(request, "calls/detail.html", context, status=400)


@login_required
@require_POST
def note_sharing(request, call_id: int, note_id: int):
    access = access_call_for_user(request.user, call_id)
    if not access.is_facilitator:
        raise Http404
    note = CallNote.objects.filter(pk=note_id, call=access.call).first()
    form = NoteSharingForm(request.POST)
    if note is None or not form.is_valid():
        raise Http404
    try:
        note = actions.do_set_note_sharing(
            note, actor=request.user, shared=form.cleaned_data["shared"]
        )
    except CallActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if note.is_shared:
            messages.success(request, _("The note is now shared with the member."))
        else:
            messages.success(request, _("The note is private again: only you can read it."))
    return redirect("calls:detail", call_id=call_id)
