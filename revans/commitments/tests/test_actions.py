import datetime as dt

import pytest

from revans.commitments import actions
from revans.commitments.models import Commitment, ProgressNote
from revans.commitments.queries import open_commitments_due_by
from revans.commitments.rules import CommitmentRefused, default_due_on
from revans.meetings.models import Meeting


def refused(fn, *args, **kwargs) -> CommitmentRefused:
    with pytest.raises(CommitmentRefused) as info:
        fn(*args, **kwargs)
    return info.value


def test_a_member_adds_one_due_at_the_next_meeting_by_default(world):
    made = actions.do_add_commitment(
        world.set_a, owner=world.member, what="  Map who decides  ", who_could_help="Priya"
    )
    assert made.what == "Map who decides"
    assert made.due_on == world.meetings_a[0].local_start().date()
    assert (made.meeting, made.status, made.who_could_help) == (None, "open", "Priya")


def test_the_next_meeting_skips_cancelled_ones_and_falls_back_to_four_weeks(world, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC), tick=False)
    Meeting.objects.filter(pk=world.meetings_a[0].pk).update(status="cancelled")
    assert default_due_on(world.set_a) == world.meetings_a[1].local_start().date()
    Meeting.objects.filter(learning_set=world.set_a).delete()
    assert default_due_on(world.set_a) == dt.date(2026, 11, 30)
    world.set_a.cadence, world.set_a.cadence_weeks = "weeks", 2
    assert default_due_on(world.set_a) == dt.date(2026, 11, 16)


def test_only_current_members_of_an_active_set_add_commitments(world):
    for person in (world.facilitator, world.other_member, world.admin, world.sponsor):
        problem = refused(actions.do_add_commitment, world.set_a, owner=person, what="Mine")
        assert problem.message == "Only members of the set make commitments in it."
    world.set_a.archived_at = world.set_a.created_at
    world.set_a.save()
    problem = refused(actions.do_add_commitment, world.set_a, owner=world.member, what="Mine")
    assert "archived" in problem.message
    assert not Commitment.objects.exists()


def test_bad_input_is_refused_with_the_field_named(world):
    assert refused(actions.do_add_commitment, world.set_a, owner=world.member, what=" ").field == (
        "what"
    )
    problem = refused(actions.do_add_commitment, world.set_a, owner=world.member, what="x" * 1001)
    assert (problem.field, problem.message) == (
        "what",
        "Keep it to 1000 characters (it has 1001).",
    )
    problem = refused(
        actions.do_add_commitment,
        world.set_a,
        owner=world.member,
        what="Mine",
        due_on=dt.date(2020, 1, 1),
    )
    assert problem.field == "due_on"


def test_status_and_notes_make_a_dated_history(world):
    made = actions.do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    actions.do_update_commitment(made, actor=world.member, status="in_progress")
    actions.do_update_commitment(made, actor=world.member, note="Spoke to two of them")
    actions.do_update_commitment(made, actor=world.member, status="done", note="All mapped")
    made.refresh_from_db()
    assert made.status == "done" and made.closed_at is not None
    history = list(
        ProgressNote.objects.values_list("status_before", "status_after", "text").order_by("id")
    )
    assert history == [
        ("open", "in_progress", ""),
        ("in_progress", "", "Spoke to two of them"),
        ("in_progress", "done", "All mapped"),
    ]
    actions.do_update_commitment(made, actor=world.member, status="open")
    made.refresh_from_db()
    assert made.closed_at is None
    problem = refused(actions.do_update_commitment, made, actor=world.member, status="open")
    assert problem.message == "Change the status or write a progress note (or both)."
    problem = refused(actions.do_update_commitment, made, actor=world.member, status="finished")
    assert problem.field == "status"


def test_only_the_owner_changes_a_commitment(world):
    made = actions.do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    for person in (world.facilitator, world.members[1], world.admin):
        refused(actions.do_update_commitment, made, actor=person, status="dropped")
        refused(actions.do_edit_commitment, made, actor=person, what="Other", due_on=made.due_on)
    made.refresh_from_db()
    assert (made.status, made.what) == ("open", "Map who decides")
    # Nor the owner once they have left the set.
    world.set_a.memberships.filter(user=world.member).update(left_at=made.created_at)
    refused(actions.do_update_commitment, made, actor=world.member, status="dropped")


def test_the_owner_edits_what_when_and_who_could_help(world):
    made = actions.do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    later = made.due_on + dt.timedelta(days=7)
    assert actions.do_edit_commitment(
        made, actor=world.member, what="Map who decides, and why", due_on=later, who_could_help="HR"
    )
    made.refresh_from_db()
    assert (made.what, made.due_on, made.who_could_help) == (
        "Map who decides, and why",
        later,
        "HR",
    )
    assert not actions.do_edit_commitment(
        made, actor=world.member, what=made.what, due_on=later, who_could_help="HR"
    )


def test_open_commitments_due_by_for_reminders(world):
    """The query the reminders use: the person's own, open, due by the date, in sets they
    are still in."""
    today = world.meetings_a[0].local_start().date()
    due = actions.do_add_commitment(world.set_a, owner=world.member, what="Due")
    later = actions.do_add_commitment(
        world.set_a, owner=world.member, what="Later", due_on=today + dt.timedelta(days=30)
    )
    done = actions.do_add_commitment(world.set_a, owner=world.member, what="Done")
    actions.do_update_commitment(done, actor=world.member, status="done")
    actions.do_add_commitment(world.set_a, owner=world.members[1], what="Someone else's")
    assert list(open_commitments_due_by(world.member, today)) == [due]
    assert set(open_commitments_due_by(world.member, today + dt.timedelta(days=30))) == {due, later}
    assert not open_commitments_due_by(world.facilitator, today).exists()
    world.set_a.memberships.filter(user=world.member).update(left_at=due.created_at)
    assert not open_commitments_due_by(world.member, today).exists()


def _moved(meeting, actor, days: int) -> None:
    from revans.meetings import actions as meeting_actions

    start = meeting.local_start().replace(tzinfo=None) + dt.timedelta(days=days)
    meeting_actions.do_move_meeting(
        meeting, actor=actor, start_local=start, duration_minutes=meeting.duration_minutes
    )
    meeting.refresh_from_db()


def test_commitments_due_at_a_meeting_follow_it_when_it_moves(world):
    meeting = world.meetings_a[0]
    old_day = meeting.local_start().date()
    due_then = actions.do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    chosen = actions.do_add_commitment(
        world.set_a, owner=world.member, what="Ring Sam", due_on=old_day + dt.timedelta(days=1)
    )
    finished = actions.do_add_commitment(world.set_a, owner=world.member, what="Read the brief")
    Commitment.objects.filter(pk=finished.pk).update(status="done")
    other_set = Commitment.objects.create(
        learning_set=world.set_b, owner=world.other_member, what="Theirs", due_on=old_day
    )

    _moved(meeting, world.facilitator, days=3)

    new_day = meeting.local_start().date()
    assert new_day == old_day + dt.timedelta(days=3)
    due = dict(Commitment.objects.values_list("pk", "due_on"))
    assert due[due_then.pk] == new_day
    # A date its owner chose, a closed commitment and another set's stay as they were.
    assert due[chosen.pk] == old_day + dt.timedelta(days=1)
    assert due[finished.pk] == old_day
    assert due[other_set.pk] == old_day
    # Moved only in time of day: nothing to follow.
    _moved(meeting, world.facilitator, days=0)
    assert Commitment.objects.get(pk=due_then.pk).due_on == new_day


def test_commitments_stay_when_another_meeting_is_still_on_the_old_day(world):
    from revans.meetings import actions as meeting_actions

    first = world.meetings_a[0]
    old_day = first.local_start().date()
    same_day = meeting_actions.do_add_meeting(
        world.set_a,
        actor=world.facilitator,
        start_local=first.local_start().replace(tzinfo=None) + dt.timedelta(hours=4),
        duration_minutes=60,
    )
    made = actions.do_add_commitment(world.set_a, owner=world.member, what="Map who decides")
    assert made.due_on == old_day
    _moved(first, world.facilitator, days=2)
    assert Commitment.objects.get(pk=made.pk).due_on == old_day
    assert same_day.local_start().date() == old_day
