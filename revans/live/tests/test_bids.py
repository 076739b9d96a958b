import pytest

from revans.live import actions
from revans.live.airtime import suggested_order
from revans.live.models import Bid, LiveMeeting, TurnOrder
from revans.live.refusals import MeetingRefused
from revans.live.snapshot import snapshot_for
from revans.live.tests.helpers import go_to_round, live_of, version
from revans.sets.models import MeetingFormat

BID = {"title": "Restructure", "detail": "Two teams merging", "urgency": 4, "importance": 5}


def bid(meeting, user, **extra):
    return actions.do_submit_bid(meeting, user, minutes_wanted=30, **{**BID, **extra})


def test_members_bid_in_the_bidding_round_and_can_replace_or_withdraw(world, opened):
    go_to_round(opened, world.facilitator, 3)
    bid(opened, world.member)
    bid(opened, world.member, title="Budget cut")
    assert list(Bid.objects.values_list("title", flat=True)) == ["Budget cut"]
    actions.do_withdraw_bid(opened, world.member)
    assert not Bid.objects.exists()
    with pytest.raises(MeetingRefused) as refused:
        actions.do_withdraw_bid(opened, world.member)
    assert refused.value.code == "no_bid"


def test_bids_are_checked(world, opened):
    go_to_round(opened, world.facilitator, 3)
    cases = [
        ({"title": ""}, "empty"),
        ({"title": "x" * 121}, "too_long"),
        ({"detail": "x" * 301}, "too_long"),
        ({"urgency": 6}, "bad_value"),
        ({"importance": 0}, "bad_value"),
        ({"minutes_wanted": 0}, "bad_value"),
    ]
    for change, code in cases:
        fields = {**BID, "minutes_wanted": 30, **change}
        with pytest.raises(MeetingRefused) as refused:
            actions.do_submit_bid(opened, world.member, **fields)
        assert refused.value.code == code, change
    with pytest.raises(MeetingRefused) as refused:
        bid(opened, world.facilitator)
    assert refused.value.code == "wrong_person"
    assert not Bid.objects.exists()


def test_bids_outside_bidding_are_refused(world, opened):
    go_to_round(opened, world.facilitator, 2)
    with pytest.raises(MeetingRefused) as refused:
        bid(opened, world.member)
    assert refused.value.code == "wrong_round"
    assert refused.value.message == "Bids are made in the bidding round."


def test_choose_one_issue_holder_marks_the_bid(world, opened):
    go_to_round(opened, world.facilitator, 3)
    bid(opened, world.members[0])
    bid(opened, world.members[1])
    actions.do_choose_issue_holders(
        opened, world.facilitator, user_ids=[world.members[1].pk], expected_version=version(opened)
    )
    live = live_of(opened)
    assert live.issue_holder_1_id == world.members[1].pk and live.issue_holder_2_id is None
    assert dict(Bid.objects.values_list("user_id", "chosen_slot")) == {
        world.members[0].pk: None,
        world.members[1].pk: 1,
    }
    with pytest.raises(MeetingRefused) as refused:
        actions.do_withdraw_bid(opened, world.members[1])
    assert refused.value.code == "chosen"


def test_choice_is_checked(world, opened):
    go_to_round(opened, world.facilitator, 3)
    v = version(opened)
    for ids in ([], [1, 2, 3], [world.member.pk, world.member.pk], [world.other_member.pk]):
        with pytest.raises(MeetingRefused) as refused:
            actions.do_choose_issue_holders(
                opened, world.facilitator, user_ids=ids, expected_version=v
            )
        assert refused.value.code == "bad_choice"
    with pytest.raises(MeetingRefused) as refused:
        actions.do_choose_issue_holders(
            opened, world.member, user_ids=[world.member.pk], expected_version=v
        )
    assert refused.value.code == "wrong_person"


def test_combined_meeting_chooses_only_the_open_slot(world, meeting, on_the_day, announced):
    meeting.format = MeetingFormat.COMBINED
    meeting.issue_holder = world.members[0]
    meeting.save()
    actions.do_open_meeting(meeting, world.facilitator)
    assert live_of(meeting).issue_holder_1_id == world.members[0].pk
    go_to_round(meeting, world.facilitator, 3)
    with pytest.raises(MeetingRefused) as refused:
        actions.do_choose_issue_holders(
            meeting,
            world.facilitator,
            user_ids=[world.members[1].pk, world.members[2].pk],
            expected_version=version(meeting),
        )
    assert refused.value.message == "The first issue holder was agreed in advance; choose one more."
    actions.do_choose_issue_holders(
        meeting,
        world.facilitator,
        user_ids=[world.members[2].pk],
        expected_version=version(meeting),
    )
    live = live_of(meeting)
    assert (live.issue_holder_1_id, live.issue_holder_2_id) == (
        world.members[0].pk,
        world.members[2].pk,
    )


def test_in_a_combined_meeting_the_agreed_holder_has_nothing_to_bid_for_and_everyone_knows_it(
    world, meeting, on_the_day, announced
):
    meeting.format = MeetingFormat.COMBINED
    meeting.issue_holder = world.members[0]
    meeting.topic = "Getting the new rota accepted"
    meeting.save()
    actions.do_open_meeting(meeting, world.facilitator)
    go_to_round(meeting, world.facilitator, 3)
    with pytest.raises(MeetingRefused) as refused:
        bid(meeting, world.members[0])
    assert refused.value.code == "agreed_holder"
    assert "the first slot is yours" in refused.value.message
    assert not Bid.objects.exists()
    bid(meeting, world.members[1])
    # Everyone's room says whose slot was agreed, to explain what the bids are for.
    snapshot = snapshot_for(world.members[2], live_of(meeting))
    assert (snapshot["agreed_holder_id"], snapshot["topic"]) == (
        world.members[0].pk,
        "Getting the new rota accepted",
    )


def test_an_open_meeting_has_no_agreed_holder(world, opened):
    assert snapshot_for(world.member, live_of(opened))["agreed_holder_id"] is None


def test_suggested_order_favours_least_airtime_in_the_programme(world, opened):
    # An earlier meeting in which member 1 held the issue and member 2 spoke at length.
    earlier = LiveMeeting.objects.create(
        meeting=world.meetings_a[1], status="ended", issue_holder_1=world.members[0]
    )
    from revans.live.models import AgendaItem

    item = AgendaItem.objects.create(
        live_meeting=earlier, position=0, round=5, issue_slot=1, minutes=35, seconds_used=2100
    )
    check_in = AgendaItem.objects.create(live_meeting=earlier, position=1, round=1, minutes=10)
    TurnOrder.objects.create(
        live_meeting=earlier,
        agenda_item=check_in,
        round=1,
        user=world.members[1],
        order=0,
        started_at=earlier.opened_at,
        spoken_seconds=600,
    )
    assert item.pk
    go_to_round(opened, world.facilitator, 3)
    bid(opened, world.members[0], urgency=5, importance=5)
    bid(opened, world.members[1], urgency=5, importance=5)
    bid(opened, world.members[2], urgency=1, importance=1)
    bid(opened, world.members[3], urgency=3, importance=3)
    suggested = [s["user_id"] for s in suggested_order(live_of(opened))]
    assert suggested == [
        world.members[3].pk,  # no airtime, more urgent than member 3
        world.members[2].pk,
        world.members[1].pk,  # spoke for ten minutes
        world.members[0].pk,  # was issue holder last time
    ]
