"""A self-managed set: a member holds the facilitator duties and still takes part as a member."""

from revans.live import actions
from revans.live.models import TurnOrder
from revans.live.snapshot import snapshot_for
from revans.live.tests.helpers import advance, current_item, go_to_round, live_of, start, version
from revans.sets.actions.members import do_move_facilitator


def test_the_member_holding_the_duties_runs_the_meeting_and_takes_part_in_it(
    world, meeting, on_the_day, announced
):
    duty = world.members[0]
    do_move_facilitator(world.set_a, actor=world.admin, self_managed=True, new_holder=duty)
    actions.do_open_meeting(meeting, duty)
    assert live_of(meeting).facilitation_holder_id == duty.pk
    start(meeting, duty)
    # Their own turn in check-in, like every member's.
    check_in = current_item(meeting)
    assert duty.pk in TurnOrder.objects.filter(agenda_item=check_in).values_list(
        "user_id", flat=True
    )
    actions.do_mark_turn_done(meeting, duty)
    people = snapshot_for(world.members[1], live_of(meeting))["people"]
    assert {"id": duty.pk, "name": duty.display_name, "role": "member"} in people
    go_to_round(meeting, duty, 3)
    actions.do_submit_bid(meeting, duty, title="Rota", urgency=3, importance=3, minutes_wanted=20)
    actions.do_choose_issue_holders(
        meeting, duty, user_ids=[duty.pk], expected_version=version(meeting)
    )
    advance(meeting, duty)
    # Presenting their own issue, they still move the meeting on; the set asks them questions.
    assert current_item(meeting).round == 4
    advance(meeting, duty)
    actions.do_post_question(meeting, world.members[1], text="What would help most?")
    snapshot = snapshot_for(duty, live_of(meeting))
    assert snapshot["you"]["facilitates"] and "airtime" in snapshot
