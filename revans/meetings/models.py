"""Meetings of a set: explicit rows generated from the contract, then edited one by one."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revans.sets.models import LearningSet, MeetingFormat


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    learning_set = models.ForeignKey(LearningSet, on_delete=models.CASCADE, related_name="meetings")
    # Stored in UTC; shown and edited in the set's time zone.
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=10, choices=MeetingFormat.choices)
    topic = models.CharField(_("agreed topic"), max_length=200, blank=True)
    issue_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change people should hear about (calendar SEQUENCE later).
    revision = models.PositiveIntegerField(default=0)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["learning_set", "starts_at"])]

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    def local_start(self, tz_name: str | None = None):
        return timezone.localtime(self.starts_at, ZoneInfo(tz_name or self.learning_set.time_zone))

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at


class Rsvp(models.Model):
    class Response(models.TextChoices):
        ATTENDING = "attending", _("Attending")
        APOLOGIES = "apologies", _("Sending apologies")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    response = models.CharField(max_length=10, choices=Response.choices)
    # Only the facilitator reads this note.
    note = models.CharField(_("note to the facilitator"), max_length=500, blank=True)
    responded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_rsvp")]


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance")]
