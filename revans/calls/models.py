"""Momentum calls: between two meetings, the facilitator calls each member of the set.

A call belongs to the gap after a held meeting (`after_meeting`): one call per member per
gap, unless it was cancelled. Notes from the call carry their visibility as data: private
to whoever holds the facilitator role of the set, or shared with the member.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_CALL_MINUTES = 30


class MomentumCall(models.Model):
    class Status(models.TextChoices):
        # Times offered; the member has not picked one yet.
        OFFERED = "offered", _("Times offered")
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        MISSED = "missed", _("Missed")
        CANCELLED = "cancelled", _("Cancelled")

    class Arranged(models.TextChoices):
        OFFER = "offer", _("The member picked one of the times offered")
        ELSEWHERE = "elsewhere", _("Arranged elsewhere")

    learning_set = models.ForeignKey(
        "sets.LearningSet", on_delete=models.CASCADE, related_name="momentum_calls_made"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="momentum_calls"
    )
    # Who arranged it; the notes stay with whoever holds the facilitator role of the set.
    arranged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    after_meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="calls_after"
    )
    before_meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls_before",
    )
    status = models.CharField(max_length=10, choices=Status.choices)
    arranged = models.CharField(max_length=10, choices=Arranged.choices)
    # Set once the call is planned (picked from the offer, or recorded); UTC.
    starts_at = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=DEFAULT_CALL_MINUTES)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "after_meeting"],
                condition=~models.Q(status="cancelled"),
                name="one_call_per_member_per_gap",
            )
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"momentum call {self.pk} ({self.status})"

    @property
    def ends_at(self) -> dt.datetime | None:
        if self.starts_at is None:
            return None
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    @property
    def is_open(self) -> bool:
        """Offered or planned: still ahead."""
        return self.status in {self.Status.OFFERED, self.Status.PLANNED}


class CallSlot(models.Model):
    """One of the 2 to 4 times the facilitator offers; the member picks one."""

    call = models.ForeignKey(MomentumCall, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    chosen = models.BooleanField(default=False)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "starts_at"], name="one_slot_per_time")
        ]


class CallNote(models.Model):
    class Visibility(models.TextChoices):
        FACILITATOR = "facilitator", _("Only the facilitator")
        MEMBER = "member", _("Shared with the member")

    call = models.ForeignKey(MomentumCall, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(max_length=4000)
    visibility = models.CharField(
        max_length=12, choices=Visibility.choices, default=Visibility.FACILITATOR
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def is_shared(self) -> bool:
        return self.visibility == self.Visibility.MEMBER
