import pytest

from revans.live import actions, agenda
from revans.live.models import AgendaItem, LiveMeeting
from revans.live.refusals import MeetingRefused
from revans.live.snapshot import snapshot_for
from revans.live.tests.helpers import go_to_round, live_of
from revans.sets.models import MeetingFormat


def minutes(plan):
    return [(i.round, i.issue_slot, i.minutes) for i in plan]


def test_ninety_minutes_one_issue_holder_follows_the_method_table():
    plan = agenda.default_plan(agenda.shape_for(MeetingFormat.OPEN, None), 90)
    assert [i.minutes for i in plan] == [10, 10, 5, 8, 35, 10, 5, 7]
    assert [i.round for i in plan] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert sum(i.minutes for i in plan) == 90


def test_two_issue_holders_run_rounds_four_to_seven_twice_with_shorter_times():
    plan = agenda.default_plan(agenda.shape_for(MeetingFormat.COMBINED, None), 90)
    assert [(i.round, i.issue_slot) for i in plan] == [
        (1, 0), (2, 0), (3, 0),
        (4, 1), (5, 1), (6, 1), (7, 1),
        (4, 2), (5, 2), (6, 2), (7, 2),
        (8, 0),
    ]  # fmt: skip
    assert sum(i.minutes for i in plan) == 90
    one = agenda.default_plan(agenda.shape_for(MeetingFormat.OPEN, None), 90)
    questioning_one = next(i.minutes for i in one if i.round == 5)
    assert all(i.minutes < questioning_one for i in plan if i.round == 5)


@pytest.mark.parametrize("duration", [30, 45, 60, 75, 120, 180, 240, 480])
@pytest.mark.parametrize("meeting_format", list(MeetingFormat.values))
def test_default_times_fill_any_duration_exactly(duration, meeting_format):
    plan = agenda.default_plan(agenda.shape_for(meeting_format, 7), duration)
    assert sum(i.minutes for i in plan) == duration
    assert all(i.minutes >= 1 for i in plan)


def test_scaled_times_keep_the_proportions():
    plan = agenda.default_plan(agenda.shape_for(MeetingFormat.OPEN, None), 180)
    assert [i.minutes for i in plan] == [20, 20, 10, 16, 70, 20, 10, 14]
    plan = agenda.default_plan(agenda.shape_for(MeetingFormat.OPEN, None), 60)
    assert [i.minutes for i in plan] == [7, 7, 3, 5, 23, 7, 3, 5]


def test_planned_meeting_with_agreed_issue_holder_skips_bidding():
    shape = agenda.shape_for(MeetingFormat.PLANNED, 42)
    assert shape.with_bidding is False and shape.agreed_holder_id == 42
    plan = agenda.default_plan(shape, 90)
    assert [i.round for i in plan] == [1, 2, 4, 5, 6, 7, 8]
    # Bidding's five minutes go to questioning.
    assert next(i.minutes for i in plan if i.round == 5) == 40
    assert sum(i.minutes for i in plan) == 90


def test_planned_meeting_without_agreed_issue_holder_still_bids():
    shape = agenda.shape_for(MeetingFormat.PLANNED, None)
    assert shape.with_bidding and shape.holders == 1


def test_combined_meeting_bids_only_for_the_open_slot():
    shape = agenda.shape_for(MeetingFormat.COMBINED, 42)
    assert shape.with_bidding and shape.holders == 2 and shape.agreed_holder_id == 42


def test_balance_says_how_far_the_agenda_runs_over():
    assert agenda.balance(97, 90)["over_by"] == 7
    assert agenda.balance(97, 90)["message"] == "The agenda runs over by 7 minutes."
    assert agenda.balance(91, 90)["message"] == "The agenda runs over by 1 minute."
    assert agenda.balance(85, 90)["spare"] == 5
    assert agenda.balance(85, 90)["message"] == "The agenda leaves 5 minutes spare."
    assert agenda.balance(90, 90)["message"] == "The agenda fills the meeting exactly."


def test_opening_builds_the_agenda_from_the_meeting(world, meeting, on_the_day, announced):
    actions.do_open_meeting(meeting, world.facilitator)
    live = live_of(meeting)
    assert live.status == LiveMeeting.Status.NOT_STARTED
    assert [i.minutes for i in AgendaItem.objects.filter(live_meeting=live)] == [
        10, 10, 5, 8, 35, 10, 5, 7
    ]  # fmt: skip
    assert live.facilitation_holder_id == world.facilitator.pk


def test_opening_a_planned_meeting_seats_the_agreed_issue_holder(
    world, meeting, on_the_day, announced
):
    meeting.format = MeetingFormat.PLANNED
    meeting.issue_holder = world.members[2]
    meeting.save()
    actions.do_open_meeting(meeting, world.facilitator)
    live = live_of(meeting)
    assert live.issue_holder_1_id == world.members[2].pk
    assert 3 not in [i.round for i in AgendaItem.objects.filter(live_meeting=live)]


def test_the_room_knows_the_topic_agreed_in_advance(world, meeting, on_the_day, announced):
    """With no bid to name it, the agreed topic is what the room shows as the issue."""
    meeting.format = MeetingFormat.PLANNED
    meeting.issue_holder = world.members[2]
    meeting.topic = "Handing over the night shift"
    meeting.save()
    actions.do_open_meeting(meeting, world.facilitator)
    snap = snapshot_for(world.members[0], live_of(meeting))
    assert snap["topic"] == "Handing over the night shift"
    assert snap["stage"]["issue_holder_ids"]["1"] == world.members[2].pk


def test_facilitator_changes_a_round_and_sees_the_overrun(world, opened):
    out = actions.do_set_round_minutes(opened, world.facilitator, position=4, minutes=45)
    assert out["balance"]["over_by"] == 10
    assert "runs over by 10 minutes" in out["balance"]["message"]
    assert AgendaItem.objects.get(live_meeting=live_of(opened), position=4).minutes == 45


def test_round_minutes_must_be_sensible_and_only_from_the_facilitator(world, opened):
    for bad in (0, 241, "ten", True):
        with pytest.raises(MeetingRefused) as refused:
            actions.do_set_round_minutes(opened, world.facilitator, position=4, minutes=bad)
        assert refused.value.code == "bad_minutes"
    with pytest.raises(MeetingRefused) as refused:
        actions.do_set_round_minutes(opened, world.facilitator, position=40, minutes=5)
    assert refused.value.code == "bad_position"
    with pytest.raises(MeetingRefused) as refused:
        actions.do_set_round_minutes(opened, world.member, position=4, minutes=5)
    assert refused.value.code == "wrong_person"


def test_a_past_round_keeps_its_time(world, opened):
    go_to_round(opened, world.facilitator, 2)
    with pytest.raises(MeetingRefused) as refused:
        actions.do_set_round_minutes(opened, world.facilitator, position=0, minutes=3)
    assert refused.value.code == "round_over"


def test_choosing_two_issue_holders_replans_the_rest_of_the_meeting(world, opened):
    go_to_round(opened, world.facilitator, 3)
    live = live_of(opened)
    actions.do_choose_issue_holders(
        opened,
        world.facilitator,
        user_ids=[world.members[1].pk, world.members[2].pk],
        expected_version=live.version,
    )
    items = list(AgendaItem.objects.filter(live_meeting=live))
    assert [(i.round, i.issue_slot) for i in items][3:] == [
        (4, 1), (5, 1), (6, 1), (7, 1), (4, 2), (5, 2), (6, 2), (7, 2), (8, 0)
    ]  # fmt: skip
    assert sum(i.minutes for i in items) == 90
    assert [i.position for i in items] == list(range(12))
