"""Scheduled reminders, each person's email choices and private calendar feeds.

A ScheduledNotification is the stored, editable row behind every reminder: it has a send
time and a subject (a meeting, or a key such as a momentum call's id). Changing the subject
recomputes the row (scheduling.py); the worker renders it only when it is due (render.py),
so the email carries the current date and time, and is skipped if no longer relevant.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_DAYS_BEFORE = 14


class ScheduledNotification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Scheduled")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(max_length=40)
    learning_set = models.ForeignKey(
        "sets.LearningSet", on_delete=models.CASCADE, related_name="scheduled_notifications"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="scheduled_notifications",
    )
    # For reminders about something other than a meeting (e.g. "call:12"), set by the app
    # that owns it through scheduling.schedule_keyed.
    subject_key = models.CharField(max_length=80, blank=True)
    # The one person it is for, when it is for one person (else everyone it concerns).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    send_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # What happened when it was processed: how many emails, or why it was skipped.
    outcome = models.CharField(max_length=200, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "send_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "meeting"],
                condition=models.Q(meeting__isnull=False),
                name="one_notification_per_kind_and_meeting",
            ),
            models.UniqueConstraint(
                fields=["kind", "subject_key"],
                condition=~models.Q(subject_key=""),
                name="one_notification_per_kind_and_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.send_at:%Y-%m-%d %H:%M} ({self.status})"


class SetReminderSettings(models.Model):
    """How many days before a meeting the set's reminders go (0: not at all).

    Days are counted on the set's wall clock: 2 days before 18:00 on a Monday is 18:00 on
    the Saturday in the set's zone, whatever daylight saving does in between.
    """

    learning_set = models.OneToOneField(
        "sets.LearningSet", on_delete=models.CASCADE, related_name="reminder_settings"
    )
    meeting_reminder_days = models.PositiveSmallIntegerField(
        _("meeting reminder, days before"), default=2, validators=[MaxValueValidator(14)]
    )
    agreement_reminder_days = models.PositiveSmallIntegerField(
        _("agreement reminder, days before"), default=3, validators=[MaxValueValidator(14)]
    )
    commitments_reminder_days = models.PositiveSmallIntegerField(
        _("commitments reminder, days before"), default=3, validators=[MaxValueValidator(14)]
    )


class EmailOptOut(models.Model):
    """A person does not want emails of this (optional) kind."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    kind = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_opt_out")]


class CalendarFeed(models.Model):
    """A person's private calendar subscription: whoever has the URL reads their meetings.

    The token is kept as is (not hashed) so the account page can show the address again;
    it opens only a read-only list of dates and set names. Revoking deletes the row.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
