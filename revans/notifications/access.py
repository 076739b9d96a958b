"""Who may see what here: the one place these rules live (fetch and authorise in one step).

- The outbox page of an organisation: its admins only (it names recipients).
- A set's reminders: the people who manage the set (facilitator, organisation admins).
- A calendar feed: whoever has the token (no session: calendar apps cannot sign in).
"""

from __future__ import annotations

from django.http import Http404

from revans.core.models import OutboundEmail
from revans.notifications.models import CalendarFeed
from revans.organisations.access import OrgNeed, OrgRole, access_organisation_for_user
from revans.sets.access import Need, SetRole, access_set_for_user


def access_outbox_for_user(user, slug: str) -> OrgRole:
    return access_organisation_for_user(user, slug, OrgNeed.ADMIN)


def email_of_organisation(role: OrgRole, email_id: int) -> OutboundEmail:
    email = OutboundEmail.objects.filter(pk=email_id, organisation=role.organisation).first()
    if email is None:
        raise Http404
    return email


def access_set_reminders_for_user(user, set_id: int) -> SetRole:
    return access_set_for_user(user, set_id, Need.MANAGE)


def feed_for_token(token: str) -> CalendarFeed:
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed
