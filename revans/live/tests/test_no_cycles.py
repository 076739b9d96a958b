"""What a busy server does most (a question asked, a connection catching up, the periodic
access re-check) leaves no reference cycles behind. Cycles are freed only by Python's
garbage collector, whose pauses stop the whole server process: with an act leaving a dozen
objects in cycles, they were among the slowest updates of bench/live_meeting.py."""

from __future__ import annotations

import collections
import gc

from revans.live.dispatch import check_access, dispatch, read, recheck_access
from revans.live.tests.helpers import go_to_round


def left_in_cycles(step, times: int = 5) -> collections.Counter:
    """The types of objects `step` leaves that only the garbage collector would free."""
    step()  # first calls build per-connection caches, which are meant to last
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        del gc.garbage[:]
        for _ in range(times):
            step()
        gc.collect()
        return collections.Counter(type(o).__qualname__ for o in gc.garbage)
    finally:
        del gc.garbage[:]
        gc.set_debug(0)
        if enabled:
            gc.enable()


def test_asking_catching_up_and_rechecking_leave_no_cycles(world, opened):
    go_to_round(opened, world.facilitator, 5, holders=[world.members[0]])
    asker, listener = world.members[1], world.members[2]
    held = check_access(asker, opened.pk)
    listening = check_access(listener, opened.pk)
    asked = iter(range(100))

    def ask():
        text = f"What would change if you tried option {next(asked)}?"
        answer = dispatch(asker, opened.pk, {"action": "post_question", "text": text}, held)
        assert answer["ok"], answer

    def catch_up():
        answer = read(listener, opened.pk, {"what": "since", "seq": 1}, listening)
        assert answer["ok"] and answer["events"], answer

    def recheck():
        assert recheck_access(asker, opened.pk, held) is held

    assert left_in_cycles(ask) == {}
    assert left_in_cycles(catch_up) == {}
    assert left_in_cycles(recheck) == {}
    # The full check, made when a connection opens or the set's people change: Django's query
    # compiler leaves a closure of its own (select_related), but the meeting a connection
    # keeps is not held in a cycle with its live meeting (Meeting.live_status).
    left = left_in_cycles(lambda: check_access(listener, opened.pk))
    assert not {"Meeting", "LiveMeeting", "dict"} & set(left), left
