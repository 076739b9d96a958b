"""Emails a person may turn off: checked against their choice, with an unsubscribe link.

Every optional email goes through notify(). It carries, besides the body, a signed link
that turns off its kind (RFC 8058 one-click: List-Unsubscribe and List-Unsubscribe-Post
headers, so mail programs offer their own button, which POSTs to the same link).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from revans.core.mail import absolute_url, queue_email
from revans.notifications import kinds
from revans.notifications.models import EmailOptOut

UNSUBSCRIBE_SALT = "revans.notifications.unsubscribe"


def unsubscribe_token(user, kind: str) -> str:
    # Unsigned data is only ids; the signature (SECRET_KEY) is what makes the link work.
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not kinds.is_optional(data.get("k", "")):
        return None
    try:
        return int(data["u"]), data["k"]
    except (KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(user, kind: str) -> str:
    return absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user, kind)]))


def opted_out(kind: str, user_ids: Iterable[int]) -> set[int]:
    """Who of these people turned this kind off (one query for any number)."""
    return set(
        EmailOptOut.objects.filter(kind=kind, user_id__in=list(user_ids)).values_list(
            "user_id", flat=True
        )
    )


def notify(
    user,
    *,
    kind: str,
    subject: str,
    lines: list[str],
    organisation=None,
    attachments: list[dict] | None = None,
    skip_check: bool = False,
):
    """Queue an optional email to one person unless they turned its kind off.

    lines: paragraphs of the body, after the greeting (names, dates and links only).
    skip_check: the caller already filtered with opted_out() for many people at once.
    Returns the outbox row, or None if the person does not want this kind.
    """
    assert kinds.is_optional(kind), kind
    if not user.is_active or not user.email:
        return None
    if not skip_check and opted_out(kind, [user.pk]):
        return None
    link = unsubscribe_url(user, kind)
    footer = _(
        "You get this email because you are part of an Action Learning Set on Revans. "
        'To stop emails like this ("%(kind)s"), open: %(link)s'
    ) % {"kind": kinds.label(kind), "link": link}
    greeting = _("Hello %(name)s,") % {"name": user.get_short_name()}
    body = "\n\n".join([greeting, *lines]) + "\n\n-- \n" + footer
    return queue_email(
        to=user.email,
        subject=subject,
        body=body + "\n",
        kind=kind,
        organisation=organisation,
        user=user,
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        attachments=attachments,
    )
