"""SQLite's write-ahead log checkpointed by a background thread, not by whoever commits.

By default SQLite copies the log back into the database (a checkpoint, with an fsync) inside
the commit that takes the log past 1,000 pages. A live question writes about 14 pages, so
every 70th act or so paid 6-8 ms for it (and now and then 80 ms), holding the write turn
that every other meeting's act was queued behind: in bench/live_meeting.py at 100 meetings
x 8 these were the slow 1-2 % of updates. A serving process therefore checkpoints from a
thread of its own, every two seconds, in SQLite's PASSIVE mode (which waits for no reader
or writer: commits and reads go on alongside), and its connections leave the log to it.

Durability is unchanged: a commit is in the log before it is acknowledged, whoever copies
it back later. Should the thread ever stop, the connections still checkpoint by themselves
once the log reaches FALLBACK_PAGES, so the log cannot grow without bound.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from urllib.parse import quote

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 2.0
# About 40 MB of log; at a busy 100 questions a second the thread keeps it near 11 MB.
FALLBACK_PAGES = 10_000

_started: threading.Thread | None = None
_stop = threading.Event()
_lock = threading.Lock()


def checkpoint(path: str) -> tuple[int, int, int]:
    """One PASSIVE checkpoint of the database at `path`: (busy, pages in the log, pages
    copied back). Its own connection: SQLite checkpoints a file, not a connection's view."""
    # mode=rw: never create the file (a checkpoint of a database that is not there).
    conn = sqlite3.connect(f"file:{quote(path)}?mode=rw", uri=True, timeout=1)
    try:
        return conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    finally:
        conn.close()


def _leave_checkpoints_to_the_thread(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite" and connection.alias == DEFAULT_DB_ALIAS:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")


def _run(path: str, stop: threading.Event) -> None:
    while not stop.wait(INTERVAL_SECONDS):
        try:
            checkpoint(path)
        except sqlite3.Error:
            # A locked or missing file now is no reason to stop: the next turn tries again,
            # and the connections' own fallback covers any gap.
            log.exception("SQLite checkpoint failed; trying again shortly")


def start_for_serving() -> threading.Thread | None:
    """In a serving process on SQLite, once: start the thread and make this process's new
    connections leave checkpoints to it. Does nothing on PostgreSQL."""
    global _started, _stop
    settings_dict = connections[DEFAULT_DB_ALIAS].settings_dict
    if connections[DEFAULT_DB_ALIAS].vendor != "sqlite" or _is_in_memory(settings_dict["NAME"]):
        return None
    with _lock:
        if _started is not None and _started.is_alive():
            return _started
        _stop = threading.Event()
        connection_created.connect(
            _leave_checkpoints_to_the_thread, dispatch_uid="revans-wal-checkpoints"
        )
        # Connections opened before now (start-up work) would otherwise keep checkpointing.
        for conn in connections.all(initialized_only=True):
            if conn.vendor == "sqlite" and conn.connection is not None:
                _leave_checkpoints_to_the_thread(None, conn)
        _started = threading.Thread(
            target=_run,
            args=(str(settings_dict["NAME"]), _stop),
            name="revans-wal-checkpoints",
            daemon=True,
        )
        _started.start()
        return _started


def _is_in_memory(name) -> bool:
    return str(name) in {":memory:", ""} or "mode=memory" in str(name)


def stop() -> None:
    """Stop the thread and let new connections checkpoint by themselves again (tests)."""
    global _started
    with _lock:
        connection_created.disconnect(dispatch_uid="revans-wal-checkpoints")
        _stop.set()
        if _started is not None:
            _started.join(timeout=10)
        _started = None
