"""Reading a live meeting costs the same number of queries however busy it is."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from revans.commitments.models import Commitment
from revans.live import actions
from revans.live.actions.core import load_live
from revans.live.dispatch import read
from revans.live.snapshot import events_since, snapshot_for
from revans.live.tests.helpers import go_to_round, version
from revans.testing import add_members, make_user


def fill(world, meeting, extra_members: int, questions: int):
    extra = [make_user(f"extra{i}@client.example") for i in range(extra_members)]
    add_members(world.set_a, extra)
    members = world.members + extra
    for member in members:
        commit_before(meeting, member, "Talk to my team")
    for member in members:
        actions.do_join(meeting, member)
    go_to_round(meeting, world.facilitator, 2)
    for member in members:
        actions.do_review_commitments(meeting, member, outcome="done", learning="ok")
    go_to_round(meeting, world.facilitator, 3)
    for member in members:
        actions.do_submit_bid(
            meeting, member, title="An issue", urgency=2, importance=3, minutes_wanted=20
        )
    actions.do_choose_issue_holders(
        meeting, world.facilitator, user_ids=[members[1].pk], expected_version=version(meeting)
    )
    go_to_round(meeting, world.facilitator, 5)
    for n in range(questions):
        asker = members[(n % (len(members) - 2)) + 2]
        asked = actions.do_post_question(meeting, asker, text=f"What about {n}?")
        if n % 2:
            actions.do_post_answer(
                meeting, members[1], text=f"Because {n}", in_reply_to=asked["contribution_id"]
            )
        actions.do_private_note(meeting, asker, text=f"note {n}")


def commit_before(meeting, member, what: str):
    """A commitment made a week before the meeting, so round 2 reviews it."""
    made = Commitment.objects.create(
        learning_set=meeting.learning_set,
        owner=member,
        what=what,
        due_on=meeting.starts_at.date(),
        created_at=meeting.starts_at - dt.timedelta(days=7),
    )
    return made


def count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


# One of them reads the members' commitments that round 2 reviews; the facilitator's one more,
# who sent apologies.
SNAPSHOT_QUERIES = {"member": 15, "facilitator": 21}
SINCE_QUERIES = 1


@pytest.mark.parametrize("persona", ["member", "facilitator"])
def test_snapshot_queries_do_not_grow_with_the_meeting(
    world, opened, persona, django_assert_num_queries
):
    user = world.persona(persona)
    fill(world, opened, extra_members=0, questions=2)
    live = load_live(opened.pk)
    small = count(lambda: snapshot_for(user, live))
    # Twelve members (8 more, present), 40 more questions and notes.
    later = [make_user(f"late{i}@client.example") for i in range(8)]
    add_members(world.set_a, later)
    for n in range(16):
        commit_before(opened, later[n % 8], f"Later commitment {n}")
    for n in range(40):
        actions.do_join(opened, later[n % 8])
        actions.do_post_question(opened, later[n % 8], text=f"And {n}?")
        actions.do_private_note(opened, world.members[3], text=f"n {n}")
    live = load_live(opened.pk)
    large = count(lambda: snapshot_for(user, live))
    assert small == large
    with django_assert_num_queries(SNAPSHOT_QUERIES[persona]):
        snapshot_for(user, live)


def test_events_since_is_one_query_however_many_events(world, opened, django_assert_num_queries):
    fill(world, opened, extra_members=0, questions=2)
    live = load_live(opened.pk)
    with django_assert_num_queries(SINCE_QUERIES):
        small = events_since(world.member, live, 0)
    more = [make_user(f"more{i}@client.example") for i in range(6)]
    add_members(world.set_a, more)
    for n in range(60):
        actions.do_join(opened, more[n % 6])
        actions.do_post_question(opened, more[n % 6], text=f"Why {n}?")
        actions.do_private_note(opened, world.members[3], text=f"n {n}")
    live = load_live(opened.pk)
    with django_assert_num_queries(SINCE_QUERIES):
        large = events_since(world.member, live, small["last_seq"])
    assert len(large["events"]) == 66  # 6 arrivals and 60 questions; others' notes are skipped
    assert large["last_seq"] == live.last_seq


def test_dispatch_reads_add_the_access_check_only(world, opened, django_assert_num_queries):
    fill(world, opened, extra_members=0, questions=3)
    # access_meeting_for_user (1) + load_live (1) + the read itself.
    with django_assert_num_queries(2 + SINCE_QUERIES):
        read(world.member, opened.pk, {"what": "since", "seq": 0})
    with django_assert_num_queries(2 + SNAPSHOT_QUERIES["member"]):
        read(world.member, opened.pk, {"what": "snapshot"})


def test_a_connections_reads_use_the_access_it_holds(world, opened, django_assert_num_queries):
    """A live connection that falls behind reads on the access it holds (kept fresh by its
    re-checks), so the read costs no access check and hands no new access back."""
    from revans.live.dispatch import check_access

    fill(world, opened, extra_members=0, questions=3)
    held = check_access(world.member, opened.pk)
    with django_assert_num_queries(1 + SINCE_QUERIES):  # load_live + the read itself
        answer = read(world.member, opened.pk, {"what": "since", "seq": 0}, held)
    assert answer["ok"] and answer["access"] is None and answer["events"]
    with pytest.raises(ValueError):
        read(world.member, world.meetings_a[1].pk, {"what": "since", "seq": 0}, held)
