"""Views: parse input, call access_* and actions, render. No business rules here.

The set's own pages: create, overview, edit, status and the agreement. People (members,
invitations, the facilitator) are in views_members; the invitee's landing in views_invitation.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from revans.core.forms import refusal_to_form
from revans.meetings.queries import schedule_context
from revans.organisations.models import OrganisationMembership, Sponsor
from revans.sets import actions
from revans.sets.access import Need, access_set_for_user, organisations_for_new_sets
from revans.sets.forms import CreateSetForm, EditSetForm
from revans.sets.forms_members import AcceptAgreementForm, StatusForm
from revans.sets.queries import current_members, not_yet_accepted, own_membership
from revans.sets.rules import SetActionRefused, membership_warnings, most_used_time_zone


@login_required
def create(request):
    organisations = list(organisations_for_new_sets(request.user))
    if not organisations:
        raise Http404
    facilitators = [
        (row.organisation, row.user)
        for row in OrganisationMembership.objects.filter(
            organisation__in=organisations, is_facilitator=True
        )
        .select_related("organisation", "user")
        .order_by("organisation__name", "user__full_name", "user__email")
    ]
    sponsors = list(
        Sponsor.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .order_by("name")
    )
    chosen = next(
        (o for o in organisations if str(o.pk) == request.GET.get("organisation")),
        organisations[0],
    )
    form_args: dict[str, Any] = {
        "organisations": organisations,
        "facilitators": facilitators,
        "sponsors": sponsors,
        "creator": request.user,
        "time_zone_default": most_used_time_zone(chosen),
        "initial": {"organisation": str(chosen.pk)},
    }
    if request.method == "POST":
        form = CreateSetForm(request.POST, **form_args)
        if form.is_valid():
            data = form.cleaned_data
            try:
                learning_set = actions.do_create_set(
                    actor=request.user,
                    organisation=data["organisation"],
                    values=form.set_values(),
                    facilitator=data["facilitator_user"],
                    self_managed=data["self_managed"],
                    first_start_local=data["first_start_local"],
                    custom_dates=data["custom_dates"],
                )
            except SetActionRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(
                    request, _("The set %(name)s is created.") % {"name": learning_set.name}
                )
                if form.limits_warning:
                    messages.warning(request, form.limits_warning)
                return redirect("sets:detail", set_id=learning_set.pk)
    else:
        form = CreateSetForm(**form_args)
    return render(request, "sets/create.html", {"form": form})


@login_required
def detail(request, set_id: int):
    role = access_set_for_user(request.user, set_id, Need.SET_PAGE)
    learning_set = role.learning_set
    members = current_members(learning_set)
    context = {
        "role": role,
        "learning_set": learning_set,
        "members": members,
        "not_accepted": not_yet_accepted(learning_set, members),
        "my_membership": own_membership(members, role.membership_id),
        "warnings": membership_warnings(learning_set, len(members)),
        "tab": "overview",
    }
    context.update(schedule_context(role))
    return render(request, "sets/detail.html", context)


def _settings_initial(learning_set) -> dict:
    initial = {name: getattr(learning_set, name) for name in actions.EDITABLE_FIELDS}
    initial["sponsor"] = str(learning_set.sponsor_id or "")
    initial["momentum_calls"] = "on" if learning_set.momentum_calls else "off"
    initial["momentum_call_percent"] = learning_set.momentum_call_percent
    initial["report_attendance_per_person"] = (
        "on" if learning_set.report_attendance_per_person else "off"
    )
    return initial


@login_required
def edit(request, set_id: int):
    role = access_set_for_user(request.user, set_id, Need.MANAGE)
    learning_set = role.learning_set
    sponsors = list(Sponsor.objects.filter(organisation=learning_set.organisation).order_by("name"))
    form_args: dict[str, Any] = {"sponsors": sponsors, "initial": _settings_initial(learning_set)}
    if request.method == "POST":
        form = EditSetForm(request.POST, **form_args)
        if form.is_valid():
            try:
                changed = actions.do_update_set(
                    learning_set, actor=request.user, values=form.set_values()
                )
            except SetActionRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("The set's settings are saved."))
                if changed:
                    messages.warning(
                        request,
                        _("The agreement changed, so every member must read and accept it again."),
                    )
                if form.limits_warning:
                    messages.warning(request, form.limits_warning)
                return redirect("sets:detail", set_id=learning_set.pk)
    else:
        form = EditSetForm(**form_args)
    return render(
        request,
        "sets/edit.html",
        {"form": form, "role": role, "learning_set": learning_set, "tab": "edit"},
    )


@login_required
@require_POST
def status(request, set_id: int):
    role = access_set_for_user(request.user, set_id, Need.MANAGE)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown change of status."))
        return redirect("sets:detail", set_id=set_id)
    transition = form.cleaned_data["transition"]
    try:
        actions.do_change_status(role.learning_set, actor=request.user, transition=transition)
    except SetActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        done = {
            "activate": _("The set is now active."),
            "complete": _("The set is now completed."),
            "archive": _("The set is archived: it is kept, read-only."),
            "unarchive": _("The set is no longer archived."),
        }
        messages.success(request, done[transition])
    return redirect("sets:detail", set_id=set_id)


@login_required
def agreement(request, set_id: int):
    role = access_set_for_user(request.user, set_id, Need.SET_PAGE)
    learning_set = role.learning_set
    members = current_members(learning_set)
    mine = own_membership(members, role.membership_id)
    if request.method == "POST":
        if mine is None:
            raise Http404
        form = AcceptAgreementForm(request.POST)
        version = form.cleaned_data["version"] if form.is_valid() else 0
        try:
            actions.do_accept_agreement(mine, version=version)
        except SetActionRefused as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Thank you: you accepted the set's agreement."))
        return redirect("sets:agreement", set_id=set_id)
    return render(
        request,
        "sets/agreement.html",
        {
            "role": role,
            "learning_set": learning_set,
            "members": members,
            "my_membership": mine,
            "not_accepted": not_yet_accepted(learning_set, members),
            "accept_form": AcceptAgreementForm(initial={"version": learning_set.agreement_version}),
            "tab": "agreement",
        },
    )
