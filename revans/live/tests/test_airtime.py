import datetime as dt

from revans.live import actions
from revans.live.airtime import airtime
from revans.live.models import AgendaItem, LiveMeeting, TurnOrder
from revans.live.tests.helpers import go_to_round, live_of, version


def test_airtime_counts_turns_spoken_time_questions_and_issue_holding(world, opened, on_the_day):
    first, holder = world.members[0], world.members[1]
    go_to_round(opened, world.facilitator, 1)
    actions.do_start_next_turn(opened, world.facilitator, expected_version=version(opened))
    on_the_day.shift(dt.timedelta(seconds=75))
    actions.do_mark_turn_done(opened, first)
    go_to_round(opened, world.facilitator, 5, holders=[holder])
    actions.do_post_question(opened, first, text="What matters?")
    actions.do_post_question(opened, first, text="Who decides?")
    table = airtime(live_of(opened))
    assert table[first.pk]["turns"] == 1
    assert table[first.pk]["spoken_seconds"] == 75
    assert table[first.pk]["questions"] == 2
    assert table[holder.pk]["times_issue_holder"] == 1
    assert table[holder.pk]["issue_holder_minutes"] == 8 + 35 + 10 + 5
    assert table[holder.pk]["airtime_seconds"] == 58 * 60
    assert world.facilitator.pk not in table


def test_programme_airtime_adds_up_earlier_meetings(world, opened):
    earlier = LiveMeeting.objects.create(
        meeting=world.meetings_a[1], status="ended", issue_holder_1=world.members[2]
    )
    check_in = AgendaItem.objects.create(live_meeting=earlier, position=0, round=1, minutes=10)
    AgendaItem.objects.create(live_meeting=earlier, position=1, round=5, issue_slot=1, minutes=30)
    TurnOrder.objects.create(
        live_meeting=earlier,
        agenda_item=check_in,
        round=1,
        user=world.members[0],
        order=0,
        started_at=earlier.opened_at,
        spoken_seconds=120,
    )
    live = live_of(opened)
    assert airtime(live)[world.members[0].pk]["spoken_seconds"] == 0
    programme = airtime(live, programme=True)
    assert programme[world.members[0].pk]["spoken_seconds"] == 120
    assert programme[world.members[2].pk]["times_issue_holder"] == 1
    assert programme[world.members[2].pk]["issue_holder_minutes"] == 30
    # Another set's meetings never count.
    assert world.other_member.pk not in programme
