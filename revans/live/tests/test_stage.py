import datetime as dt

import pytest
from django.utils import timezone

from revans.live import actions
from revans.live.models import LiveMeeting, MeetingEvent, TurnOrder
from revans.live.refusals import MeetingRefused
from revans.live.tests.helpers import advance, current_item, go_to_round, live_of, start, version
from revans.meetings.models import Meeting


def refused(fn, *args, **kwargs) -> MeetingRefused:
    with pytest.raises(MeetingRefused) as info:
        fn(*args, **kwargs)
    return info.value


# Opening -------------------------------------------------------------------------------------


def test_only_the_facilitator_opens_the_meeting(world, meeting, on_the_day, announced):
    assert refused(actions.do_open_meeting, meeting, world.member).code == "wrong_person"
    assert refused(actions.do_open_meeting, meeting, world.stranger).code == "not_found"
    assert not LiveMeeting.objects.exists()


def test_the_meeting_opens_on_its_day(world, meeting, time_machine, announced):
    time_machine.move_to(meeting.starts_at - dt.timedelta(days=1), tick=False)
    refusal = refused(actions.do_open_meeting, meeting, world.facilitator)
    assert refusal.code == "not_today"
    assert refusal.message.startswith("You can open this meeting on its day, ")
    time_machine.move_to(meeting.starts_at - dt.timedelta(hours=16), tick=False)
    actions.do_open_meeting(meeting, world.facilitator)
    assert live_of(meeting).status == LiveMeeting.Status.NOT_STARTED


def test_the_day_is_the_sets_day_not_utcs(world, meeting, time_machine, announced):
    # Auckland is 12-13 hours ahead: the meeting (evening UTC) falls on the next local day.
    world.set_a.time_zone = "Pacific/Auckland"
    world.set_a.save()
    starts = meeting.starts_at.astimezone(dt.UTC)
    time_machine.move_to(starts.replace(hour=8, minute=0), tick=False)
    assert refused(actions.do_open_meeting, meeting, world.facilitator).code == "not_today"
    time_machine.move_to(starts.replace(hour=13, minute=30), tick=False)
    actions.do_open_meeting(meeting, world.facilitator)
    assert LiveMeeting.objects.filter(meeting=meeting).exists()


def test_a_cancelled_meeting_cannot_be_opened(world, meeting, on_the_day, announced):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    assert refused(actions.do_open_meeting, meeting, world.facilitator).code == "cancelled"


def test_opening_twice_changes_nothing(world, opened):
    before = live_of(opened)
    again = actions.do_open_meeting(opened, world.facilitator)
    assert again == {"version": before.version, "seq": before.last_seq}
    assert LiveMeeting.objects.count() == 1


def test_actions_before_opening_are_refused_kindly(world, meeting, on_the_day):
    refusal = refused(actions.do_join, meeting, world.member)
    assert refusal.code == "not_open"
    assert refusal.message == "The facilitator has not opened this meeting yet."


# Moving on -----------------------------------------------------------------------------------


def test_advance_starts_the_meeting_with_a_deadline(world, opened, on_the_day):
    start(opened, world.facilitator)
    live = live_of(opened)
    now = timezone.now()
    assert live.status == LiveMeeting.Status.RUNNING
    assert live.started_at == now
    assert live.stage_position == 0
    assert live.stage_deadline == now + dt.timedelta(minutes=10)
    # Check-in is a turn round: every member has a turn waiting.
    assert TurnOrder.objects.filter(live_meeting=live, round=1).count() == 4


def test_only_the_facilitation_holder_moves_the_meeting(world, opened):
    refusal = refused(actions.do_advance, opened, world.member, expected_version=version(opened))
    assert refusal.code == "wrong_person"
    assert refusal.message == "Only the person facilitating can do this."


def test_same_version_twice_moves_once(world, opened):
    start(opened, world.facilitator)
    seen = version(opened)
    actions.do_advance(opened, world.facilitator, expected_version=seen, confirm=True)
    refusal = refused(actions.do_advance, opened, world.facilitator, expected_version=seen)
    assert refusal.code == "stale"
    assert current_item(opened).position == 1


def test_moving_on_while_turns_are_unfinished_asks_first(world, opened):
    start(opened, world.facilitator)
    actions.do_mark_turn_done(opened, world.members[0])
    refusal = refused(
        actions.do_advance, opened, world.facilitator, expected_version=version(opened)
    )
    assert refusal.code == "needs_confirmation"
    assert [p["name"] for p in refusal.details["not_done"]] == ["Member 2", "Member 3", "Member 4"]
    assert "Member 2, Member 3, Member 4" in refusal.message
    assert current_item(opened).position == 0
    advance(opened, world.facilitator, confirm=True)
    assert current_item(opened).position == 1


def test_no_confirmation_needed_once_everyone_is_done(world, opened):
    start(opened, world.facilitator)
    for member in world.members:
        actions.do_mark_turn_done(opened, member)
    advance(opened, world.facilitator, confirm=False)
    assert current_item(opened).round == 2


def test_presenting_needs_an_issue_holder(world, opened):
    go_to_round(opened, world.facilitator, 3)
    refusal = refused(
        actions.do_advance, opened, world.facilitator, expected_version=version(opened)
    )
    assert refusal.code == "no_issue_holder"


def test_go_back_one_step(world, opened):
    go_to_round(opened, world.facilitator, 2)
    actions.do_go_back(opened, world.facilitator, expected_version=version(opened))
    assert current_item(opened).round == 1
    refusal = refused(
        actions.do_go_back, opened, world.facilitator, expected_version=version(opened)
    )
    assert refusal.code == "first_round"


def test_the_last_round_ends_explicitly(world, opened):
    go_to_round(opened, world.facilitator, 8, holders=[world.members[1]])
    refusal = refused(
        actions.do_advance, opened, world.facilitator, expected_version=version(opened)
    )
    assert refusal.code == "last_round"
    actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    live = live_of(opened)
    assert live.status == LiveMeeting.Status.ENDED and live.ended_at and live.stage_deadline is None
    assert refused(actions.do_private_note, opened, world.member, text="late").code == "ended"
    assert (
        refused(actions.do_advance, opened, world.facilitator, expected_version=live.version).code
        == "ended"
    )


def test_a_missing_expected_version_is_refused(world, opened):
    assert refused(actions.do_advance, opened, world.facilitator).code == "bad_message"


# Timers --------------------------------------------------------------------------------------


def test_changing_the_current_rounds_time_moves_its_deadline(world, opened):
    start(opened, world.facilitator)
    live = live_of(opened)
    actions.do_set_round_minutes(opened, world.facilitator, position=0, minutes=15)
    assert live_of(opened).stage_deadline == live.stage_started_at + dt.timedelta(minutes=15)


def test_extend_adds_to_the_deadline_or_counts_from_now_when_time_is_up(world, opened, on_the_day):
    start(opened, world.facilitator)
    before = live_of(opened).stage_deadline
    actions.do_extend_timer(opened, world.facilitator, minutes=2)
    assert live_of(opened).stage_deadline == before + dt.timedelta(minutes=2)
    assert current_item(opened).minutes == 12
    on_the_day.shift(dt.timedelta(minutes=20))
    out = actions.do_extend_timer(opened, world.facilitator, minutes=3)
    assert live_of(opened).stage_deadline == timezone.now() + dt.timedelta(minutes=3)
    assert current_item(opened).minutes == 23
    assert out["balance"]["over_by"] == 13
    assert refused(actions.do_extend_timer, opened, world.member, minutes=3).code == "wrong_person"
    assert refused(actions.do_extend_timer, opened, world.facilitator, minutes=0).code == (
        "bad_minutes"
    )


def test_pause_stops_the_timer_and_resume_restores_what_was_left(world, opened, on_the_day):
    start(opened, world.facilitator)
    on_the_day.shift(dt.timedelta(minutes=3))
    actions.do_pause(opened, world.facilitator, question="What question are you answering?")
    live = live_of(opened)
    assert live.paused and live.stage_deadline is None
    assert live.remaining_seconds_at_pause == 7 * 60
    assert live.pause_question == "What question are you answering?"
    on_the_day.shift(dt.timedelta(minutes=6))
    actions.do_resume(opened, world.facilitator)
    live = live_of(opened)
    assert not live.paused and live.pause_question == ""
    assert live.stage_deadline == timezone.now() + dt.timedelta(minutes=7)


def test_pause_after_time_is_up_keeps_times_up(world, opened, on_the_day):
    start(opened, world.facilitator)
    on_the_day.shift(dt.timedelta(minutes=11))
    actions.do_pause(opened, world.facilitator, question="How are we doing?")
    assert live_of(opened).remaining_seconds_at_pause == -60
    actions.do_resume(opened, world.facilitator)
    assert live_of(opened).stage_deadline < timezone.now()


def test_while_paused_the_meeting_does_not_move(world, opened):
    start(opened, world.facilitator)
    actions.do_pause(opened, world.facilitator, question="What are we doing well?")
    refusal = refused(
        actions.do_advance, opened, world.facilitator, expected_version=version(opened)
    )
    assert refusal.code == "paused"
    assert "paused for learning" in refusal.message
    # Private notes are always allowed.
    actions.do_private_note(opened, world.member, text="Remember this")
    assert refused(actions.do_pause, opened, world.facilitator, question="Again?").code == "paused"


def test_only_the_coach_or_facilitation_holder_pauses_and_needs_a_question(world, opened):
    start(opened, world.facilitator)
    assert refused(actions.do_pause, opened, world.member, question="Why?").code == "wrong_person"
    empty = refused(actions.do_pause, opened, world.facilitator, question=" ")
    assert empty.code == "empty"
    # The box alone does not say a pause needs a question: the refusal does.
    assert "asks the set a question" in empty.message
    assert empty.details == {"field": "question"}
    assert refused(actions.do_resume, opened, world.facilitator).code == "not_paused"


def test_hand_over_facilitation(world, opened):
    start(opened, world.facilitator)
    duty = world.members[3]
    actions.do_hand_over_facilitation(opened, world.facilitator, user_id=duty.pk)
    assert live_of(opened).facilitation_holder_id == duty.pk
    assert refused(actions.do_advance, opened, world.facilitator, expected_version=version(opened))
    advance(opened, duty)
    assert current_item(opened).round == 2
    # The coach can take it back; nobody outside the set can receive it.
    assert (
        refused(actions.do_hand_over_facilitation, opened, duty, user_id=world.other_member.pk).code
        == "bad_person"
    )
    actions.do_hand_over_facilitation(opened, world.facilitator, user_id=world.facilitator.pk)
    assert live_of(opened).facilitation_holder_id == world.facilitator.pk
    assert (
        refused(actions.do_hand_over_facilitation, opened, duty, user_id=duty.pk).code
        == "wrong_person"
    )


def test_a_refused_action_leaves_no_trace(world, opened):
    before = (live_of(opened).version, MeetingEvent.objects.count())
    refused(actions.do_advance, opened, world.member, expected_version=version(opened))
    assert (live_of(opened).version, MeetingEvent.objects.count()) == before


def test_time_given_during_a_pause_is_there_after_it(world, opened, on_the_day):
    start(opened, world.facilitator)
    on_the_day.shift(dt.timedelta(minutes=4))
    actions.do_pause(opened, world.facilitator, question="What are we doing well?")
    actions.do_extend_timer(opened, world.facilitator, minutes=2)
    actions.do_set_round_minutes(opened, world.facilitator, position=0, minutes=13)
    assert live_of(opened).remaining_seconds_at_pause == (6 + 2 + 1) * 60
    on_the_day.shift(dt.timedelta(minutes=10))
    actions.do_resume(opened, world.facilitator)
    assert live_of(opened).stage_deadline == timezone.now() + dt.timedelta(minutes=9)
