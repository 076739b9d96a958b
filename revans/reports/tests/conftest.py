import datetime as dt

import pytest
from django.utils import timezone

from revans.commitments.models import Commitment
from revans.live.models import Bid, Contribution, LiveMeeting, ProcessRating
from revans.meetings.models import Attendance

ISSUES = [
    "Leading my team through the restructure",
    "Redundancies announced and my team is anxious",
    "A difficult conversation with a colleague about performance",
    "Giving hard feedback to a senior manager",
]
LEARNING = [
    "I learned to listen before proposing changes during the reorganisation",
    "The restructure made me notice how much my team needs clarity",
    "Having the difficult conversation early made it easier",
    "Feedback lands better when I ask questions first",
]
PRIVATE_CANARY = "CANARY-private-note-zx81"


def held_set(world):
    """Set A with three held meetings: bids, shared learning, a private note, attendance,
    ratings and commitments."""
    start = timezone.now() - dt.timedelta(days=90)
    due = timezone.localdate()
    for i, meeting in enumerate(world.meetings_a[:3]):
        meeting.starts_at = start + dt.timedelta(days=28 * i)
        meeting.save()
        live = LiveMeeting.objects.create(meeting=meeting, status=LiveMeeting.Status.ENDED)
        for j, member in enumerate(world.members):
            Attendance.objects.create(meeting=meeting, user=member, attended=(i + j) % 4 != 3)
            ProcessRating.objects.create(live_meeting=live, user=member, score=5 + i + (j % 2))
        holder = world.members[i % 4]
        Bid.objects.create(
            live_meeting=live,
            user=holder,
            title=ISSUES[i],
            urgency=3,
            importance=3,
            minutes_wanted=30,
            chosen_slot=1,
        )
        live.issue_holder_1 = holder
        live.save()
        for j, member in enumerate(world.members):
            Contribution.objects.create(
                live_meeting=live,
                author=member,
                kind=Contribution.Kind.LEARNING,
                visibility=Contribution.Visibility.SET,
                text=LEARNING[(i + j) % 4],
            )
        Contribution.objects.create(
            live_meeting=live,
            author=world.member,
            kind=Contribution.Kind.PRIVATE_NOTE,
            visibility=Contribution.Visibility.AUTHOR,
            text=PRIVATE_CANARY,
        )
        Commitment.objects.create(
            learning_set=world.set_a,
            owner=holder,
            meeting=meeting,
            what=f"Commitment {i}",
            due_on=due,
            status="done" if i % 2 == 0 else "open",
        )
    return world.set_a


@pytest.fixture
def report_world(world):
    held_set(world)
    return world
