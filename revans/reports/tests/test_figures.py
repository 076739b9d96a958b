import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from revans.commitments.models import Commitment
from revans.live.models import AgendaItem, LiveMeeting, ProcessRating, TurnOrder
from revans.meetings.models import Attendance, Meeting
from revans.reports.figures import evenness, figures_for_sets
from revans.sets.models import LearningSet
from revans.testing import add_members, make_meetings, make_set, make_user


def hold(meetings, days_ago=100):
    """Move meetings into the past, 28 days apart."""
    start = timezone.now() - dt.timedelta(days=days_ago)
    for i, meeting in enumerate(meetings):
        meeting.starts_at = start + dt.timedelta(days=28 * i)
        meeting.save()


def record(meeting, present, absent=()):
    for user in present:
        Attendance.objects.create(meeting=meeting, user=user, attended=True)
    for user in absent:
        Attendance.objects.create(meeting=meeting, user=user, attended=False)


@pytest.mark.django_db
def test_figures_per_meeting_not_per_person(world):
    a = world.set_a
    m1, m2, m3 = world.meetings_a[:3]
    hold([m1, m2, m3])  # m3 starts 44 days after m1 (still past); the rest are to come
    m3.status = Meeting.Status.CANCELLED
    m3.save()
    record(m1, world.members[:3], world.members[3:])
    record(m2, world.members)
    for meeting, scores in ((m1, [6, 8]), (m2, [9])):
        live = LiveMeeting.objects.create(meeting=meeting)
        for user, score in zip(world.members, scores, strict=False):
            ProcessRating.objects.create(live_meeting=live, user=user, score=score)
    due = timezone.localdate()
    Commitment.objects.create(
        learning_set=a, owner=world.member, meeting=m1, what="x", due_on=due, status="done"
    )
    Commitment.objects.create(learning_set=a, owner=world.member, meeting=m1, what="y", due_on=due)
    Commitment.objects.create(
        learning_set=a, owner=world.members[1], what="z", due_on=due, status="dropped"
    )
    live = m1.live
    item = AgendaItem.objects.create(live_meeting=live, position=0, round=1, minutes=10)
    TurnOrder.objects.create(
        live_meeting=live, agenda_item=item, round=1, user=world.member, order=0, spoken_seconds=60
    )
    AgendaItem.objects.create(
        live_meeting=live, position=1, round=4, issue_slot=1, minutes=30, seconds_used=1200
    )
    # Chosen for a second slot the meeting never reached: no airtime, and not presented.
    AgendaItem.objects.create(live_meeting=live, position=2, round=4, issue_slot=2, minutes=30)
    live.issue_holder_1 = world.members[1]
    live.issue_holder_2 = world.members[2]
    live.save()

    f = figures_for_sets(LearningSet.objects.filter(pk=a.pk))[a.pk]
    assert f["meetings_planned"] == a.meeting_count
    assert (f["meetings_held"], f["meetings_cancelled"], f["meetings_to_come"]) == (2, 1, 3)
    assert [m["attendance_rate"] for m in f["meetings"]] == [75, 100]
    assert f["attendance_rate"] == 88  # 7 of 8
    assert f["attendance_per_person"] is None  # the set did not agree to it
    # One rating is one member's score: no average shown for m2.
    assert [m["review_average"] for m in f["meetings"]] == [7.0, None]
    assert (f["commitments_made"], f["commitments_completed"], f["commitments_dropped"]) == (
        3,
        1,
        1,
    )
    assert f["meetings"][0]["commitments_made"] == 2
    assert f["meetings"][0]["commitments_completed"] == 1
    assert f["members"] == 4
    assert f["airtime_shares"] == [95, 5, 0, 0]  # 1200 s presenting (of 1800 planned), 60 s
    assert f["members_who_presented"] == 1
    assert "Member" not in str(f)  # no names anywhere


@pytest.mark.django_db
def test_attendance_per_person_only_when_agreed(world):
    a = world.set_a
    a.report_attendance_per_person = True
    a.save()
    hold(world.meetings_a[:1])
    record(world.meetings_a[0], world.members[:1], world.members[1:])
    f = figures_for_sets([a])[a.pk]
    rows = {row["name"]: row for row in f["attendance_per_person"]}
    assert rows["Member 1"] == {"name": "Member 1", "attended": 1, "recorded": 1}
    assert rows["Member 2"]["attended"] == 0


def test_evenness():
    assert evenness([10, 10, 10]) == 1.0
    assert evenness([0, 0, 30]) == pytest.approx(0.33, abs=0.01)
    assert evenness([5]) is None


def _programme(org, facilitator, count, prefix):
    sets = []
    for i in range(count):
        s = make_set(org, facilitator, f"Set {prefix}{i}")
        people = [make_user(f"{prefix}{i}-{j}@example.org") for j in range(3)]
        add_members(s, people)
        meetings = make_meetings(s, 3)
        hold(meetings)
        for meeting in meetings:
            record(meeting, people)
            live = LiveMeeting.objects.create(meeting=meeting)
            for person in people:
                ProcessRating.objects.create(live_meeting=live, user=person, score=7)
        sets.append(s)
    return sets


@pytest.mark.django_db
def test_constant_queries_for_many_sets(world):
    def queries(sets):
        with CaptureQueriesContext(connection) as ctx:
            figures_for_sets(LearningSet.objects.filter(pk__in=[s.pk for s in sets]))
        return len(ctx.captured_queries)

    few = queries(_programme(world.org, world.facilitator, 1, "a"))
    many = queries(_programme(world.org, world.facilitator, 6, "b"))
    assert few == many == 9  # the sets, then eight grouped reads
