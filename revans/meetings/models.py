"""Meetings of a set: explicit rows generated from the contract, then edited one by one."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from revans.sets.models import LearningSet, MeetingFormat

# Keyed by the stored value: Meeting.format reads back as a plain str.
FORMAT_NAMES: dict[str, Promise] = {
    MeetingFormat.OPEN: _("Open"),
    MeetingFormat.PLANNED: _("Planned"),
    MeetingFormat.COMBINED: _("Combined"),
}


# The annotation `with_live_status` adds: the status as a value, not the live meeting's row as
# an object, so the meeting and its live meeting do not hold each other in a reference cycle
# (the live connections keep the meetings they check access with).
LOADED_LIVE_STATUS = "loaded_live_status"
# revans.live.models.LiveMeeting.Status.ENDED: a live meeting that ended (early or not).
LIVE_ENDED = "ended"
# ... and one opened but not started: its room can still be closed (revans.live).
LIVE_NOT_STARTED = "not_started"


def with_live_status(meetings: models.QuerySet) -> models.QuerySet:
    return meetings.annotate(**{LOADED_LIVE_STATUS: models.F("live__status")})


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

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    @property
    def live_status(self) -> str | None:
        """The live meeting's status (revans.live: "not_started", "running" or "ended"), or
        None if it was never opened. Pages load it with the meeting (`with_live_status`), so
        it costs them no query."""
        if LOADED_LIVE_STATUS in self.__dict__:
            return self.__dict__[LOADED_LIVE_STATUS]
        try:
            return self.live.status
        except ObjectDoesNotExist:
            return None

    @property
    def phase(self) -> str:
        """cancelled, upcoming, in_progress or ended: what the schedule shows. The clock
        decides, except where the live meeting is ahead of it: a set that started early is
        in progress, and one that ended early has met."""
        if self.is_cancelled:
            return "cancelled"
        now = timezone.now()
        live = self.live_status
        if live == LIVE_ENDED or self.has_ended(now):
            return "ended"
        if live == "running" or self.has_started(now):
            return "in_progress"
        return "upcoming"

    @property
    def format_name(self) -> str:
        """The format in one word, for tables (the choice labels explain it at length)."""
        return str(FORMAT_NAMES.get(self.format, self.format))

    @property
    def is_held(self) -> bool:
        """Held: not cancelled and over, by the clock or because its live meeting ended early
        (as `phase`); attendance may still be to record."""
        return not self.is_cancelled and (self.has_ended() or self.live_status == LIVE_ENDED)


class RsvpQuerySet(models.QuerySet):
    def standing(self) -> RsvpQuerySet:
        """Replies given for their meeting's time as it is now (Rsvp.stands, in SQL)."""
        return self.filter(given_for=models.F("meeting__starts_at"))

    def earlier(self) -> RsvpQuerySet:
        """Replies given before their meeting moved: they no longer count."""
        return self.exclude(given_for=models.F("meeting__starts_at"))


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
    # The meeting's start when the reply was given. A reply stands for that time only: once
    # the meeting moves, the member is asked again, and the earlier reply and note stay.
    given_for = models.DateTimeField()

    objects = RsvpQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_rsvp")]

    def save(self, *args, **kwargs):
        if self.given_for is None:
            self.given_for = self.meeting.starts_at
        super().save(*args, **kwargs)

    @property
    def stands(self) -> bool:
        """Given for the meeting's time as it is now (not before it moved)."""
        return self.given_for == self.meeting.starts_at


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
