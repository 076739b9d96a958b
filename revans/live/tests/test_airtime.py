import datetime as dt

from django.db.models import F

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
    go_to_round(opened, world.facilitator, 4, holders=[holder])
    on_the_day.shift(dt.timedelta(minutes=6))
    go_to_round(opened, world.facilitator, 5)
    actions.do_post_question(opened, first, text="What matters?")
    actions.do_post_question(opened, first, text="Who decides?")
    on_the_day.shift(dt.timedelta(minutes=10))
    table = airtime(live_of(opened))
    assert table[first.pk]["turns"] == 1
    assert table[first.pk]["spoken_seconds"] == 75
    assert table[first.pk]["questions"] == 2
    assert table[holder.pk]["times_issue_holder"] == 1
    # The time the set gave the issue, round by round as each is over (not the 58 minutes
    # planned for rounds 4-7): presenting so far; questioning joins when the set moves on.
    assert table[holder.pk]["issue_holder_seconds"] == 6 * 60
    assert table[holder.pk]["airtime_seconds"] == 6 * 60
    assert world.facilitator.pk not in table


def test_the_issue_holders_time_leaves_out_pauses_and_adds_up_rounds_gone_back_to(
    world, opened, on_the_day
):
    holder = world.members[1]
    go_to_round(opened, world.facilitator, 4, holders=[holder])
    on_the_day.shift(dt.timedelta(minutes=6))
    go_to_round(opened, world.facilitator, 5)
    on_the_day.shift(dt.timedelta(minutes=10))
    actions.do_pause(opened, world.facilitator, question="What question are you answering?")
    on_the_day.shift(dt.timedelta(minutes=5))
    actions.do_resume(opened, world.facilitator)
    on_the_day.shift(dt.timedelta(minutes=2))
    actions.do_go_back(opened, world.facilitator, expected_version=version(opened))
    on_the_day.shift(dt.timedelta(minutes=1))
    go_to_round(opened, world.facilitator, 5)
    on_the_day.shift(dt.timedelta(minutes=3))
    # Ended while paused: the pause is left out too.
    actions.do_pause(opened, world.facilitator, question="Are we tapping all the knowledge?")
    on_the_day.shift(dt.timedelta(minutes=4))
    actions.do_end_meeting(opened, world.facilitator, expected_version=version(opened))
    used = dict(
        AgendaItem.objects.filter(live_meeting=live_of(opened), round__in=(4, 5)).values_list(
            "round", "seconds_used"
        )
    )
    assert used == {4: 7 * 60, 5: 15 * 60}
    table = airtime(live_of(opened))
    assert table[holder.pk]["issue_holder_seconds"] == 22 * 60
    assert table[holder.pk]["times_issue_holder"] == 1


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
    AgendaItem.objects.filter(live_meeting=earlier).update(seconds_used=F("minutes") * 60)
    # Chosen for a second slot the meeting never reached: no time, and not yet a turn.
    later = LiveMeeting.objects.create(
        meeting=world.meetings_a[2],
        status="ended",
        issue_holder_1=world.members[0],
        issue_holder_2=world.members[3],
    )
    AgendaItem.objects.create(
        live_meeting=later, position=0, round=5, issue_slot=1, minutes=20, seconds_used=1500
    )
    AgendaItem.objects.create(
        live_meeting=later, position=1, round=5, issue_slot=2, minutes=20, seconds_used=None
    )
    live = live_of(opened)
    assert airtime(live)[world.members[0].pk]["spoken_seconds"] == 0
    programme = airtime(live, programme=True)
    assert programme[world.members[0].pk]["spoken_seconds"] == 120
    assert programme[world.members[2].pk]["times_issue_holder"] == 1
    assert programme[world.members[2].pk]["issue_holder_seconds"] == 30 * 60
    assert programme[world.members[0].pk]["times_issue_holder"] == 1
    assert programme[world.members[0].pk]["airtime_seconds"] == 120 + 1500
    assert programme[world.members[3].pk]["times_issue_holder"] == 0
    assert programme[world.members[3].pk]["issue_holder_seconds"] == 0
    # Another set's meetings never count.
    assert world.other_member.pk not in programme


def test_meetings_run_before_the_time_was_kept_count_as_planned(world, opened):
    """The migration that began keeping the time: what airtime counted until then (planned
    minutes) stands for rounds already held, and nothing for rounds not reached."""
    from importlib import import_module

    from django.apps import apps

    as_planned = import_module("revans.live.migrations.0004_agenda_item_seconds_used").as_planned
    ended = LiveMeeting.objects.create(meeting=world.meetings_a[1], status="ended")
    AgendaItem.objects.create(live_meeting=ended, position=0, round=5, minutes=30)
    running = live_of(opened)
    go_to_round(opened, world.facilitator, 3)
    AgendaItem.objects.filter(live_meeting=running).update(seconds_used=None)
    as_planned(apps, None)
    assert AgendaItem.objects.get(live_meeting=ended).seconds_used == 30 * 60
    kept = dict(
        AgendaItem.objects.filter(live_meeting=running).values_list("position", "seconds_used")
    )
    assert [kept[p] for p in range(4)] == [10 * 60, 10 * 60, None, None]
