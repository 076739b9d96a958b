"""Round 7 makes commitments; round 2 of the next meeting shows them and records their review."""

import datetime as dt

import pytest

from revans.commitments.models import Commitment, ProgressNote
from revans.commitments.queries import history_of
from revans.live import actions
from revans.live.actions.core import load_live
from revans.live.models import CommitmentReview, Contribution, MeetingEvent
from revans.live.refusals import MeetingRefused
from revans.live.snapshot import snapshot_for
from revans.live.tests.helpers import go_to_round, live_of

from .helpers import SECRET, hold_round_seven, made_before, open_on_its_day


def refusal(fn, *args, **kwargs) -> MeetingRefused:
    with pytest.raises(MeetingRefused) as info:
        fn(*args, **kwargs)
    return info.value


def test_each_round_seven_action_becomes_the_holders_commitment_due_at_the_next_meeting(
    world, meeting, on_the_day, announced
):
    holder = world.members[1]
    hold_round_seven(world, meeting, holder, texts=[SECRET, "Book a session with my team"])
    made = list(Commitment.objects.order_by("id"))
    assert [(c.owner_id, c.what, c.meeting_id) for c in made] == [
        (holder.pk, SECRET, meeting.pk),
        (holder.pk, "Book a session with my team", meeting.pk),
    ]
    next_meeting = world.meetings_a[1]
    assert {c.due_on for c in made} == {next_meeting.local_start().date()}
    assert {c.status for c in made} == {"open"}
    # The room's events are what they were: one contribution each, nothing more.
    events = MeetingEvent.objects.filter(live_meeting=live_of(meeting), type="contribution")
    assert events.count() == 2


def test_a_refused_action_makes_no_commitment(world, meeting, on_the_day, announced):
    holder = world.members[1]
    hold_round_seven(world, meeting, holder, texts=[])
    assert refusal(actions.do_add_action, meeting, world.member, text="Mine").code == "wrong_person"
    assert refusal(actions.do_add_action, meeting, holder, text="  ").code == "empty"
    assert not Commitment.objects.exists()
    assert not Contribution.objects.filter(kind="action").exists()


def test_the_commitment_and_the_action_are_kept_together_or_not_at_all(
    world, meeting, on_the_day, announced, monkeypatch
):
    holder = world.members[1]
    hold_round_seven(world, meeting, holder, texts=[])

    def broken(*args, **kwargs):
        raise RuntimeError("the commitments table is unavailable")

    monkeypatch.setattr("revans.live.actions.contributions.do_add_commitment_from_meeting", broken)
    seq = live_of(meeting).last_seq
    with pytest.raises(RuntimeError):
        actions.do_add_action(meeting, holder, text=SECRET)
    assert not Contribution.objects.filter(kind="action").exists()
    assert live_of(meeting).last_seq == seq


def test_round_two_shows_each_members_commitments_and_records_each_review(
    world, time_machine, announced
):
    first, second = world.meetings_a[0], world.meetings_a[1]
    holder = world.members[1]
    time_machine.move_to(first.starts_at, tick=False)
    hold_round_seven(world, first, holder, texts=[SECRET, "Book a session"])
    secret, session = Commitment.objects.order_by("id")
    own = made_before(second, world.member, "Read the report", days=3)
    open_on_its_day(world, second, time_machine)

    snapshot = snapshot_for(world.member, load_live(second.pk))
    shown = {c["id"]: c for c in snapshot["commitments"]}
    assert set(shown) == {secret.pk, session.pk, own.pk}
    assert shown[secret.pk]["owner_id"] == holder.pk
    assert shown[secret.pk]["what"] == SECRET and shown[secret.pk]["review"] is None

    actions.do_review_commitments(
        second, holder, outcome="partly", learning="Finance wants numbers", commitment_id=secret.pk
    )
    actions.do_review_commitments(second, holder, outcome="done", commitment_id=session.pk)
    secret.refresh_from_db()
    session.refresh_from_db()
    assert (secret.status, session.status) == ("in_progress", "done")
    review = ProgressNote.objects.get(commitment=secret, meeting=second)
    assert (review.review_outcome, review.text, review.author_id) == (
        "partly",
        "Finance wants numbers",
        holder.pk,
    )
    # The member's overall review follows from theirs.
    overall = CommitmentReview.objects.get(member=holder)
    assert (overall.outcome, overall.learning) == ("partly", "Finance wants numbers")
    # The history of the commitment says where it was reviewed.
    history = history_of(secret)
    assert [(n.meeting_number, n.review_outcome) for n in history] == [(2, "partly")]
    # Events carry the commitment's new state to the room.
    sent = MeetingEvent.objects.filter(live_meeting=live_of(second), type="commitment")
    assert [e.payload["id"] for e in sent] == [secret.pk, session.pk]
    assert sent.last().payload["review"] == {"outcome": "done", "learning": ""}
    assert all(e.audience_user_id is None for e in sent)  # the set's, like the review itself
    shown = {
        c["id"]: c for c in snapshot_for(world.facilitator, load_live(second.pk))["commitments"]
    }
    assert shown[secret.pk]["review"] == {"outcome": "partly", "learning": "Finance wants numbers"}
    assert shown[session.pk]["status"] == "done"  # closed at this meeting: still shown


def test_reviewing_again_at_the_same_meeting_replaces_the_review(world, time_machine, announced):
    second = world.meetings_a[1]
    own = made_before(second, world.member)
    open_on_its_day(world, second, time_machine)
    actions.do_review_commitments(second, world.member, outcome="done", commitment_id=own.pk)
    own.refresh_from_db()
    assert own.status == "done" and own.closed_at is not None
    actions.do_review_commitments(
        second, world.member, outcome="not_done", learning="Too busy", commitment_id=own.pk
    )
    own.refresh_from_db()
    assert own.status == "open" and own.closed_at is None
    review = ProgressNote.objects.get(commitment=own)
    assert (review.review_outcome, review.text) == ("not_done", "Too busy")


def test_an_overall_review_is_recorded_onto_each_of_the_members_commitments(
    world, time_machine, announced
):
    second = world.meetings_a[1]
    one = made_before(second, world.member, "One")
    two = made_before(second, world.member, "Two")
    others = made_before(second, world.members[2], "Not mine")
    open_on_its_day(world, second, time_machine)
    actions.do_review_commitments(second, world.member, outcome="done", learning="Both went well")
    reviewed = dict(
        ProgressNote.objects.filter(meeting=second).values_list("commitment_id", "review_outcome")
    )
    assert reviewed == {one.pk: "done", two.pk: "done"}
    assert others.pk not in reviewed


def test_who_may_review_which_commitment(world, time_machine, announced):
    second = world.meetings_a[1]
    others = made_before(second, world.members[2], "Not mine")
    in_set_b = made_before(world.meetings_b[0], world.other_member, "Set B's")
    open_on_its_day(world, second, time_machine)
    # A member cannot review someone else's; the facilitator (holding the meeting) can.
    refused = refusal(
        actions.do_review_commitments, second, world.member, outcome="done", commitment_id=others.pk
    )
    assert refused.code == "wrong_person"
    actions.do_review_commitments(
        second, world.facilitator, outcome="not_done", commitment_id=others.pk
    )
    assert ProgressNote.objects.get(commitment=others).author_id == world.facilitator.pk
    # Another set's commitment, or an unknown id, is not this meeting's to review.
    for unknown in (in_set_b.pk, 999999):
        refused = refusal(
            actions.do_review_commitments,
            second,
            world.facilitator,
            outcome="done",
            commitment_id=unknown,
        )
        assert refused.code == "bad_commitment"
    assert not ProgressNote.objects.filter(commitment=in_set_b).exists()


def test_round_two_reviews_only_what_is_due_for_review(world, time_machine, announced):
    first, second = world.meetings_a[0], world.meetings_a[1]
    open_old = made_before(first, world.member, "Old but still open", days=10)
    closed_long_ago = made_before(
        first, world.member, "Done before the last meeting", days=10, status="done"
    )
    closed_long_ago.closed_at = first.starts_at - dt.timedelta(days=1)
    closed_long_ago.save()
    closed_lately = made_before(second, world.member, "Done lately", days=5, status="done")
    closed_lately.closed_at = second.starts_at
    closed_lately.save()
    made_later = made_before(second, world.member, "Made after the start", days=-1)
    made_at_meeting = made_before(second, world.member, "Made at this meeting", meeting=second)
    removed = made_before(second, world.members[3], "A former member's")
    world.set_a.memberships.filter(user=world.members[3]).update(left_at=second.starts_at)
    open_on_its_day(world, second, time_machine)
    shown = {c["id"] for c in snapshot_for(world.member, load_live(second.pk))["commitments"]}
    assert shown == {open_old.pk, closed_lately.pk}
    assert not shown & {closed_long_ago.pk, made_later.pk, made_at_meeting.pk, removed.pk}


def test_what_one_meeting_reviewed_as_done_is_not_reviewed_again_at_the_next(
    world, time_machine, announced
):
    first, second = world.meetings_a[0], world.meetings_a[1]
    finished = made_before(first, world.member, "Finished by the first meeting")
    partly = made_before(first, world.member, "Half done by the first meeting")
    open_on_its_day(world, first, time_machine)
    # Round 2 comes a quarter of an hour after the meeting's start time.
    time_machine.move_to(first.starts_at + dt.timedelta(minutes=15), tick=False)
    actions.do_review_commitments(first, world.member, outcome="done", commitment_id=finished.pk)
    actions.do_review_commitments(first, world.member, outcome="partly", commitment_id=partly.pk)
    closed_after_it = made_before(second, world.member, "Done between the meetings", days=3)
    closed_after_it.status, closed_after_it.closed_at = "done", second.starts_at
    closed_after_it.save()
    # Reviewed done at the first meeting, then reopened and closed again since: reviewed again.
    reopened = made_before(first, world.member, "Done, undone, done again")
    actions.do_review_commitments(first, world.member, outcome="done", commitment_id=reopened.pk)
    reopened.status, reopened.closed_at = "done", second.starts_at - dt.timedelta(days=2)
    reopened.save()
    open_on_its_day(world, second, time_machine)
    shown = {c["id"] for c in snapshot_for(world.member, load_live(second.pk))["commitments"]}
    # Closed during the first meeting, by its own review there: that review was its last word.
    assert shown == {partly.pk, closed_after_it.pk, reopened.pk}


def test_the_first_meetings_round_two_has_nothing_to_review_but_still_records_how_it_went(
    world, opened
):
    go_to_round(opened, world.facilitator, 2)
    actions.do_review_commitments(opened, world.member, outcome="partly", learning="Settling in")
    assert CommitmentReview.objects.get(member=world.member).outcome == "partly"
    assert not ProgressNote.objects.exists()


def test_a_members_reviews_are_saved_together_with_one_save(world, time_machine, announced):
    second = world.meetings_a[1]
    one = made_before(second, world.member, "Ask my director what good looks like")
    two = made_before(second, world.member, "Draft a one-page picture")
    three = made_before(second, world.member, "Shadow a duty manager")
    open_on_its_day(world, second, time_machine)
    live = live_of(second)
    before = MeetingEvent.objects.filter(live_meeting=live).count()
    # The third is left for later: commitments left out stay as they were.
    actions.do_save_commitment_reviews(
        second,
        world.member,
        reviews=[
            {"commitment_id": one.pk, "outcome": "done", "learning": "Ask early"},
            {"commitment_id": two.pk, "outcome": "not_done"},
        ],
    )
    reviewed = dict(
        ProgressNote.objects.filter(meeting=second).values_list("commitment_id", "review_outcome")
    )
    assert reviewed == {one.pk: "done", two.pk: "not_done"}
    overall = CommitmentReview.objects.get(member=world.member)
    assert (overall.outcome, overall.learning) == ("partly", "Ask early")
    # One act: a commitment event for each, then the member's overall review.
    sent = MeetingEvent.objects.filter(live_meeting=live).order_by("seq")[before:]
    assert [e.type for e in sent] == ["commitment", "commitment", "commitment_review"]
    assert [sent[0].payload["id"], sent[1].payload["id"]] == [one.pk, two.pk]
    assert sent[2].payload["member"]["id"] == world.member.pk
    assert not ProgressNote.objects.filter(commitment=three).exists()


def test_one_refused_review_saves_none_and_names_its_commitment(world, time_machine, announced):
    second = world.meetings_a[1]
    one = made_before(second, world.member, "Ask my director what good looks like")
    two = made_before(second, world.member, "Draft a one-page picture")
    others = made_before(second, world.members[2], "Not mine")
    open_on_its_day(world, second, time_machine)
    done = {"commitment_id": one.pk, "outcome": "done", "learning": "Ask early"}
    # A line of learning typed without saying how it went.
    refused = refusal(
        actions.do_save_commitment_reviews,
        second,
        world.member,
        reviews=[done, {"commitment_id": two.pk, "outcome": "", "learning": "Ran out of time"}],
    )
    assert refused.code == "bad_outcome"
    assert refused.message == (
        "Choose how “Draft a one-page picture” went: done, partly done or not done."
    )
    assert refused.details == {"field": "outcome", "commitment_id": two.pk}
    too_long = {"commitment_id": two.pk, "outcome": "partly", "learning": "x" * 501}
    refused = refusal(
        actions.do_save_commitment_reviews, second, world.member, reviews=[done, too_long]
    )
    assert refused.code == "too_long"
    assert refused.message == (
        "About “Draft a one-page picture”: Please keep this to 500 characters (it is 501)."
    )
    assert refused.details == {"field": "learning", "commitment_id": two.pk}
    # Someone else's commitment, one named twice, or nothing at all.
    for reviews in (
        [done, {"commitment_id": others.pk, "outcome": "done"}],
        [done, done],
    ):
        refused = refusal(actions.do_save_commitment_reviews, second, world.member, reviews=reviews)
        assert refused.code == "bad_commitment"
    refused = refusal(actions.do_save_commitment_reviews, second, world.member, reviews=[])
    assert (refused.code, refused.message) == (
        "bad_outcome",
        "Choose how at least one commitment went.",
    )
    assert not ProgressNote.objects.filter(meeting=second).exists()
    assert not CommitmentReview.objects.exists()


def test_the_facilitator_saves_a_members_reviews_for_them(world, time_machine, announced):
    second = world.meetings_a[1]
    theirs = made_before(second, world.members[2], "Theirs")
    open_on_its_day(world, second, time_machine)

    def save_for_them(by):
        verdict = [{"commitment_id": theirs.pk, "outcome": "partly"}]
        return actions.do_save_commitment_reviews(
            second, by, reviews=verdict, member_id=world.members[2].pk
        )

    assert refusal(save_for_them, world.member).code == "wrong_person"
    save_for_them(world.facilitator)
    note = ProgressNote.objects.get(commitment=theirs)
    assert (note.review_outcome, note.author_id) == ("partly", world.facilitator.pk)
    # Outside round 2 it is refused, as any review is.
    go_to_round(second, world.facilitator, 3)
    refused = refusal(save_for_them, world.facilitator)
    assert refused.code == "wrong_round"
