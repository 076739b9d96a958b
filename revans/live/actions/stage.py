"""Opening, moving through and ending the meeting; timers, pauses and who facilitates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Case, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.core.db import one_writer_at_a_time
from revans.core.mail import absolute_url
from revans.live import agenda, broadcast, refusals
from revans.live.actions.core import (
    Ctx,
    close_running_turn,
    inside,
    live_action,
    meeting_id_of,
    minutes_covering,
    seconds_between,
)
from revans.live.actions.turns import ensure_turns
from revans.live.models import (
    PAUSE_QUESTION_MAX_LENGTH,
    AgendaItem,
    LiveMeeting,
    TurnOrder,
)
from revans.live.refusals import MeetingRefused
from revans.live.round_times import template_of
from revans.live.summary import attendance_suggestion
from revans.meetings.actions import MeetingActionRefused, do_record_attendance
from revans.meetings.models import Meeting
from revans.meetings.rules import describe_day
from revans.notifications import kinds
from revans.notifications.outgoing import notify, opted_out
from revans.sets.models import SetMembership

MAX_EXTEND_MINUTES = 60


def do_open_meeting(meeting, actor) -> dict:
    """The facilitator opens the room on the meeting's day; opening twice changes nothing."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise refusals.not_available()
    meeting_id = meeting_id_of(meeting)
    with one_writer_at_a_time(), transaction.atomic():
        locked = (
            Meeting.objects.select_for_update(of=("self",))
            .select_related("learning_set")
            .filter(pk=meeting_id)
            .first()
        )
        if locked is None:
            raise refusals.not_available()
        learning_set = locked.learning_set
        is_member = inside(actor, meeting_id).role.is_member
        if learning_set.facilitator_id != actor.pk:
            raise refusals.wrong_person(_("Only the facilitator can open the meeting."))
        existing = LiveMeeting.objects.filter(meeting=locked).first()
        if existing is not None:
            return {"version": existing.version, "seq": existing.last_seq}
        if locked.is_cancelled:
            raise MeetingRefused("cancelled", _("This meeting was cancelled."))
        if learning_set.is_archived:
            raise MeetingRefused("archived", _("This set is archived."))
        zone = ZoneInfo(learning_set.time_zone)
        now = timezone.now()
        if now.astimezone(zone).date() != locked.starts_at.astimezone(zone).date():
            raise MeetingRefused(
                "not_today",
                _("You can open this meeting on its day, %(day)s.")
                % {"day": describe_day(locked.starts_at, learning_set.time_zone)},
            )
        shape = agenda.shape_for(locked.format, locked.issue_holder_id)
        live = LiveMeeting.objects.create(
            meeting=locked,
            opened_at=now,
            opened_by=actor,
            facilitation_holder_id=learning_set.facilitator_id,
            issue_holder_1_id=shape.agreed_holder_id,
        )
        AgendaItem.objects.bulk_create(
            AgendaItem(
                live_meeting=live,
                position=n,
                round=item.round,
                issue_slot=item.issue_slot,
                minutes=item.minutes,
            )
            for n, item in enumerate(
                agenda.default_plan(shape, locked.duration_minutes, template_of(learning_set.pk))
            )
        )
        live.meeting = locked
        ctx = Ctx(live=live, meeting=locked, actor=actor, is_member=is_member, now=now)
        ctx.emit("opened", {})
        ctx.emit_stage()
        ctx.emit_agenda()
        ctx.finish()
        return ctx.outcome()


def note_time_used(ctx: Ctx, entering: int | None = None) -> None:
    """Add the time spent in the current round since it was entered, pauses left out (resume
    moves stage_started_at on by the pause), to its agenda item, and mark the round being
    `entering` as reached: the issue holder's airtime counts the time the set gave them,
    not the minutes planned for rounds it cut short or never reached. One statement."""
    live = ctx.live
    leaving = None
    spent = 0
    if live.status == LiveMeeting.Status.RUNNING and live.stage_started_at is not None:
        leaving = live.stage_position
        until = live.paused_at if live.paused and live.paused_at else ctx.now
        spent = max(0, seconds_between(live.stage_started_at, until))
    positions = [p for p in (leaving, entering) if p is not None]
    if not positions:
        return
    AgendaItem.objects.filter(live_meeting=live, position__in=positions).update(
        seconds_used=Coalesce("seconds_used", 0)
        + Case(When(position=leaving, then=Value(spent)), default=Value(0))
    )


def enter(ctx: Ctx, position: int) -> None:
    """Make `position` the current stage, with a fresh advisory timer."""
    closed = close_running_turn(ctx)
    if closed is not None:
        ctx.emit_turns(closed)
    note_time_used(ctx, entering=position)
    item = ctx.items()[position]
    ctx.live.stage_position = position
    ctx.live.stage_started_at = ctx.now
    ctx.live.stage_deadline = ctx.now + dt.timedelta(minutes=item.minutes)
    ctx.bump()
    if item.is_turn_round:
        ensure_turns(ctx, item)
        ctx.emit_turns(item)
    ctx.emit_stage()


def _not_done_names(item: AgendaItem) -> list[dict]:
    rows = TurnOrder.objects.filter(agenda_item=item, done_at__isnull=True).select_related("user")
    return [{"id": r.user_id, "name": r.user.display_name} for r in rows.order_by("order")]


@live_action
def do_advance(ctx: Ctx, expected_version=None, confirm=False) -> dict:
    """Start the meeting, or move to the next round. Only the person facilitating moves it;
    members who have not finished their turn make it ask for confirmation first."""
    ctx.require_not_ended()
    ctx.require_facilitation()
    ctx.check_version(expected_version)
    if ctx.live.status == LiveMeeting.Status.NOT_STARTED:
        ctx.live.status = LiveMeeting.Status.RUNNING
        ctx.live.started_at = ctx.now
        enter(ctx, 0)
        return {}
    current = ctx.require_running()
    items = ctx.items()
    if current.position >= len(items) - 1:
        raise MeetingRefused(
            "last_round", _("This is the last round. End the meeting when the set is ready.")
        )
    if current.is_turn_round and not confirm:
        waiting = _not_done_names(current)
        if waiting:
            raise MeetingRefused(
                "needs_confirmation",
                _("Not everyone has marked their turn as done (%(names)s). Move on anyway?")
                % {"names": ", ".join(w["name"] for w in waiting)},
                not_done=waiting,
            )
    following = items[current.position + 1]
    if following.issue_slot and ctx.holder_id(following) is None:
        raise MeetingRefused(
            "no_issue_holder", _("Choose the issue holder before moving on to presenting.")
        )
    enter(ctx, current.position + 1)
    return {}


@live_action
def do_go_back(ctx: Ctx, expected_version=None) -> dict:
    ctx.require_facilitation()
    ctx.check_version(expected_version)
    current = ctx.require_running()
    if current.position == 0:
        raise MeetingRefused("first_round", _("This is the first round; there is no step back."))
    enter(ctx, current.position - 1)
    return {}


def _minutes(value, *, low: int, high: int, field: str = "minutes") -> int:
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        minutes = None
    if minutes is None or isinstance(value, bool) or not low <= minutes <= high:
        raise MeetingRefused(
            "bad_minutes",
            _("Please choose a whole number of minutes from %(low)d to %(high)d.")
            % {"low": low, "high": high},
            field=field,
        )
    return minutes


@live_action
def do_set_round_minutes(ctx: Ctx, position, minutes) -> dict:
    """Change a round's time, before the meeting or during it; a current round's timer
    follows. The answer says whether the agenda now runs over."""
    ctx.require_not_ended()
    ctx.require_facilitation()
    minutes = _minutes(minutes, low=agenda.MIN_ROUND_MINUTES, high=agenda.MAX_ROUND_MINUTES)
    item = next((i for i in ctx.items() if i.position == int(position)), None)
    if item is None:
        raise MeetingRefused("bad_position", _("There is no such round on the agenda."))
    running = ctx.live.status == LiveMeeting.Status.RUNNING
    if running and item.position < ctx.live.stage_position:
        raise MeetingRefused("round_over", _("That round is over; its time can no longer change."))
    delta = minutes - item.minutes
    item.minutes = minutes
    item.save(update_fields=["minutes"])
    if running and item.position == ctx.live.stage_position:
        if ctx.live.paused:
            ctx.live.remaining_seconds_at_pause = (ctx.live.remaining_seconds_at_pause or 0) + (
                delta * 60
            )
        elif ctx.live.stage_started_at is not None:
            ctx.live.stage_deadline = ctx.live.stage_started_at + dt.timedelta(minutes=minutes)
        ctx.emit_stage()
    ctx.emit_agenda()
    return {"balance": _balance(ctx)}


def _balance(ctx: Ctx) -> dict:
    return agenda.balance(sum(i.minutes for i in ctx.items()), ctx.meeting.duration_minutes)


@live_action
def do_extend_timer(ctx: Ctx, minutes) -> dict:
    """More time for the current round, counted from now if time was already up."""
    ctx.require_facilitation()
    current = ctx.require_running(allow_paused=True)
    minutes = _minutes(minutes, low=1, high=MAX_EXTEND_MINUTES)
    live = ctx.live
    if live.paused:
        live.remaining_seconds_at_pause = (
            max(0, live.remaining_seconds_at_pause or 0) + minutes * 60
        )
        used = seconds_between(live.stage_started_at, live.paused_at)
        current.minutes = minutes_covering(used + live.remaining_seconds_at_pause)
    else:
        base = max(live.stage_deadline or ctx.now, ctx.now)
        live.stage_deadline = base + dt.timedelta(minutes=minutes)
        current.minutes = minutes_covering(
            seconds_between(live.stage_started_at, live.stage_deadline)
        )
    current.save(update_fields=["minutes"])
    ctx.emit_stage()
    ctx.emit_agenda()
    return {"balance": _balance(ctx)}


COACH_QUESTIONS = (
    "How are we doing as a group, on a scale of 1 to 10?",
    "What are we doing well?",
    "What could we do better?",
    "What question are you answering?",
    "Are we tapping all the knowledge in the room?",
)


def coach_questions() -> list[str]:
    return [_(q) for q in COACH_QUESTIONS]


@live_action
def do_pause(ctx: Ctx, question="") -> dict:
    """Ground rule 2: the coach stops the set to learn. Timers stop where they are."""
    if not (ctx.is_facilitator or ctx.holds_facilitation):
        raise refusals.wrong_person(
            _("Only the coach or the person facilitating can pause the set.")
        )
    ctx.require_running()
    text = refusals.clean_text(
        question,
        max_length=PAUSE_QUESTION_MAX_LENGTH,
        field="question",
        empty=_(
            "A pause for learning asks the set a question: write yours, or choose one of the "
            "coach's questions, then pause."
        ),
    )
    live = ctx.live
    live.remaining_seconds_at_pause = (
        seconds_between(ctx.now, live.stage_deadline) if live.stage_deadline else None
    )
    live.stage_deadline = None
    live.paused = True
    live.pause_question = text
    live.paused_at = ctx.now
    live.paused_by = ctx.actor
    ctx.bump()
    ctx.emit_stage()
    return {}


@live_action
def do_resume(ctx: Ctx) -> dict:
    """Carry on where the set was: the timer gets back exactly what was left."""
    if not (ctx.is_facilitator or ctx.holds_facilitation):
        raise refusals.wrong_person(_("Only the coach or the person facilitating can resume."))
    if ctx.live.status != LiveMeeting.Status.RUNNING:
        raise refusals.not_running()
    live = ctx.live
    if not live.paused:
        raise MeetingRefused("not_paused", _("The set is not paused."))
    assert live.paused_at is not None
    paused_for = ctx.now - live.paused_at
    if live.remaining_seconds_at_pause is not None:
        live.stage_deadline = ctx.now + dt.timedelta(seconds=live.remaining_seconds_at_pause)
    if live.stage_started_at:
        live.stage_started_at += paused_for
    running = list(
        TurnOrder.objects.filter(
            live_meeting=live, started_at__isnull=False, done_at__isnull=True
        ).select_related("agenda_item")
    )
    for turn in running:
        # Turn timers and spoken time leave the pause out.
        assert turn.started_at is not None
        turn.started_at += paused_for
        turn.save(update_fields=["started_at"])
    live.paused = False
    live.pause_question = ""
    live.paused_at = None
    live.paused_by = None
    live.remaining_seconds_at_pause = None
    ctx.bump()
    for turn in running:
        ctx.emit_turns(turn.agenda_item)
    ctx.emit_stage()
    return {}


@live_action
def do_hand_over_facilitation(ctx: Ctx, user_id) -> dict:
    """Pass the facilitation to someone else in the set; the coach can always take it back."""
    if not (ctx.holds_facilitation or ctx.is_facilitator):
        raise refusals.only_facilitation_holder()
    ctx.require_not_ended()
    target = int(user_id)
    inside = (
        target == ctx.meeting.learning_set.facilitator_id
        or SetMembership.objects.filter(
            learning_set_id=ctx.meeting.learning_set_id, user_id=target, left_at__isnull=True
        ).exists()
    )
    if not inside:
        raise MeetingRefused("bad_person", _("Choose someone in the set."))
    if target == ctx.live.facilitation_holder_id:
        raise MeetingRefused("unchanged", _("They are already facilitating."))
    ctx.live.facilitation_holder_id = target
    ctx.bump()
    ctx.emit_stage()
    return {}


@live_action
def do_end_meeting(ctx: Ctx, expected_version=None) -> dict:
    ctx.require_not_ended()
    ctx.require_facilitation()
    ctx.check_version(expected_version)
    if ctx.live.status == LiveMeeting.Status.NOT_STARTED:
        # Ending would record a meeting that never took place as held, with an attendance
        # and a summary emailed to every member.
        raise MeetingRefused(
            "not_started",
            _(
                "The meeting has not started, so there is nothing to end. If the set is not "
                "meeting now, close the room instead: nothing is recorded."
            ),
        )
    if ctx.live.status == LiveMeeting.Status.RUNNING:
        closed = close_running_turn(ctx)
        if closed is not None:
            ctx.emit_turns(closed)
        note_time_used(ctx)
    live = ctx.live
    live.status = LiveMeeting.Status.ENDED
    live.ended_at = ctx.now
    live.stage_deadline = None
    live.paused = False
    live.pause_question = ""
    live.paused_at = None
    live.remaining_seconds_at_pause = None
    ctx.bump()
    ctx.emit_stage()
    _record_attendance_from_presence(ctx)
    _queue_summary_emails(ctx)
    return {}


@live_action
def do_close_room(ctx: Ctx, expected_version=None) -> dict:
    """The facilitator opened the room but the set is not meeting now (not everyone could
    come, or not today): the room closes and the meeting is as if never opened, so it can
    be moved, cancelled or opened again. Nothing of a meeting that never started is kept:
    before it starts there is only who came in."""
    ctx.require_facilitation()
    ctx.check_version(expected_version)
    if ctx.live.status != LiveMeeting.Status.NOT_STARTED:
        raise MeetingRefused(
            "started", _("The meeting has started: end it instead of closing the room.")
        )
    LiveMeeting.objects.filter(pk=ctx.live.pk).delete()
    meeting_id = ctx.meeting.pk
    # Its events went with it, so the connections are told directly.
    transaction.on_commit(lambda: broadcast.room_closed(meeting_id))
    return {}


def _record_attendance_from_presence(ctx: Ctx) -> None:
    """Who joined becomes the attendance record, unless the facilitator has recorded it by
    hand; they can correct it on the meeting's page. A set that met early is recorded too
    (Meeting.phase follows the live meeting)."""
    if ctx.meeting.attendance_recorded_at is not None:
        return
    try:
        do_record_attendance(
            ctx.meeting, actor=ctx.actor, attended_user_ids=attendance_suggestion(ctx.live)
        )
    except MeetingActionRefused:
        pass


def _queue_summary_emails(ctx: Ctx) -> None:
    """Tell the members the summary is ready: a link and the set's name, nothing said inside."""
    learning_set = ctx.meeting.learning_set
    link = absolute_url(reverse("live:summary", args=[ctx.meeting.pk]))
    rows = SetMembership.objects.filter(
        learning_set=learning_set, left_at__isnull=True, user__is_active=True
    ).select_related("user")
    people = [row.user for row in rows]
    muted = opted_out(kinds.MEETING_SUMMARY, [user.pk for user in people])
    for user in people:
        if user.pk in muted:
            continue
        notify(
            user,
            kind=kinds.MEETING_SUMMARY,
            subject=_("The meeting summary is ready: %(set)s") % {"set": learning_set.name},
            lines=[
                # Its day, not "today's": a meeting can run past midnight.
                _("The summary of the meeting of %(set)s on %(day)s is ready for the set to read.")
                % {
                    "set": learning_set.name,
                    "day": describe_day(ctx.meeting.starts_at, learning_set.time_zone),
                },
                _("Read it here: %(link)s") % {"link": link},
            ],
            organisation=learning_set.organisation,
            skip_check=True,
        )
