"""The invitee's landing page: the link in the invitation email is their key to the set."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from revans.accounts.actions import find_user_by_email
from revans.accounts.models import normalise_email
from revans.core.forms import refusal_to_form
from revans.sets import actions
from revans.sets.forms_members import JoinWithNewAccountForm
from revans.sets.rules import SetActionRefused


def _joined(request, membership):
    messages.success(
        request,
        _("Welcome to %(set)s. Please read and accept the set's agreement.")
        % {"set": membership.learning_set.name},
    )
    return redirect("sets:detail", set_id=membership.learning_set_id)


def invitation(request, token: str):
    invitation = actions.find_invitation(token)
    user = request.user if request.user.is_authenticated else None
    if invitation is not None and user is not None and invitation.accepted_by_id == user.pk:
        # A second click, or the link followed again: take them to the set if they still belong.
        try:
            return _joined(request, actions.do_accept_invitation(invitation, user))
        except SetActionRefused:
            pass
    problem = actions.invitation_problem(invitation)
    context: dict = {"invitation": invitation, "problem": problem, "path": request.path}
    if invitation is None or problem:
        return render(
            request, "sets/invitation.html", context, status=404 if invitation is None else 200
        )
    if user is not None:
        context["wrong_account"] = normalise_email(user.email) != invitation.email
        if request.method == "POST" and not context["wrong_account"]:
            try:
                return _joined(request, actions.do_accept_invitation(invitation, user))
            except SetActionRefused as refusal:
                context["problem"] = refusal.message
        return render(request, "sets/invitation.html", context)

    existing = find_user_by_email(invitation.email)
    if existing is not None and existing.has_usable_password():
        context["sign_in_query"] = urlencode({"next": request.path})
        context["link_query"] = urlencode({"email": invitation.email, "next": request.path})
        return render(request, "sets/invitation.html", context)

    if request.method == "POST":
        form = JoinWithNewAccountForm(request.POST, email=invitation.email)
        if form.is_valid():
            try:
                user, membership = actions.do_accept_invitation_with_new_account(
                    invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            except SetActionRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                login(request, user)
                return _joined(request, membership)
    else:
        initial = {"full_name": existing.full_name} if existing is not None else {}
        form = JoinWithNewAccountForm(email=invitation.email, initial=initial)
    context["form"] = form
    return render(request, "sets/invitation.html", context)
