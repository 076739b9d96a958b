"""Python's garbage collector, set for a long-running server process.

Each live act leaves a few reference cycles behind (Django's ORM makes them), and with the
default thresholds the collector paused the whole process for 10-15 ms about once a second
and for 70-95 ms every ten seconds or so, scanning the modules, models and open connections
that live as long as the process. In bench/live_meeting.py at 100 meetings x 8 those
pauses were the slow 1 % of updates (p99 40-87 ms; with this tuning 14-24 ms). So: everything
loaded at start-up is frozen out of collection, and collections run less often.
"""

from __future__ import annotations

import gc

THRESHOLDS = (20_000, 20, 20)


def tune_for_serving() -> None:
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
