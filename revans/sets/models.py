"""Action Learning Sets, their members, invitations and the contract they agree."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revans.sets import defaults

if TYPE_CHECKING:
    from revans.meetings.models import Meeting, Rsvp


class MeetingFormat(models.TextChoices):
    OPEN = "open", _("Open: members bid for the issue-holder slots")
    PLANNED = "planned", _("Planned: topic agreed in advance")
    COMBINED = "combined", _("Combined: part planned, part open")


class LearningSet(models.Model):
    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")

    class Cadence(models.TextChoices):
        MONTHLY = "monthly", _("Monthly (same weekday of the month)")
        EVERY_N_WEEKS = "weeks", _("Every few weeks")
        CUSTOM = "custom", _("Hand-picked dates")

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="sets"
    )
    name = models.CharField(_("name"), max_length=120)
    cohort = models.CharField(_("cohort"), max_length=120, blank=True)
    sponsor = models.ForeignKey(
        "organisations.Sponsor",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sets",
    )
    # In a self-managed set this is the member who currently holds the facilitator duties.
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilitated_sets",
    )
    self_managed = models.BooleanField(_("self-managed"), default=False)
    min_members = models.PositiveSmallIntegerField(
        default=defaults.RECOMMENDED_MIN_MEMBERS,
        validators=[
            MinValueValidator(defaults.ALLOWED_MIN_MEMBERS),
            MaxValueValidator(defaults.ALLOWED_MAX_MEMBERS),
        ],
    )
    max_members = models.PositiveSmallIntegerField(
        default=defaults.RECOMMENDED_MAX_MEMBERS,
        validators=[
            MinValueValidator(defaults.ALLOWED_MIN_MEMBERS),
            MaxValueValidator(defaults.ALLOWED_MAX_MEMBERS),
        ],
    )
    default_format = models.CharField(
        max_length=10, choices=MeetingFormat.choices, default=MeetingFormat.OPEN
    )
    time_zone = models.CharField(_("time zone"), max_length=64)
    location = models.CharField(_("location"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), max_length=500, blank=True)

    # The contract.
    meeting_count = models.PositiveSmallIntegerField(
        default=defaults.DEFAULT_MEETING_COUNT,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    cadence_weeks = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    duration_minutes = models.PositiveSmallIntegerField(
        default=defaults.DEFAULT_DURATION_MINUTES,
        validators=[MinValueValidator(30), MaxValueValidator(480)],
    )
    ground_rules = models.TextField(_("ground rules"), max_length=4000)
    confidentiality_agreement = models.TextField(_("confidentiality agreement"), max_length=4000)
    # Bumped whenever the agreement text changes, so members accept what it says now.
    agreement_version = models.PositiveIntegerField(default=1)

    # Between meetings: the facilitator's momentum call with each member (the calls app).
    momentum_calls = models.BooleanField(_("momentum calls"), default=True)
    # Where the call falls between two meetings, in per cent of the gap: 50 is the midpoint.
    momentum_call_percent = models.PositiveSmallIntegerField(
        _("when the momentum call falls"),
        default=defaults.DEFAULT_MOMENTUM_CALL_PERCENT,
        validators=[
            MinValueValidator(defaults.MIN_MOMENTUM_CALL_PERCENT),
            MaxValueValidator(defaults.MAX_MOMENTUM_CALL_PERCENT),
        ],
    )

    # The facilitator's report gives attendance per meeting only, unless the set agreed that the
    # sponsor may see who attended (then per person too).
    report_attendance_per_person = models.BooleanField(
        _("report attendance per person to the sponsor"), default=False
    )

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FORMING)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Not columns: what the home and organisation pages' read helpers (revans.home.queries,
    # revans.organisations.queries) set on the sets they return, and only there (annotations
    # for the type checker; reading one on any other set raises AttributeError).
    # The facilitator's card: current members, those who have not accepted the agreement as
    # it is now, the next meeting, and the replies for it.
    member_count: int
    not_accepted: list[SetMembership]
    next_meeting: Meeting | None
    apologies: list[Rsvp]
    reply_counts: dict[str, int]
    # Progress: meetings held, of those planned (the schedule, or the contract's number of
    # meetings before there is one).
    held_count: int
    planned: int
    # Whether the set's own page would let the reader in (the organisation's pages).
    can_open: bool

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_members__lte=models.F("max_members")),
                name="set_min_le_max",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class SetMembership(models.Model):
    """A member's time in a set. Removing a member ends the row; history stays."""

    learning_set = models.ForeignKey(
        LearningSet, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_memberships"
    )
    # The organisation the member works for: sets may mix members from several.
    employer = models.CharField(_("organisation they work for"), max_length=120, blank=True)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreement_accepted_at = models.DateTimeField(null=True, blank=True)
    agreement_version_accepted = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learning_set", "user"],
                condition=models.Q(left_at__isnull=True),
                name="one_current_membership",
            )
        ]

    @property
    def is_current(self) -> bool:
        return self.left_at is None

    def has_accepted(self, learning_set: LearningSet | None = None) -> bool:
        current = (learning_set or self.learning_set).agreement_version
        return self.agreement_accepted_at is not None and self.agreement_version_accepted == current


class Invitation(models.Model):
    """An invitation to join a set as a member. One pending row per set and address."""

    learning_set = models.ForeignKey(
        LearningSet, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    # Copied to the membership on acceptance (the organisation the invitee works for).
    employer = models.CharField(_("organisation they work for"), max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learning_set", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_address",
            )
        ]

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class FacilitatorChange(models.Model):
    """Who held the facilitator role (or duty) when: the history of hand-overs."""

    learning_set = models.ForeignKey(
        LearningSet, on_delete=models.CASCADE, related_name="facilitator_changes"
    )
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    new = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
