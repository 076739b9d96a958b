"""Emails about organisations. Only actions call these.

They carry names and a link to ask for a sign-in link: never anything from inside a set
(not even set names, which a sponsor contact sees only once signed in).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from revans.core.mail import absolute_url, queue_email


def sign_in_request_url(email: str, next_path: str) -> str:
    """The page where the person asks for a single-use sign-in link, then lands on next_path.

    Not a sign-in link itself: those expire in minutes, and this email may be read days later.
    """
    query = urlencode({"email": email, "next": next_path})
    try:
        path = reverse("accounts:sign_in_link_request")
    except NoReverseMatch:
        # Until the accounts app provides that page, its sign-in page is the way in.
        path = reverse("accounts:sign_in")
    return absolute_url(f"{path}?{query}")


def roles_text(is_admin: bool, is_facilitator: bool) -> str:
    if is_admin and is_facilitator:
        return _("an organisation admin and a facilitator")
    if is_admin:
        return _("an organisation admin")
    return _("a facilitator")


def queue_staff_added_email(membership, actor) -> None:
    organisation = membership.organisation
    user = membership.user
    url = sign_in_request_url(user.email, reverse("organisations:detail", args=[organisation.slug]))
    lines = [
        _("Hello %(name)s,") % {"name": user.get_short_name()},
        "",
        _("%(actor)s added you to %(organisation)s on Revans as %(roles)s.")
        % {
            "actor": actor.display_name,
            "organisation": organisation.name,
            "roles": roles_text(membership.is_admin, membership.is_facilitator),
        },
        "",
        _("To sign in, ask for a sign-in link (it is sent to this address):"),
        url,
    ]
    queue_email(
        to=user.email,
        subject=_("You have been added to %(organisation)s on Revans")
        % {"organisation": organisation.name},
        body="\n".join(lines),
        kind="staff_added",
        organisation=organisation,
    )


def queue_sponsor_contact_added_email(contact, actor) -> None:
    sponsor = contact.sponsor
    organisation = sponsor.organisation
    user = contact.user
    url = sign_in_request_url(user.email, reverse("home:home"))
    lines = [
        _("Hello %(name)s,") % {"name": user.get_short_name()},
        "",
        _(
            "%(actor)s of %(organisation)s added you on Revans as a contact for %(sponsor)s, "
            "which commissions Action Learning Sets from %(organisation)s."
        )
        % {"actor": actor.display_name, "organisation": organisation.name, "sponsor": sponsor.name},
        "",
        _(
            "Once signed in, you can see the schedule of the sets %(sponsor)s commissions and, "
            "when the facilitator releases them, their reports. What members say inside a set "
            "stays in the set."
        )
        % {"sponsor": sponsor.name},
        "",
        _("To sign in, ask for a sign-in link (it is sent to this address):"),
        url,
    ]
    queue_email(
        to=user.email,
        subject=_("You are a sponsor contact for %(sponsor)s on Revans")
        % {"sponsor": sponsor.name},
        body="\n".join(lines),
        kind="sponsor_contact_added",
        organisation=organisation,
    )
