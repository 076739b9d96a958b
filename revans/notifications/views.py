"""Views: parse input, call access_* and actions, render. No business rules here."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from revans.accounts.models import User
from revans.notifications import actions, kinds, queries
from revans.notifications.access import (
    access_outbox_for_user,
    access_set_reminders_for_user,
    email_of_organisation,
    feed_for_token,
)
from revans.notifications.actions import NotificationActionRefused
from revans.notifications.calendar import feed_ics
from revans.notifications.forms import EmailChoicesForm, SetRemindersForm
from revans.notifications.outgoing import read_unsubscribe_token
from revans.notifications.scheduling import reminder_settings


def _account_section(anchor: str) -> str:
    return f"{reverse('accounts:account')}#{anchor}"


@login_required
@require_POST
def email_choices(request):
    form = EmailChoicesForm(request.POST)
    if form.is_valid():
        actions.do_set_email_choices(request.user, wanted=form.cleaned_data["wanted"])
        messages.success(request, _("Your email choices are saved."))
    else:
        messages.error(request, _("Those choices could not be saved: choose from the list."))
    return redirect(_account_section("emails"))


@login_required
@require_POST
def calendar_create(request):
    actions.do_create_calendar_feed(request.user)
    messages.success(
        request,
        _("Your calendar address is ready. Any earlier address no longer works."),
    )
    return redirect(_account_section("calendar"))


@login_required
@require_POST
def calendar_revoke(request):
    actions.do_revoke_calendar_feed(request.user)
    messages.success(request, _("Your calendar address no longer works."))
    return redirect(_account_section("calendar"))


@require_GET
def feed(request, token: str):
    # No session: calendar apps fetch it with the token alone.
    subscription = feed_for_token(token)
    user = subscription.user
    response = HttpResponse(
        feed_ics(user, queries.feed_entries(user)), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="revans.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@csrf_exempt  # RFC 8058: mail programs POST without a session; the signed token is the key.
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    found = read_unsubscribe_token(token)
    if found is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    user_id, kind = found
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return render(request, "notifications/unsubscribe_invalid.html", status=404)
    context = {"kind_label": kinds.label(kind), "email": user.email}
    if request.method == "POST":
        actions.do_unsubscribe(user.pk, kind)
        return render(request, "notifications/unsubscribed.html", context)
    # GET only asks: link scanners in mail systems open links, and must not unsubscribe.
    return render(request, "notifications/unsubscribe.html", context)


@login_required
def org_emails(request, slug):
    role = access_outbox_for_user(request.user, slug)
    rows = [
        (email, kinds.label(email.kind)) for email in queries.outbox_problems(role.organisation)
    ]
    return render(
        request,
        "notifications/org_emails.html",
        {"organisation": role.organisation, "role": role, "tab": "emails", "rows": rows},
    )


@login_required
@require_POST
def org_email_retry(request, slug, email_id):
    role = access_outbox_for_user(request.user, slug)
    email = email_of_organisation(role, email_id)
    try:
        actions.do_retry_email(email, actor=request.user)
    except NotificationActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, _("The email to %(email)s will be sent again now.") % {"email": email.to_email}
        )
    return redirect("notifications:org_emails", role.organisation.slug)


@login_required
@require_http_methods(["GET", "POST"])
def set_reminders(request, set_id):
    role = access_set_reminders_for_user(request.user, set_id)
    learning_set = role.learning_set
    current = reminder_settings(learning_set)
    form = SetRemindersForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_set_reminders(
                learning_set, actor=request.user, values=form.cleaned_data
            )
        except NotificationActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The reminders are saved."))
            return redirect("notifications:set_reminders", learning_set.pk)
    rows = [(row, kinds.label(row.kind)) for row in queries.set_reminders(learning_set)]
    return render(
        request,
        "notifications/set_reminders.html",
        {
            "learning_set": learning_set,
            "role": role,
            "tab": "reminders",
            "form": form,
            "rows": rows,
            "time_zone": learning_set.time_zone,
        },
    )
