"""Emails about a person's own account. Only actions call these.

They carry the person's name, links and dates: nothing else. The notice to the old address
never names the new one (the old mailbox may belong to a former employer).
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revans.accounts.models import User
from revans.core.mail import queue_email


def _hours(hours: int) -> str:
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def queue_sign_in_link(user: User, url: str, minutes: int) -> None:
    queue_email(
        to=user.email,
        subject=_("Your Revans sign-in link"),
        body=_(
            "Hello %(name)s,\n\nUse this link to sign in to Revans. It works once and "
            "expires in %(minutes)s minutes:\n\n%(url)s\n\nIf you did not ask for it, you can "
            "ignore this email."
        )
        % {"name": user.get_short_name(), "minutes": minutes, "url": url},
        kind="sign_in_link",
    )


def queue_confirm_new_email(user: User, new_email: str, url: str, hours: int) -> None:
    queue_email(
        to=new_email,
        subject=_("Confirm your new email address for Revans"),
        body=_(
            "Hello %(name)s,\n\nYou asked to use %(email)s for your Revans account. "
            "Use this link to confirm it. It works once and expires in %(hours)s:\n\n"
            "%(url)s\n\nUntil you confirm, your account keeps its current address. If you did "
            "not ask for this, ignore this email: nothing will change."
        )
        % {"name": user.get_short_name(), "email": new_email, "hours": _hours(hours), "url": url},
        kind="change_email_confirm",
    )


def queue_email_change_notice(user: User, requested_at: dt.datetime) -> None:
    # No link on purpose: a notice that asks nothing of the reader cannot be mistaken for
    # (or turned into) a way into the account.
    queue_email(
        to=user.email,
        subject=_("Someone asked to change your Revans email address"),
        body=_(
            "Hello %(name)s,\n\nOn %(when)s someone signed in to your Revans account asked to "
            "change its email address. Nothing changes unless the request is confirmed from the "
            "new address.\n\nIf it was you, there is nothing more to do. If it was not, sign in "
            "to Revans and change your password: that also cancels the request."
        )
        % {"name": user.get_short_name(), "when": _when(requested_at)},
        kind="change_email_notice",
    )


def queue_password_reset(user: User, url: str, hours: int) -> None:
    queue_email(
        to=user.email,
        subject=_("Choose a new password for Revans"),
        body=_(
            "Hello %(name)s,\n\nSomeone, hopefully you, asked to choose a new password for your "
            "Revans account. Use this link to do it. It works once and expires in "
            "%(hours)s:\n\n%(url)s\n\nIf you did not ask for it, ignore this email: your password "
            "stays as it is."
        )
        % {"name": user.get_short_name(), "hours": _hours(hours), "url": url},
        kind="password_reset",
    )
