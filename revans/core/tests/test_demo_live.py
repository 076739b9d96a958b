"""The demo's held meetings tell one story: only those who came speak, the issue holders'
actions are their commitments, and airtime is uneven enough for the balance to show."""

from django.utils import timezone

from revans.commitments.models import Commitment, ProgressNote
from revans.core.demo import HEADS_OF_SERVICE, load_demo
from revans.live.airtime import suggested_order
from revans.live.models import Bid, CommitmentReview, Contribution, LiveMeeting, ProcessRating
from revans.live.summary import summary_for
from revans.meetings.models import Attendance
from revans.reports.models import SetReport


def _held_lives():
    return list(
        LiveMeeting.objects.filter(meeting__learning_set__name="Heads of Service")
        .select_related("meeting")
        .order_by("meeting__starts_at")
    )


def test_only_members_who_came_take_part_in_a_held_meeting(db):
    assert load_demo()
    lives = _held_lives()
    assert len(lives) == 3
    for live in lives:
        absent = set(
            Attendance.objects.filter(meeting=live.meeting, attended=False).values_list(
                "user_id", flat=True
            )
        )
        took_part = (
            set(live.turns.values_list("user_id", flat=True))
            | set(
                Contribution.objects.filter(live_meeting=live).values_list("author_id", flat=True)
            )
            | set(ProcessRating.objects.filter(live_meeting=live).values_list("user_id", flat=True))
            | {live.issue_holder_1_id, live.issue_holder_2_id}
        )
        assert took_part
        assert not took_part & absent, live.meeting
    # Two meetings had an absence, and the summary says who was away.
    away = [
        [row["name"] for row in summary_for(live)["attendance"] if not row["present"]]
        for live in lives
    ]
    assert away == [[], ["Kwame Asante"], ["Mark Doyle"]]


def test_each_summary_has_the_questions_and_the_actions_that_became_commitments(db):
    assert load_demo()
    for live in _held_lives():
        summary = summary_for(live)
        assert len(summary["questions"]) >= 5
        assert {q["state"] for q in summary["questions"]} >= {"answered", "later"}
        assert summary["answers"] and summary["learning"] and summary["feedback"]
        holders = {live.issue_holder_1_id, live.issue_holder_2_id}
        made_here = set(
            Commitment.objects.filter(meeting=live.meeting, owner_id__in=holders).values_list(
                "what", flat=True
            )
        )
        assert {a["text"] for a in summary["actions"]} == made_here
        assert made_here
        # Round 2 reviewed what the commitments' histories say was reviewed there.
        reviews = set(
            CommitmentReview.objects.filter(live_meeting=live).values_list(
                "member_id", "outcome", "learning"
            )
        )
        notes = set(
            ProgressNote.objects.filter(meeting=live.meeting)
            .exclude(review_outcome="")
            .values_list("author_id", "review_outcome", "text")
        )
        assert reviews == notes


def test_the_member_who_has_not_held_the_floor_is_suggested_first(db):
    assert load_demo()
    lives = _held_lives()
    upcoming = (
        lives[0]
        .meeting.learning_set.meetings.filter(starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    live = LiveMeeting.objects.create(meeting=upcoming)
    members = lives[0].meeting.learning_set.memberships.select_related("user")
    bids = [
        Bid(
            live_meeting=live,
            user=m.user,
            title="An issue",
            urgency=3,
            importance=3,
            minutes_wanted=30,
            pk=n,
            created_at=timezone.now(),
        )
        for n, m in enumerate(members, start=1)
    ]
    order = suggested_order(live, bids)
    mark = next(m.user for m in members if m.user.email == HEADS_OF_SERVICE[5][0])
    assert order[0]["user_id"] == mark.pk
    assert order[0]["times_issue_holder"] == 0
    # Airtime differs from member to member, as it does in a real set.
    assert len({row["airtime_seconds"] for row in order}) == len(order)


def test_the_report_demo_still_has_the_facilitators_edited_themes(db):
    assert load_demo()
    report = SetReport.objects.get(learning_set__name="Heads of Service")
    assert report.themes.exclude(narrative="").count() == 2
