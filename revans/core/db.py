"""Database helpers shared by the apps."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

# SQLite lets one transaction write at a time. A thread that finds the write lock taken
# sleeps in SQLite's busy handler, in steps that grow to 100 ms, however soon the lock is
# free again. Under a busy live meeting that sleeping, not the writing, made updates
# seconds late (bench/live_meeting.py). Threads of this process therefore queue on a
# Python lock, which wakes the next writer as soon as the last one commits.
_sqlite_writer = threading.RLock()


@contextmanager
def one_writer_at_a_time(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Wrap a writing transaction (outside its atomic block, so the turn lasts until the
    commit and its on-commit callbacks are done). PostgreSQL needs nothing: its row locks
    queue writers without sleeping."""
    if connections[using].vendor != "sqlite":
        yield
        return
    with _sqlite_writer:
        yield
