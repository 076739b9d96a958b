import datetime as dt

import pytest

from revans.live import actions
from revans.live.models import TurnOrder
from revans.live.refusals import MeetingRefused
from revans.live.tests.helpers import current_item, go_to_round, live_of, start, version
from revans.meetings.models import Rsvp


def order(meeting, position=None):
    item = current_item(meeting) if position is None else None
    rows = TurnOrder.objects.filter(live_meeting=live_of(meeting))
    rows = rows.filter(agenda_item=item) if item else rows.filter(agenda_item__position=position)
    return list(rows.order_by("order").values_list("user_id", flat=True))


def test_turns_are_in_membership_order_at_first(world, opened):
    """Also a room with one shared screen, where no member has a device open."""
    start(opened, world.facilitator)
    assert order(opened) == [m.pk for m in world.members]


def test_those_here_take_their_turns_before_those_not_here_and_apologies_come_last(world, opened):
    """Start the next turn reaches the people in the room first; no one loses a turn."""
    first, second, third, fourth = world.members
    Rsvp.objects.create(meeting=opened, user=first, response=Rsvp.Response.APOLOGIES)
    actions.do_join(opened, third)
    actions.do_join(opened, fourth)
    start(opened, world.facilitator)
    assert order(opened) == [third.pk, fourth.pk, second.pk, first.pk]


def test_reorder_before_the_round_starts(world, opened):
    wanted = [world.members[i].pk for i in (3, 1, 0, 2)]
    actions.do_reorder_turns(opened, world.facilitator, user_ids=wanted, position=0)
    assert order(opened, position=0) == wanted
    start(opened, world.facilitator)
    assert order(opened) == wanted


def test_reorder_skips_left_out_members_and_refuses_strangers(world, opened):
    start(opened, world.facilitator)
    actions.do_reorder_turns(opened, world.facilitator, user_ids=[world.members[2].pk])
    assert order(opened) == [world.members[2].pk]
    with pytest.raises(MeetingRefused) as refused:
        actions.do_reorder_turns(opened, world.facilitator, user_ids=[world.other_member.pk])
    assert refused.value.code == "bad_order"
    with pytest.raises(MeetingRefused) as refused:
        actions.do_reorder_turns(
            opened, world.facilitator, user_ids=[world.member.pk, world.member.pk]
        )
    assert refused.value.code == "bad_order"
    with pytest.raises(MeetingRefused) as refused:
        actions.do_reorder_turns(opened, world.member, user_ids=[world.member.pk])
    assert refused.value.code == "wrong_person"


def test_shuffle_keeps_everyone_and_finished_turns_first(world, opened):
    start(opened, world.facilitator)
    actions.do_start_next_turn(opened, world.facilitator, expected_version=version(opened))
    first = order(opened)[0]
    for _ in range(5):
        actions.do_shuffle_turns(opened, world.facilitator)
        assert order(opened)[0] == first
        assert sorted(order(opened)) == sorted(m.pk for m in world.members)


def test_turns_only_in_turn_rounds(world, opened):
    go_to_round(opened, world.facilitator, 3)
    with pytest.raises(MeetingRefused) as refused:
        actions.do_shuffle_turns(opened, world.facilitator)
    assert refused.value.code == "wrong_round"
    with pytest.raises(MeetingRefused) as refused:
        actions.do_start_next_turn(opened, world.facilitator, expected_version=version(opened))
    assert refused.value.code == "wrong_round"


def test_next_turn_closes_the_running_one_and_counts_spoken_time(world, opened, on_the_day):
    start(opened, world.facilitator)
    actions.do_start_next_turn(opened, world.facilitator, expected_version=version(opened))
    on_the_day.shift(dt.timedelta(seconds=90))
    actions.do_start_next_turn(opened, world.facilitator, expected_version=version(opened))
    first, second = TurnOrder.objects.filter(agenda_item=current_item(opened)).order_by("order")[:2]
    assert first.spoken_seconds == 90 and first.done_at is not None
    assert second.started_at is not None and second.done_at is None


def test_two_next_turn_presses_from_one_view_start_one_turn(world, opened):
    start(opened, world.facilitator)
    seen = version(opened)
    actions.do_start_next_turn(opened, world.facilitator, expected_version=seen)
    with pytest.raises(MeetingRefused) as refused:
        actions.do_start_next_turn(opened, world.facilitator, expected_version=seen)
    assert refused.value.code == "stale"
    assert TurnOrder.objects.filter(started_at__isnull=False).count() == 1


def test_after_the_last_turn_next_says_so(world, opened):
    start(opened, world.facilitator)
    for _ in world.members:
        actions.do_start_next_turn(opened, world.facilitator, expected_version=version(opened))
    out = actions.do_start_next_turn(opened, world.facilitator, expected_version=version(opened))
    assert out["no_more_turns"] is True
    assert not TurnOrder.objects.filter(agenda_item=current_item(opened), done_at=None).exists()


def test_a_member_marks_their_own_turn_done_and_may_pass(world, opened, on_the_day):
    start(opened, world.facilitator)
    actions.do_start_next_turn(opened, world.facilitator, expected_version=version(opened))
    on_the_day.shift(dt.timedelta(seconds=40))
    actions.do_mark_turn_done(opened, world.members[0])
    actions.do_mark_turn_done(opened, world.members[3])  # passes before their turn
    rows = {r.user_id: r for r in TurnOrder.objects.filter(agenda_item=current_item(opened))}
    assert rows[world.members[0].pk].spoken_seconds == 40
    assert rows[world.members[3].pk].spoken_seconds == 0 and rows[world.members[3].pk].done_at
    with pytest.raises(MeetingRefused) as refused:
        actions.do_mark_turn_done(opened, world.members[0])
    assert refused.value.code == "already_done"


def test_only_the_facilitator_marks_someone_elses_turn(world, opened):
    start(opened, world.facilitator)
    with pytest.raises(MeetingRefused) as refused:
        actions.do_mark_turn_done(opened, world.members[0], user_id=world.members[1].pk)
    assert refused.value.code == "wrong_person"
    actions.do_mark_turn_done(opened, world.facilitator, user_id=world.members[1].pk)
    with pytest.raises(MeetingRefused) as refused:
        actions.do_mark_turn_done(opened, world.facilitator)
    assert refused.value.code == "wrong_person"  # the facilitator has no turn


def test_paused_time_is_not_spoken_time(world, opened, on_the_day):
    start(opened, world.facilitator)
    actions.do_start_next_turn(opened, world.facilitator, expected_version=version(opened))
    on_the_day.shift(dt.timedelta(seconds=30))
    actions.do_pause(opened, world.facilitator, question="How are we doing, 1 to 10?")
    on_the_day.shift(dt.timedelta(minutes=5))
    actions.do_resume(opened, world.facilitator)
    on_the_day.shift(dt.timedelta(seconds=20))
    actions.do_mark_turn_done(opened, world.members[0])
    turn = TurnOrder.objects.get(agenda_item=current_item(opened), user=world.members[0])
    assert turn.spoken_seconds == 50


def test_feedback_round_turns_leave_out_the_issue_holder(world, opened):
    holder = world.members[1]
    go_to_round(opened, world.facilitator, 6, holders=[holder])
    assert holder.pk not in order(opened)
    assert len(order(opened)) == 3
