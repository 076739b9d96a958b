"""A person's own account: name, email address, password, and resetting a forgotten password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from revans.accounts import actions
from revans.accounts.actions import EmailTaken, LinkProblem, TooManyRequests
from revans.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    NameForm,
    PasswordResetRequestForm,
    SetNewPasswordForm,
)
from revans.accounts.models import EmailLink
from revans.accounts.signals import password_changed
from revans.accounts.views import link_problem


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    user = request.user
    if request.method == "POST":
        form = NameForm(request.POST)
        if form.is_valid():
            actions.do_change_name(user, form.cleaned_data["full_name"])
            messages.success(request, _("Your name is saved."))
            return redirect("accounts:account")
    else:
        form = NameForm(initial={"full_name": user.full_name})
    return render(
        request,
        "accounts/account.html",
        {"form": form, "waiting_change": actions.waiting_email_change(user)},
    )


@sensitive_post_parameters("password")
@login_required
@require_http_methods(["GET", "POST"])
def change_email(request):
    user = request.user
    if request.method == "POST":
        form = ChangeEmailForm(user, request.POST)
        if form.is_valid():
            new_email = form.cleaned_data["new_email"]
            try:
                actions.do_request_email_change(user, new_email)
            except EmailTaken:
                form.add_error("new_email", _("Another account already uses this address."))
            except TooManyRequests as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request,
                    _(
                        "We sent a confirmation link to %(email)s. Your email address changes "
                        "when you follow it."
                    )
                    % {"email": new_email},
                )
                return redirect("accounts:account")
    else:
        form = ChangeEmailForm(user)
    return render(request, "accounts/change_email.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_email(request, token: str):
    template = "accounts/confirm_email.html"
    try:
        link = actions.check_email_link(token, EmailLink.Purpose.CHANGE_EMAIL)
    except LinkProblem as problem:
        return link_problem(request, problem, template)
    signed_in_as_someone_else = request.user.is_authenticated and request.user.pk != link.user_id
    context = {"link": link, "someone_else": signed_in_as_someone_else, "path": request.path}
    if request.method == "POST" and not signed_in_as_someone_else:
        try:
            user = actions.do_confirm_email_change(token)
        except LinkProblem as problem:
            return link_problem(request, problem, template)
        except EmailTaken as taken:
            context["taken"] = taken.message
            return render(request, template, context, status=409)
        if not request.user.is_authenticated:
            login(request, user)
        messages.success(request, _("Your email is now %(email)s.") % {"email": user.email})
        return redirect("accounts:account")
    return render(request, template, context, status=403 if signed_in_as_someone_else else 200)


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    user = request.user
    had_password = user.has_usable_password()
    form_class = ChangePasswordForm if had_password else SetNewPasswordForm
    if request.method == "POST":
        form = form_class(user, request.POST)
        if form.is_valid():
            form.save()
            # Stay signed in here; other sessions end (their password hash no longer matches).
            # The key this browser's open pages know it by: keeping the session renews it.
            kept_session_key = request.session.session_key
            update_session_auth_hash(request, user)
            password_changed.send(
                sender=None,
                user=user,
                kept_session_key=kept_session_key,
                renewed_session_key=request.session.session_key,
            )
            messages.success(
                request,
                _("Your password is changed.") if had_password else _("Your password is set."),
            )
            return redirect("accounts:account")
    else:
        form = form_class(user)
    return render(
        request, "accounts/password_change.html", {"form": form, "had_password": had_password}
    )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_initial(self):
        return {"email": self.request.GET.get("email", "")[:254]}

    def form_valid(self, form):
        try:
            actions.do_note_request(actions.Scope.PASSWORD_RESET, form.cleaned_data["email"])
        except TooManyRequests as refusal:
            form.add_error(None, refusal.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetNewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # No session stays: the reset is not signed in, and every earlier one has ended.
        password_changed.send(
            sender=None, user=form.user, kept_session_key=None, renewed_session_key=None
        )
        return response


password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
