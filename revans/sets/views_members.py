"""Views about the people in a set: members, invitations and the facilitator role."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from revans.core.forms import refusal_to_form
from revans.sets import actions
from revans.sets.access import Need, access_set_for_user
from revans.sets.forms_members import FacilitatorForm, InviteForm
from revans.sets.models import Invitation, SetMembership
from revans.sets.queries import (
    all_memberships,
    current_members,
    facilitator_history,
    organisation_facilitators,
    pending_invitations,
)
from revans.sets.rules import (
    SetActionRefused,
    current_member_count,
    membership_warnings,
    pending_invitation_count,
)


@login_required
def members(request, set_id: int):
    role = access_set_for_user(request.user, set_id, Need.SET_PAGE)
    learning_set = role.learning_set
    current, former = all_memberships(learning_set)
    invitations = pending_invitations(learning_set) if role.can_manage else []
    return render(
        request,
        "sets/members.html",
        {
            "role": role,
            "learning_set": learning_set,
            "members": current,
            "former_members": former,
            "invitations": invitations,
            "places_left": max(0, learning_set.max_members - len(current) - len(invitations)),
            "warnings": membership_warnings(learning_set, len(current)),
            "tab": "members",
        },
    )


def _invite_summary(result: actions.InviteResult) -> list[str]:
    lines = []
    if result.invited:
        lines.append(
            ngettext(
                "Invitation sent to %(count)d person: %(list)s.",
                "Invitations sent to %(count)d people: %(list)s.",
                len(result.invited),
            )
            % {"count": len(result.invited), "list": ", ".join(result.invited)}
        )
    if result.resent:
        lines.append(
            _("Already invited, so the invitation was sent again (with a new link) to: %(list)s.")
            % {"list": ", ".join(result.resent)}
        )
    if result.already_members:
        lines.append(
            _("Already members, so not invited: %(list)s.")
            % {"list": ", ".join(result.already_members)}
        )
    return lines


@login_required
def invite(request, set_id: int):
    role = access_set_for_user(request.user, set_id, Need.MANAGE)
    learning_set = role.learning_set
    if request.method == "POST":
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                result = actions.do_invite_members(
                    learning_set,
                    actor=request.user,
                    emails=form.cleaned_data["emails"],
                    employer=form.cleaned_data["employer"],
                )
            except SetActionRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                for line in _invite_summary(result):
                    messages.success(request, line)
                return redirect("sets:members", set_id=set_id)
    else:
        form = InviteForm()
    member_count = current_member_count(learning_set)
    pending = pending_invitation_count(learning_set)
    return render(
        request,
        "sets/invite.html",
        {
            "form": form,
            "role": role,
            "learning_set": learning_set,
            "member_count": member_count,
            "pending_count": pending,
            "places_left": max(0, learning_set.max_members - member_count - pending),
            "tab": "members",
        },
    )


def _run(request, action, success: str, **kwargs):
    try:
        action(**kwargs)
    except SetActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, success)


@login_required
@require_POST
def remove_member(request, set_id: int, membership_id: int):
    role = access_set_for_user(request.user, set_id, Need.MANAGE)
    membership = get_object_or_404(
        SetMembership.objects.select_related("user"),
        pk=membership_id,
        learning_set=role.learning_set,
    )
    _run(
        request,
        actions.do_remove_member,
        _("%(name)s is no longer a member. Their history in the set is kept.")
        % {"name": membership.user.display_name},
        learning_set=role.learning_set,
        membership=membership,
        actor=request.user,
    )
    return redirect("sets:members", set_id=set_id)


def _invitation_of(role, invitation_id: int) -> Invitation:
    return get_object_or_404(Invitation, pk=invitation_id, learning_set=role.learning_set)


@login_required
@require_POST
def resend_invitation(request, set_id: int, invitation_id: int):
    role = access_set_for_user(request.user, set_id, Need.MANAGE)
    invitation = _invitation_of(role, invitation_id)
    _run(
        request,
        actions.do_resend_invitation,
        _("The invitation to %(email)s was sent again with a new link.")
        % {"email": invitation.email},
        invitation=invitation,
        actor=request.user,
    )
    return redirect("sets:members", set_id=set_id)


@login_required
@require_POST
def withdraw_invitation(request, set_id: int, invitation_id: int):
    role = access_set_for_user(request.user, set_id, Need.MANAGE)
    invitation = _invitation_of(role, invitation_id)
    _run(
        request,
        actions.do_withdraw_invitation,
        _("The invitation to %(email)s is withdrawn: its link no longer works.")
        % {"email": invitation.email},
        invitation=invitation,
        actor=request.user,
    )
    return redirect("sets:members", set_id=set_id)


@login_required
def facilitator(request, set_id: int):
    role = access_set_for_user(request.user, set_id, Need.MANAGE)
    learning_set = role.learning_set
    form_args: dict[str, Any] = {
        "facilitators": organisation_facilitators(learning_set.organisation),
        "members": [m.user for m in current_members(learning_set)],
    }
    if request.method == "POST":
        form = FacilitatorForm(request.POST, **form_args)
        if form.is_valid():
            try:
                actions.do_move_facilitator(
                    learning_set,
                    actor=request.user,
                    self_managed=form.self_managed,
                    new_holder=form.cleaned_data["holder"],
                )
            except SetActionRefused as refusal:
                if refusal.field == "holder":
                    refusal.field = form.holder_field()
                refusal_to_form(form, refusal)
            else:
                holder = form.cleaned_data["holder"].display_name
                messages.success(
                    request,
                    _("%(name)s now holds the facilitator duties.") % {"name": holder}
                    if form.self_managed
                    else _("%(name)s now facilitates the set.") % {"name": holder},
                )
                # Whoever handed the role on may no longer see the set at all.
                still_sees_set = (
                    role.is_org_admin
                    or role.is_member
                    or form.cleaned_data["holder"].pk == request.user.pk
                )
                if not still_sees_set:
                    return redirect("home:home")
                return redirect("sets:detail", set_id=set_id)
    else:
        holder = str(learning_set.facilitator_id or "")
        form = FacilitatorForm(
            initial={
                "mode": "self_managed" if learning_set.self_managed else "facilitated",
                "facilitator": "" if learning_set.self_managed else holder,
                "duty_holder": holder if learning_set.self_managed else "",
            },
            **form_args,
        )
    return render(
        request,
        "sets/facilitator.html",
        {
            "form": form,
            "role": role,
            "learning_set": learning_set,
            "history": facilitator_history(learning_set),
            "tab": "facilitator",
        },
    )
