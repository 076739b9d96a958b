"""How soon a thread that waits for the interpreter gets it back, in a server process.

A live act runs on a thread of its own (revans.live.consumers) and, on PostgreSQL, waits for
the database server three times. Each time the answer arrives, the thread needs the
interpreter back from the event loop, which holds it while it sends other meetings' updates.
Python lets a waiting thread wait up to its switch interval (5 ms by default) before it asks
the holder to let go. At 0.5 ms, in bench/live_meeting.py with PostgreSQL + Redis (100
meetings x 8 clients, three pairs of 30 s runs taken in turn), an act's time in the server
went from 2.5-2.8 to 2.4-2.5 ms at p50, and a question's whole path from 4.4-4.9 to 4.1-4.3
ms. The embedded default (SQLite) did not change either way (two pairs).
"""

from __future__ import annotations

import sys

SWITCH_INTERVAL_SECONDS = 0.0005


def tune_for_serving() -> None:
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
