"""Commitments: what a member will do before the next meeting, and the history of each one.

Confidential to the set: only its current members and its facilitator may read a commitment
(access.py and queries.py enforce it; nothing here is ever put in an email to anyone else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WHAT_MAX_LENGTH = 1000  # the same as a round-7 action in the live meeting
HELP_MAX_LENGTH = 300
NOTE_MAX_LENGTH = 500  # the same as a round-2 line of learning

if TYPE_CHECKING:
    from revans.commitments.forms import UpdateForm


class Commitment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    learning_set = models.ForeignKey(
        "sets.LearningSet", on_delete=models.CASCADE, related_name="commitments"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commitments"
    )
    # The meeting it was made at (round 7); null for one a member added between meetings.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments_made",
    )
    what = models.TextField(_("what I will do"), max_length=WHAT_MAX_LENGTH)
    due_on = models.DateField(_("by when"))
    who_could_help = models.CharField(_("who could help"), max_length=HELP_MAX_LENGTH, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # When it became done or dropped: round 2 still shows ones closed since the last meeting.
    closed_at = models.DateTimeField(null=True, blank=True)

    # Not columns: set on the rows that queries.py and the views hand to pages, and only
    # there (annotations for the type checker; reading one elsewhere raises AttributeError).
    # Open and due before today in the set's time zone (queries._with_state, the views).
    is_overdue: bool
    # The number of the meeting it was made at in the set's programme (None between them).
    meeting_number: int | None
    # The owner's status and note form, for a page that lets them change it.
    update_form: UpdateForm

    class Meta:
        ordering = ["due_on", "created_at", "id"]
        indexes = [
            models.Index(fields=["learning_set", "status"]),
            models.Index(fields=["owner", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"Commitment {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = (Commitment.Status.OPEN, Commitment.Status.IN_PROGRESS)
CLOSED_STATUSES = (Commitment.Status.DONE, Commitment.Status.DROPPED)


class ReviewOutcome(models.TextChoices):
    """The round-2 verdicts; the same words as the live meeting's CommitmentReview."""

    DONE = "done", _("Done")
    PARTLY = "partly", _("Partly done")
    NOT_DONE = "not_done", _("Not done")


class ProgressNote(models.Model):
    """One dated line in a commitment's history: a note, a change of status, or both; or the
    review of the commitment in round 2 of a meeting (then `meeting` and `review_outcome` are
    set, and there is one such row per commitment and meeting, updated if reviewed again)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    text = models.CharField(_("progress note"), max_length=NOTE_MAX_LENGTH, blank=True)
    status_before = models.CharField(max_length=12, choices=Commitment.Status.choices, blank=True)
    status_after = models.CharField(max_length=12, choices=Commitment.Status.choices, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_outcome = models.CharField(max_length=8, choices=ReviewOutcome.choices, blank=True)

    # Not a column: the review's meeting number in the set's programme, set by the helpers in
    # queries.py that return notes (None for a note written between meetings).
    meeting_number: int | None

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "meeting"],
                condition=models.Q(meeting__isnull=False),
                name="one_review_per_commitment_and_meeting",
            )
        ]

    @property
    def is_review(self) -> bool:
        return self.meeting_id is not None

    @property
    def changed_status(self) -> bool:
        return bool(self.status_after) and self.status_after != self.status_before
