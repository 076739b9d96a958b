"""The live meeting: its stage, agenda, turns, bids, contributions and the numbered event log.

The LiveMeeting row is the one authority for a meeting in progress: every change locks it,
writes, and appends MeetingEvent rows numbered from `last_seq`. Clients never hold state the
server does not have; they replay events after the last `seq` they saw.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TURN_ROUNDS = (1, 2, 6)
ROUND_NAMES = {
    1: _("Check-in"),
    2: _("Reflection: actions and learning since last meeting"),
    3: _("Bidding"),
    4: _("Presenting"),
    5: _("Questioning"),
    6: _("Feedback and reflection"),
    7: _("Issue holder's actions"),
    8: _("Process review"),
}
TEXT_MAX_LENGTH = 1000
BID_TITLE_MAX_LENGTH = 120
BID_DETAIL_MAX_LENGTH = 300
PAUSE_QUESTION_MAX_LENGTH = 300
REVIEW_TEXT_MAX_LENGTH = 500


class LiveMeeting(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Open, not started")
        RUNNING = "running", _("Running")
        ENDED = "ended", _("Ended")

    meeting = models.OneToOneField(
        "meetings.Meeting", on_delete=models.CASCADE, related_name="live"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    paused = models.BooleanField(default=False)
    pause_question = models.CharField(max_length=PAUSE_QUESTION_MAX_LENGTH, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Index into the agenda (AgendaItem.position).
    stage_position = models.PositiveSmallIntegerField(default=0)
    # Bumped when what "next" would do changes (stage, status, pause, turn, issue holders,
    # facilitation holder). Clients send it back as expected_version so that two "next" presses
    # made from the same view move the meeting once. Every other change is counted by last_seq.
    version = models.PositiveIntegerField(default=1)
    last_seq = models.PositiveIntegerField(default=0)
    # Advisory timer: clients count down to it; null while paused or before the start.
    stage_started_at = models.DateTimeField(null=True, blank=True)
    stage_deadline = models.DateTimeField(null=True, blank=True)
    # Negative when the pause came after time was up, so "time's up" survives the pause.
    remaining_seconds_at_pause = models.IntegerField(null=True, blank=True)
    facilitation_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Chosen at bidding (or agreed in advance for planned meetings): slot 1 and slot 2.
    issue_holder_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issue_holder_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    def holder_id_for(self, slot: int) -> int | None:
        return {1: self.issue_holder_1_id, 2: self.issue_holder_2_id}.get(slot)


class AgendaItem(models.Model):
    live_meeting = models.ForeignKey(LiveMeeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField()
    round = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    # 0 for rounds about the whole set; 1 or 2 for rounds 4-7 of that issue holder.
    issue_slot = models.PositiveSmallIntegerField(default=0)
    minutes = models.PositiveSmallIntegerField()
    # The time the set spent in this round, pauses left out: 0 once the meeting enters it,
    # added to each time it leaves (it may come back). Null for a round never reached.
    seconds_used = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["live_meeting", "position"], name="one_item_per_position"
            )
        ]

    @property
    def is_turn_round(self) -> bool:
        return self.round in TURN_ROUNDS


class TurnOrder(models.Model):
    """One member's turn in a turn-taking round (1, 2 and 6). Keyed by agenda item because
    round 6 runs once per issue holder."""

    live_meeting = models.ForeignKey(LiveMeeting, on_delete=models.CASCADE, related_name="turns")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="turns")
    round = models.PositiveSmallIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    spoken_seconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["agenda_item_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "user"], name="one_turn_per_item")
        ]


class Bid(models.Model):
    live_meeting = models.ForeignKey(LiveMeeting, on_delete=models.CASCADE, related_name="bids")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=BID_TITLE_MAX_LENGTH)
    detail = models.CharField(max_length=BID_DETAIL_MAX_LENGTH, blank=True)
    urgency = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    importance = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    minutes_wanted = models.PositiveSmallIntegerField()
    chosen_slot = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["live_meeting", "user"], name="one_bid")]


class Contribution(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        ANSWER = "answer", _("Answer")
        PRIVATE_NOTE = "private_note", _("Private note")
        LEARNING = "learning", _("Learning")
        FEEDBACK = "feedback", _("Feedback")
        ACTION = "action", _("Action")

    class Visibility(models.TextChoices):
        AUTHOR = "author", _("Only the author")
        SET = "set", _("The set")

    class QuestionState(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        LATER = "later", _("To think about later")

    live_meeting = models.ForeignKey(
        LiveMeeting, on_delete=models.CASCADE, related_name="contributions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Explicit, and what every query filters on: private notes are the author's alone.
    visibility = models.CharField(max_length=6, choices=Visibility.choices)
    text = models.CharField(max_length=TEXT_MAX_LENGTH)
    addressed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    state = models.CharField(max_length=8, choices=QuestionState.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["live_meeting", "kind"])]


class Presence(models.Model):
    """Someone who joined the meeting (what the attendance record is built from). `connected`
    is true while any of their connections (tabs, devices) is open: it is kept equal to
    "they have a LiveConnection row" by the presence actions, under the meeting's lock."""

    live_meeting = models.ForeignKey(LiveMeeting, on_delete=models.CASCADE, related_name="presence")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    connected = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["live_meeting", "user"], name="one_presence")
        ]


class LiveServer(models.Model):
    """A server process that holds live connections. It beats (heartbeat_at) while it runs;
    one that stops beating, or whose process is gone from its host, is dead, and the
    connections it held are dropped (revans.live.actions.presence), so a crash cannot keep
    anyone "here" for ever."""

    # New for every process start, so a restarted process never passes for the one before.
    boot_id = models.CharField(max_length=32, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(default=timezone.now)


class LiveConnection(models.Model):
    """One open socket (a tab, a phone) of someone in the meeting, owned by the server
    process that holds it. Its key never leaves the server."""

    live_meeting = models.ForeignKey(
        LiveMeeting, on_delete=models.CASCADE, related_name="connections"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    server = models.ForeignKey(LiveServer, on_delete=models.CASCADE, related_name="connections")
    key = models.CharField(max_length=32, unique=True)
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["live_meeting", "user"])]


class ProcessRating(models.Model):
    live_meeting = models.ForeignKey(LiveMeeting, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    went_well = models.CharField(max_length=REVIEW_TEXT_MAX_LENGTH, blank=True)
    do_differently = models.CharField(max_length=REVIEW_TEXT_MAX_LENGTH, blank=True)
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["live_meeting", "user"], name="one_rating")]


class CommitmentReview(models.Model):
    """Round 2: how a member's actions since the last meeting went, as a whole, plus a line of
    learning. The verdict on each of their commitments is written onto that commitment's
    history (commitments.ProgressNote, one per commitment and meeting); when a member reviews
    commitment by commitment, this row follows from those (people.overall_review).
    """

    class Outcome(models.TextChoices):
        DONE = "done", _("Done")
        PARTLY = "partly", _("Partly done")
        NOT_DONE = "not_done", _("Not done")

    live_meeting = models.ForeignKey(
        LiveMeeting, on_delete=models.CASCADE, related_name="commitment_reviews"
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    learning = models.CharField(max_length=REVIEW_TEXT_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["live_meeting", "member"], name="one_review")
        ]


class MeetingEvent(models.Model):
    """The numbered log clients replay. Payloads are idempotent state (replace or upsert by
    id), never increments, so applying an event twice or after a snapshot is harmless."""

    live_meeting = models.ForeignKey(LiveMeeting, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Null: the whole set. Otherwise only this person may read the event (private notes).
    audience_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["seq"]
        constraints = [
            models.UniqueConstraint(fields=["live_meeting", "seq"], name="one_event_per_seq")
        ]


class RoundTime(models.Model):
    """The set's own length for a round: the template every live agenda of the set starts
    from, for a meeting of the set's length with one issue holder (revans.live.agenda scales
    it to each meeting). A round without a row keeps METHOD.md's time."""

    learning_set = models.ForeignKey(
        "sets.LearningSet", on_delete=models.CASCADE, related_name="round_times"
    )
    round = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    minutes = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learning_set", "round"], name="one_time_per_round")
        ]
