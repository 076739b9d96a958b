"""Every change to accounts happens here."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revans.accounts import emails
from revans.accounts.models import (
    EmailLink,
    ThrottledRequest,
    User,
    hash_token,
    new_token,
    normalise_email,
)
from revans.core.mail import absolute_url

# A confirmation link goes to an address the person may not have open right now (a new
# work mailbox, say), and changes nothing until it is followed; the old address is told at
# once, and a later request or a new password cancels it. So it lives a day, not 15 minutes.
CHANGE_EMAIL_LINK_HOURS = 24

Scope = ThrottledRequest.Scope
# (how many, in how many minutes) per address, or per account for changes of email.
LIMITS: dict[str, tuple[int, int]] = {
    Scope.SIGN_IN_LINK: (5, 15),
    Scope.PASSWORD_RESET: (5, 15),
    Scope.CHANGE_EMAIL: (5, 15),
    Scope.FAILED_SIGN_IN: (10, 15),
}


class LinkProblem(Exception):
    """A sign-in or confirmation link that cannot be used, with a message for the person."""

    def __init__(self, message: str, reason: str, link: EmailLink | None = None):
        super().__init__(message)
        self.message = message
        self.reason = reason  # "unknown", "used" or "expired"
        self.link = link

    @property
    def email(self) -> str:
        """Where a fresh link would go: known only when the link itself was found."""
        return self.link.user.email if self.link is not None else ""

    @property
    def next_path(self) -> str:
        return self.link.next_path if self.link is not None else ""


class TooManyRequests(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class EmailTaken(Exception):
    """Another account uses the address (checked again at the last moment, race included)."""

    def __init__(self, email: str):
        super().__init__(email)
        self.email = email
        self.message = _("Another account already uses %(email)s.") % {"email": email}


def safe_next_path(path: str | None) -> str:
    """Only ever redirect to a path on this site."""
    if (
        path
        and url_has_allowed_host_and_scheme(path, allowed_hosts=None)
        and path.startswith("/")
        and not path.startswith("//")
        and "\\" not in path
    ):
        return path[:300]
    return ""


def find_user_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=normalise_email(email)).first()


def email_is_taken(email: str, by_someone_other_than: User | None = None) -> bool:
    others = User.objects.filter(email__iexact=normalise_email(email))
    if by_someone_other_than is not None:
        others = others.exclude(pk=by_someone_other_than.pk)
    return others.exists()


# Throttling ------------------------------------------------------------------------------


def _throttle_key(scope: str, value: str) -> str:
    return hash_token(f"{scope}:{normalise_email(value)}")


def _recent_count(scope: str, value: str) -> int:
    minutes = LIMITS[scope][1]
    return ThrottledRequest.objects.filter(
        key_hash=_throttle_key(scope, value),
        created_at__gt=timezone.now() - timedelta(minutes=minutes),
    ).count()


def _too_many_message(scope: str) -> str:
    minutes = LIMITS[scope][1]
    if scope == Scope.FAILED_SIGN_IN:
        return ngettext(
            "There have been too many wrong passwords for this email address. Wait %(minutes)d "
            "minute and try again, or email yourself a sign-in link.",
            "There have been too many wrong passwords for this email address. Wait %(minutes)d "
            "minutes and try again, or email yourself a sign-in link.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "We have already sent several emails for this in the last %(minutes)d minute. Please "
        "check your inbox (and spam folder), or wait a little before asking again.",
        "We have already sent several emails for this in the last %(minutes)d minutes. Please "
        "check your inbox (and spam folder), or wait a little before asking again.",
        minutes,
    ) % {"minutes": minutes}


@transaction.atomic
def do_note_request(scope: str, value: str) -> None:
    """Count one request against its limit; TooManyRequests (nothing counted) beyond it.

    Counted by address whether or not it has an account, so being refused tells nobody
    whether the address is known. SQLite serialises writers; on PostgreSQL two requests at
    the same instant may both squeeze under the limit, which is fine for a throttle.
    """
    if _recent_count(scope, value) >= LIMITS[scope][0]:
        raise TooManyRequests(_too_many_message(scope))
    _record(scope, value)


def _record(scope: str, value: str) -> None:
    # Old rows count for nothing: tidy them as we go rather than in a separate job.
    ThrottledRequest.objects.filter(created_at__lt=timezone.now() - timedelta(days=1)).delete()
    ThrottledRequest.objects.create(scope=scope, key_hash=_throttle_key(scope, value))


def too_many_failed_sign_ins(email: str) -> str:
    """The message to show if this address has had too many wrong passwords lately."""
    if _recent_count(Scope.FAILED_SIGN_IN, email) >= LIMITS[Scope.FAILED_SIGN_IN][0]:
        return _too_many_message(Scope.FAILED_SIGN_IN)
    return ""


@transaction.atomic
def do_record_failed_sign_in(email: str) -> None:
    _record(Scope.FAILED_SIGN_IN, email)


# Accounts --------------------------------------------------------------------------------


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
def do_change_name(user: User, full_name: str) -> User:
    user.full_name = full_name.strip()
    user.save(update_fields=["full_name"])
    return user


def _expire_waiting_links(user: User, purpose: str | None = None, keep: int | None = None) -> None:
    now = timezone.now()
    waiting = EmailLink.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now)
    if purpose is not None:
        waiting = waiting.filter(purpose=purpose)
    if keep is not None:
        waiting = waiting.exclude(pk=keep)
    waiting.update(expires_at=now)


@transaction.atomic
def do_set_password(user: User, password: str) -> User:
    """A new password (changed, set for the first time, or reset by email).

    Links still waiting in the mailbox stop working: someone choosing a new password may be
    locking out whoever else got into their account or their email.
    """
    user.set_password(password)
    user.save(update_fields=["password"])
    _expire_waiting_links(user)
    return user


@transaction.atomic
def do_send_password_reset_email(user: User, url: str) -> None:
    emails.queue_password_reset(user, url, hours=max(1, settings.PASSWORD_RESET_TIMEOUT // 3600))


# Links by email --------------------------------------------------------------------------


def _new_link(user: User, purpose: str, lifetime: timedelta, **fields) -> tuple[EmailLink, str]:
    token, token_hash = new_token()
    link = EmailLink.objects.create(
        user=user,
        purpose=purpose,
        token_hash=token_hash,
        expires_at=timezone.now() + lifetime,
        **fields,
    )
    return link, token


@transaction.atomic
def do_send_sign_in_link(email: str, next_path: str = "") -> EmailLink | None:
    """Email a single-use sign-in link. Unknown addresses get nothing (and the page says
    the same either way, so nobody can probe which addresses have accounts).

    Raises TooManyRequests when the address has had its share of links lately, whether it
    has an account or not.
    """
    do_note_request(Scope.SIGN_IN_LINK, email)
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return None
    link, token = _new_link(
        user,
        EmailLink.Purpose.SIGN_IN,
        timedelta(minutes=settings.SIGN_IN_LINK_MINUTES),
        next_path=safe_next_path(next_path),
    )
    url = absolute_url(reverse("accounts:sign_in_link", args=[token]))
    emails.queue_sign_in_link(user, url, settings.SIGN_IN_LINK_MINUTES)
    return link


def make_sign_in_url(user: User, next_path: str = "") -> str:
    """A sign-in link without sending it (for the demo's printed links)."""
    _, token = _new_link(
        user,
        EmailLink.Purpose.SIGN_IN,
        timedelta(minutes=settings.SIGN_IN_LINK_MINUTES),
        next_path=safe_next_path(next_path),
    )
    return absolute_url(reverse("accounts:sign_in_link", args=[token]))


def _used(link: EmailLink) -> LinkProblem:
    return LinkProblem(
        _("This link has already been used. Each link works only once."), "used", link
    )


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
        raise _used(link)
    if link.is_expired:
        if purpose == EmailLink.Purpose.CHANGE_EMAIL:
            message = _(
                "This link has expired. Confirmation links work for %(hours)s hours, and only "
                "the latest one you asked for."
            ) % {"hours": CHANGE_EMAIL_LINK_HOURS}
        else:
            message = _("This link has expired. Sign-in links work for %(minutes)s minutes.") % {
                "minutes": settings.SIGN_IN_LINK_MINUTES
            }
        raise LinkProblem(message, "expired", link)
    return link


@transaction.atomic
def do_use_email_link(token: str, purpose: str) -> EmailLink:
    """Mark a link used, exactly once even if two tabs open it together."""
    link = check_email_link(token, purpose)
    claimed = EmailLink.objects.filter(id=link.id, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:
        raise _used(link)
    return link


# Changing the email address --------------------------------------------------------------


def waiting_email_change(user: User) -> EmailLink | None:
    """The latest change of address still waiting for its confirmation, if any."""
    return (
        EmailLink.objects.filter(
            user=user,
            purpose=EmailLink.Purpose.CHANGE_EMAIL,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def do_request_email_change(user: User, new_email: str) -> EmailLink:
    """Send a confirmation link to the new address and a notice to the current one.

    The address changes only when the link is followed (do_confirm_email_change).
    """
    new_email = normalise_email(new_email)
    if email_is_taken(new_email, by_someone_other_than=user):
        raise EmailTaken(new_email)
    do_note_request(Scope.CHANGE_EMAIL, f"user-{user.pk}")
    # Only the latest request can be confirmed: an earlier one may have had a typo in it.
    _expire_waiting_links(user, EmailLink.Purpose.CHANGE_EMAIL)
    link, token = _new_link(
        user,
        EmailLink.Purpose.CHANGE_EMAIL,
        timedelta(hours=CHANGE_EMAIL_LINK_HOURS),
        new_email=new_email,
    )
    url = absolute_url(reverse("accounts:confirm_email", args=[token]))
    emails.queue_confirm_new_email(user, new_email, url, CHANGE_EMAIL_LINK_HOURS)
    emails.queue_email_change_notice(user, link.created_at)
    return link


@transaction.atomic
def do_confirm_email_change(token: str) -> User:
    """Apply a confirmed change of address. If the address was taken meanwhile, nothing
    changes (the link stays unused) and EmailTaken says so."""
    link = do_use_email_link(token, EmailLink.Purpose.CHANGE_EMAIL)
    user = link.user
    new_email = normalise_email(link.new_email)
    if email_is_taken(new_email, by_someone_other_than=user):
        raise EmailTaken(new_email)
    user.email = new_email
    try:
        # Two accounts confirming the same address at once: the unique index decides.
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        raise EmailTaken(new_email) from None
    # Links sent to the old address, or for other changes, must not work any more.
    _expire_waiting_links(user, keep=link.pk)
    return user
