"""Every change to accounts happens here."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from revans.accounts.models import EmailLink, User, hash_token, new_token, normalise_email
from revans.core.mail import absolute_url, queue_email


class LinkProblem(Exception):
    """A sign-in or confirmation link that cannot be used, with a message for the person."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.message = message
        self.reason = reason  # "unknown", "used" or "expired"


def safe_next_path(path: str | None) -> str:
    """Only ever redirect to a path on this site."""
    if path and url_has_allowed_host_and_scheme(path, allowed_hosts=None) and path.startswith("/"):
        return path[:300]
    return ""


def find_user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=normalise_email(email)).first()


@transaction.atomic
def do_get_or_create_user(email: str, full_name: str = "") -> tuple[User, bool]:
    """The account for an address, created without a password if there is none yet."""
    user = find_user_by_email(email)
    if user is not None:
        return user, False
    return User.objects.create_user(normalise_email(email), None, full_name=full_name.strip()), True


@transaction.atomic
def do_set_up_account(user: User, full_name: str, password: str) -> User:
    user.full_name = full_name.strip()
    user.set_password(password)
    user.save(update_fields=["full_name", "password"])
    return user


@transaction.atomic
def do_send_sign_in_link(email: str, next_path: str = "") -> EmailLink | None:
    """Email a single-use sign-in link. Unknown addresses get nothing (and the page says
    the same either way, so nobody can probe which addresses have accounts)."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return None
    token, token_hash = new_token()
    link = EmailLink.objects.create(
        user=user,
        purpose=EmailLink.Purpose.SIGN_IN,
        token_hash=token_hash,
        next_path=safe_next_path(next_path),
        expires_at=timezone.now() + timedelta(minutes=settings.SIGN_IN_LINK_MINUTES),
    )
    url = absolute_url(reverse("accounts:sign_in_link", args=[token]))
    queue_email(
        to=user.email,
        subject=_("Your Revans sign-in link"),
        body=_(
            "Hello %(name)s,\n\nUse this link to sign in to Revans. It works once and "
            "expires in %(minutes)s minutes:\n\n%(url)s\n\nIf you did not ask for it, you can "
            "ignore this email."
        )
        % {"name": user.get_short_name(), "minutes": settings.SIGN_IN_LINK_MINUTES, "url": url},
        kind="sign_in_link",
    )
    return link


def make_sign_in_url(user: User, next_path: str = "") -> str:
    """A sign-in link without sending it (for the demo's printed links)."""
    token, token_hash = new_token()
    EmailLink.objects.create(
        user=user,
        purpose=EmailLink.Purpose.SIGN_IN,
        token_hash=token_hash,
        next_path=safe_next_path(next_path),
        expires_at=timezone.now() + timedelta(minutes=settings.SIGN_IN_LINK_MINUTES),
    )
    return absolute_url(reverse("accounts:sign_in_link", args=[token]))


def check_email_link(token: str, purpose: str) -> EmailLink:
    """The link behind a token if it can still be used; LinkProblem says plainly why not."""
    link = (
        EmailLink.objects.select_related("user")
        .filter(token_hash=hash_token(token), purpose=purpose)
        .first()
    )
    if link is None or not link.user.is_active:
        raise LinkProblem(
            _("This link is not valid. It may have been copied incompletely."), "unknown"
        )
    if link.is_used:
        raise LinkProblem(_("This link has already been used. Each link works only once."), "used")
    if link.is_expired:
        raise LinkProblem(
            _("This link has expired. Links work for %(minutes)s minutes.")
            % {"minutes": settings.SIGN_IN_LINK_MINUTES},
            "expired",
        )
    return link


@transaction.atomic
def do_use_email_link(token: str, purpose: str) -> EmailLink:
    """Mark a link used, exactly once even if two tabs open it together."""
    link = check_email_link(token, purpose)
    claimed = EmailLink.objects.filter(id=link.id, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise LinkProblem(_("This link has already been used. Each link works only once."), "used")
    return link
