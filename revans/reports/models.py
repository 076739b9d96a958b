"""The facilitator's report on a set: a draft, members' concerns, and released versions.

The draft (SetReport with its ReportThemes) is the facilitator's working copy. Evidence
(ThemeItem: an issue title or a line of learning, with its author) is shown to the facilitator
only; it is never copied into a ReleasedVersion. A release stores a snapshot of exactly what the
sponsor reads (figures, theme labels, narratives) and is never changed afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from revans.reports.rules import ThemeStatus

# The anonymity threshold: a theme reaches the sponsor only when at least this many distinct
# members support it. Never below 2: a theme of one member identifies that member.
DEFAULT_MIN_SUPPORT = 3
LOWEST_MIN_SUPPORT = 2
HIGHEST_MIN_SUPPORT = 12
LABEL_MAX_LENGTH = 120
NARRATIVE_MAX_LENGTH = 4000
CONCERN_MAX_LENGTH = 1000
ANSWER_MAX_LENGTH = 1000


class SetReport(models.Model):
    """The one draft report of a set (created when the facilitator first opens the tab)."""

    learning_set = models.OneToOneField(
        "sets.LearningSet", on_delete=models.CASCADE, related_name="report"
    )
    min_support = models.PositiveSmallIntegerField(
        _("members needed to support a theme"),
        default=DEFAULT_MIN_SUPPORT,
        validators=[
            MinValueValidator(LOWEST_MIN_SUPPORT),
            MaxValueValidator(HIGHEST_MIN_SUPPORT),
        ],
    )
    # The facilitator's opening paragraph for the sponsor (optional).
    introduction = models.TextField(_("introduction"), max_length=NARRATIVE_MAX_LENGTH, blank=True)
    # Figures sections (figures.SECTIONS keys) the facilitator keeps from the sponsor.
    withheld_sections = models.JSONField(default=list, blank=True)
    # When the facilitator shared the draft with the members for comments: a release needs it.
    shared_at = models.DateTimeField(null=True, blank=True)
    # When Revans last suggested themes from what the set recorded.
    suggested_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every edit of what the sponsor would read, so a release knows what it froze.
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_support__gte=LOWEST_MIN_SUPPORT),
                name="report_min_support_at_least_two",
            )
        ]


class ReportTheme(models.Model):
    report = models.ForeignKey(SetReport, on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(_("theme"), max_length=LABEL_MAX_LENGTH)
    # What the engine suggested, kept so the facilitator can see a rename against it.
    suggested_label = models.CharField(max_length=LABEL_MAX_LENGTH, blank=True)
    narrative = models.TextField(_("narrative"), max_length=NARRATIVE_MAX_LENGTH, blank=True)
    # The facilitator keeps it from the sponsor whatever its support.
    withheld = models.BooleanField(_("withheld by the facilitator"), default=False)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    # Not a column: whether it reaches the sponsor and why, set by the read helpers in
    # queries.py on the themes they return (rules.theme_status), and only there.
    status: ThemeStatus

    class Meta:
        ordering = ["position", "id"]


class ThemeItem(models.Model):
    """One piece of evidence for a theme: for the facilitator's eyes only."""

    class Source(models.TextChoices):
        ISSUE = "issue", _("Issue presented")
        LEARNING = "learning", _("Learning recorded")

    theme = models.ForeignKey(ReportTheme, on_delete=models.CASCADE, related_name="items")
    source = models.CharField(max_length=10, choices=Source.choices)
    # The row it came from (a Bid, Contribution or CommitmentReview id, or a Meeting's topic):
    # with `source` and `source_model` it identifies the item so a new suggestion skips nothing.
    source_model = models.CharField(max_length=40)
    source_id = models.PositiveBigIntegerField()
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.CharField(max_length=1000)

    class Meta:
        ordering = ["id"]


class ReportConcern(models.Model):
    """A member's concern about one item of the draft (a theme or a figures section)."""

    class Resolution(models.TextChoices):
        EDITED = "edited", _("Edited")
        WITHHELD = "withheld", _("Withheld from the sponsor")
        ANSWERED = "answered", _("Answered")

    report = models.ForeignKey(SetReport, on_delete=models.CASCADE, related_name="concerns")
    # Either a theme, or a figures section (see figures.SECTIONS); deleting the theme keeps the
    # concern (with its section text), so the member still sees what became of it.
    theme = models.ForeignKey(
        ReportTheme, null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    section = models.CharField(max_length=40, blank=True)
    item_label = models.CharField(max_length=LABEL_MAX_LENGTH)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    text = models.CharField(_("your concern"), max_length=CONCERN_MAX_LENGTH)
    raised_at = models.DateTimeField(default=timezone.now)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    answer = models.CharField(_("answer"), max_length=ANSWER_MAX_LENGTH, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        indexes = [models.Index(fields=["report", "resolved_at"])]

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class ReleasedVersion(models.Model):
    """What the sponsor reads: a frozen snapshot. Never updated or deleted by the app."""

    report = models.ForeignKey(SetReport, on_delete=models.PROTECT, related_name="versions")
    learning_set = models.ForeignKey(
        "sets.LearningSet", on_delete=models.CASCADE, related_name="released_reports"
    )
    number = models.PositiveIntegerField()
    # {"set": {...}, "figures": {...}, "themes": [{"label", "narrative"}], "introduction",
    #  "min_support"}: no evidence, no member's words, no name unless the set agreed to
    # attendance per person.
    snapshot = models.JSONField()
    report_revision = models.PositiveIntegerField()
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_version_number")
        ]

    def save(self, *args, **kwargs):
        # Immutable once written: a change is a new version, never an edit of an old one.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("A released report is never changed; release a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("A released report is never deleted.")
