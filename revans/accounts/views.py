"""Signing in (password or emailed link) and out. Account pages are in views_account.py."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import NON_FIELD_ERRORS
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from revans.accounts import actions
from revans.accounts.actions import LinkProblem, TooManyRequests, safe_next_path
from revans.accounts.forms import SignInForm, SignInLinkRequestForm
from revans.accounts.models import EmailLink

# The address a link was just requested for, shown on the "check your email" page.
LINK_SENT_TO = "accounts_link_sent_to"


def next_path_of(request) -> str:
    return safe_next_path(request.POST.get("next") or request.GET.get("next"))


def _home_or(next_path: str):
    return redirect(next_path or reverse("home:home"))


def with_query(url_name: str, **params: str) -> str:
    query = urlencode({key: value for key, value in params.items() if value})
    url = reverse(url_name)
    return f"{url}?{query}" if query else url


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    next_path = next_path_of(request)
    if request.user.is_authenticated:
        return _home_or(next_path)
    if request.method == "POST":
        form = SignInForm(request, data=request.POST)
        if form.is_valid():
            # login() gives the session a new key, so a key planted before sign-in is useless.
            login(request, form.get_user())
            return _home_or(next_path)
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):
            actions.do_record_failed_sign_in(form.cleaned_data["username"])
    else:
        form = SignInForm(request, initial={"username": request.GET.get("email", "")[:254]})
    typed_email = (form["username"].value() or "").strip()[:254]
    return render(
        request,
        "accounts/sign_in.html",
        {
            "form": form,
            "next": next_path,
            "minutes": settings.SIGN_IN_LINK_MINUTES,
            "link_request_url": with_query(
                "accounts:sign_in_link_request", email=typed_email, next=next_path
            ),
            "password_reset_url": with_query("accounts:password_reset", email=typed_email),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link_request(request):
    next_path = next_path_of(request)
    if request.user.is_authenticated:
        return _home_or(next_path)
    too_many = ""
    if request.method == "POST":
        form = SignInLinkRequestForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                actions.do_send_sign_in_link(email, next_path)
            except TooManyRequests as refusal:
                too_many = refusal.message
            else:
                request.session[LINK_SENT_TO] = email
                return redirect("accounts:sign_in_link_sent")
    else:
        form = SignInLinkRequestForm(initial={"email": request.GET.get("email", "")[:254]})
    return render(
        request,
        "accounts/sign_in_link_request.html",
        {
            "form": form,
            "next": next_path,
            "too_many": too_many,
            "minutes": settings.SIGN_IN_LINK_MINUTES,
            "sign_in_url": with_query("accounts:sign_in", next=next_path),
        },
        status=429 if too_many else 200,
    )


@never_cache
def sign_in_link_sent(request):
    email = request.session.get(LINK_SENT_TO)
    if not email:
        return redirect("accounts:sign_in_link_request")
    return render(
        request,
        "accounts/sign_in_link_sent.html",
        {
            "email": email,
            "minutes": settings.SIGN_IN_LINK_MINUTES,
            "again_url": with_query("accounts:sign_in_link_request", email=email),
        },
    )


def link_problem(request, problem: LinkProblem, template: str, **context):
    return render(
        request,
        template,
        {"problem": problem, **context},
        status=404 if problem.reason == "unknown" else 200,
    )


def _sign_in_link_problem(request, problem: LinkProblem):
    form = SignInLinkRequestForm(initial={"email": problem.email})
    return link_problem(
        request,
        problem,
        "accounts/sign_in_link_problem.html",
        form=form,
        next=safe_next_path(problem.next_path),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request, token: str):
    # GET only shows a button: mail scanners fetch links, and must not use them up.
    if request.method == "POST":
        try:
            link = actions.do_use_email_link(token, EmailLink.Purpose.SIGN_IN)
        except LinkProblem as problem:
            return _sign_in_link_problem(request, problem)
        login(request, link.user)
        return _home_or(safe_next_path(link.next_path))
    try:
        link = actions.check_email_link(token, EmailLink.Purpose.SIGN_IN)
    except LinkProblem as problem:
        return _sign_in_link_problem(request, problem)
    signed_in_as = request.user if request.user.is_authenticated else None
    if signed_in_as is not None and signed_in_as.pk == link.user_id:
        signed_in_as = None
    return render(
        request, "accounts/sign_in_link.html", {"link": link, "signed_in_as": signed_in_as}
    )


@require_POST
def sign_out(request):
    next_path = next_path_of(request)
    logout(request)
    messages.success(request, _("You have signed out."))
    return redirect(next_path or reverse("accounts:sign_in"))
