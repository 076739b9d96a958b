"""The served application sets the process up for a busy live meeting (revans.asgi)."""

from __future__ import annotations

import gc
import sys

from revans.core import gc_tuning, thread_switching


def test_the_served_application_tunes_collection_and_thread_switching():
    import revans.asgi  # noqa: F401  (what `revans serve` loads)

    # A thread back from the database gets the interpreter within half a millisecond,
    # not Python's default 5 ms.
    assert sys.getswitchinterval() == thread_switching.SWITCH_INTERVAL_SECONDS
    assert gc.get_threshold() == gc_tuning.THRESHOLDS
