"""Two facilitator tabs pressing "next" at the same moment move the meeting once, for real:
two threads, two database connections, committed transactions."""

import threading

import pytest
from django.db import connection

from revans.live import actions
from revans.live.models import AgendaItem, LiveMeeting, MeetingEvent
from revans.live.refusals import MeetingRefused
from revans.live.tests.helpers import live_of


def press_together(n, fn):
    return press_all([fn] * n)


def press_all(fns):
    """Each of `fns` on its own thread (and database connection), all let go at once."""
    barrier = threading.Barrier(len(fns))
    results = []

    def press(fn):
        try:
            barrier.wait()
            results.append(("ok", fn()))
        except MeetingRefused as refused:
            results.append(("refused", refused.code))
        except Exception as exc:  # a crash must fail the test, not hide in a thread
            results.append(("error", repr(exc)))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(fn,)) for fn in fns]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_simultaneous_advances_with_one_version_move_once(world, opened):
    seen = live_of(opened).version
    results = press_together(
        4,
        lambda: actions.do_advance(opened, world.facilitator, expected_version=seen, confirm=True),
    )
    assert sorted(kind for kind, _ in results) == ["ok", "refused", "refused", "refused"], results
    assert {value for kind, value in results if kind == "refused"} == {"stale"}
    live = live_of(opened)
    assert live.status == LiveMeeting.Status.RUNNING and live.stage_position == 0
    assert live.version == seen + 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_posts_get_distinct_gapless_numbers(world, opened):
    for member in world.members:
        actions.do_join(opened, member)
    results = press_together(6, lambda: actions.do_private_note(opened, world.member, text="hi"))
    assert [kind for kind, _ in results] == ["ok"] * 6, results
    seqs = list(MeetingEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert live_of(opened).last_seq == seqs[-1]
    assert AgendaItem.objects.filter(live_meeting=live_of(opened)).count() == 8


@pytest.mark.django_db(transaction=True)
def test_questions_racing_the_next_round_are_kept_only_before_it(world, opened):
    """Six questions and "next round" at once (on PostgreSQL a question is one round trip,
    revans.live.actions.question_in_one_trip): each question either comes before the move,
    numbered in order, or is refused as asked in the wrong round; none is kept after it."""
    from revans.live.models import Contribution
    from revans.live.tests.helpers import go_to_round, version

    go_to_round(opened, world.facilitator, 5, holders=[world.members[0]])
    seen = version(opened)
    askers = world.members[1:]
    calls = [
        (lambda n=n: actions.do_post_question(opened, askers[n % len(askers)], text=f"Why {n}?"))
        for n in range(6)
    ] + [lambda: actions.do_advance(opened, world.facilitator, expected_version=seen, confirm=True)]
    results = press_all(calls)
    assert len(results) == 7 and not [r for r in results if r[0] == "error"], results
    assert {value for kind, value in results if kind == "refused"} <= {"wrong_round"}
    live = live_of(opened)
    moved = MeetingEvent.objects.get(live_meeting=live, type="stage", payload__version=seen + 1)
    kept = Contribution.objects.filter(live_meeting=live, kind=Contribution.Kind.QUESTION)
    asked = MeetingEvent.objects.filter(live_meeting=live, type="contribution")
    assert kept.count() == asked.count() == sum(1 for kind, _ in results if kind == "ok") - 1
    assert all(seq < moved.seq for seq in asked.values_list("seq", flat=True))
    seqs = list(MeetingEvent.objects.filter(live_meeting=live).values_list("seq", flat=True))
    assert sorted(seqs) == list(range(1, live.last_seq + 1))
