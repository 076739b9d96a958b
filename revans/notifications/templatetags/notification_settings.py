"""The account page's "Emails" and "Calendar" sections, filled from this app."""

from __future__ import annotations

from django import template

from revans.core.mail import absolute_url
from revans.notifications import kinds
from revans.notifications.models import CalendarFeed, EmailOptOut

register = template.Library()


@register.inclusion_tag("notifications/_account_sections.html", takes_context=True)
def email_and_calendar_settings(context):
    user = context["request"].user
    muted = set(EmailOptOut.objects.filter(user=user).values_list("kind", flat=True))
    feed = CalendarFeed.objects.filter(user=user).first()
    feed_url = ""
    if feed is not None:
        from django.urls import reverse

        feed_url = absolute_url(reverse("notifications:feed", args=[feed.token]))
    return {
        "choices": [(kind, kind.key not in muted) for kind in kinds.OPTIONAL],
        "feed": feed,
        "feed_url": feed_url,
        "csrf_token": context.get("csrf_token"),
    }
