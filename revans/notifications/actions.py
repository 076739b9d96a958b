"""Every change to notifications, preferences and calendar feeds happens here."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.core.mail import deliver_soon
from revans.core.models import OutboundEmail
from revans.notifications import kinds, scheduling
from revans.notifications.models import CalendarFeed, EmailOptOut, SetReminderSettings


class NotificationActionRefused(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@transaction.atomic
def do_set_email_choices(user, *, wanted: Iterable[str]) -> None:
    """The optional kinds the person wants; every other optional kind is turned off."""
    wanted = set(wanted) & kinds.OPTIONAL_KEYS
    unwanted = kinds.OPTIONAL_KEYS - wanted
    EmailOptOut.objects.filter(user=user, kind__in=wanted).delete()
    have = set(
        EmailOptOut.objects.filter(user=user, kind__in=unwanted).values_list("kind", flat=True)
    )
    EmailOptOut.objects.bulk_create(
        [EmailOptOut(user=user, kind=kind) for kind in sorted(unwanted - have)]
    )


@transaction.atomic
def do_unsubscribe(user_id: int, kind: str) -> bool:
    """From a signed link: turn one kind off. Safe to repeat. False if the kind is not optional."""
    if not kinds.is_optional(kind):
        return False
    EmailOptOut.objects.get_or_create(user_id=user_id, kind=kind)
    return True


@transaction.atomic
def do_create_calendar_feed(user) -> CalendarFeed:
    """A new private address for the person's calendar; any earlier one stops working."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))


@transaction.atomic
def do_revoke_calendar_feed(user) -> bool:
    deleted, _details = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


@transaction.atomic
def do_update_set_reminders(learning_set, *, actor, values: dict) -> SetReminderSettings:
    """How many days before each meeting the set's reminders go; recomputes pending rows."""
    if learning_set.is_archived:
        raise NotificationActionRefused(
            _("This set is archived, so its reminders cannot be changed. Unarchive it first.")
        )
    settings, _created = SetReminderSettings.objects.select_for_update().get_or_create(
        learning_set=learning_set
    )
    for field, value in values.items():
        setattr(settings, field, value)
    settings.save()
    scheduling.schedule_set(learning_set)
    return settings


@transaction.atomic
def do_retry_email(email: OutboundEmail, *, actor) -> OutboundEmail:
    """An organisation admin sends a failed or interrupted email again (attempts restart)."""
    locked = OutboundEmail.objects.select_for_update().get(pk=email.pk)
    retryable = {OutboundEmail.Status.FAILED, OutboundEmail.Status.INTERRUPTED}
    if locked.status not in retryable and not locked.is_retrying:
        raise NotificationActionRefused(_("This email is not waiting for a retry."))
    locked.status = OutboundEmail.Status.PENDING
    locked.attempts = 0
    locked.send_after = timezone.now()
    locked.claimed_by, locked.claimed_until = "", None
    locked.save(update_fields=["status", "attempts", "send_after", "claimed_by", "claimed_until"])
    deliver_soon()
    return locked
