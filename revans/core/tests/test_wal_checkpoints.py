"""A serving process on SQLite checkpoints the write-ahead log from a thread of its own, so
no live act pays for a checkpoint inside its write turn (revans.core.wal_checkpoints)."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import connection, connections

from revans.core import wal_checkpoints
from revans.organisations.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


def autocheckpoint_of_a_new_connection() -> int:
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("PRAGMA wal_autocheckpoint")
            return cursor.fetchone()[0]
    finally:
        fresh.close()


@pytest.fixture
def checkpointer():
    thread = wal_checkpoints.start_for_serving()
    yield thread
    wal_checkpoints.stop()


def test_on_sqlite_the_thread_checkpoints_and_connections_leave_it_the_work(checkpointer):
    if connection.vendor != "sqlite":
        assert checkpointer is None
        return
    assert checkpointer.is_alive()
    assert wal_checkpoints.start_for_serving() is checkpointer  # once per process
    assert autocheckpoint_of_a_new_connection() == wal_checkpoints.FALLBACK_PAGES
    for n in range(20):
        Organisation.objects.create(name=f"Org {n}", slug=f"org-{n}", kind="provider")
    busy, in_log, copied = wal_checkpoints.checkpoint(str(connection.settings_dict["NAME"]))
    assert busy == 0
    assert in_log == copied  # every committed page is back in the database file
    assert Organisation.objects.filter(slug__startswith="org-").count() == 20


def test_stopped_connections_checkpoint_by_themselves_again(checkpointer):
    wal_checkpoints.stop()
    if connection.vendor == "sqlite":
        assert not checkpointer.is_alive()
        assert autocheckpoint_of_a_new_connection() == 1000  # SQLite's default


def test_a_checkpoint_never_creates_a_missing_database(tmp_path):
    with pytest.raises(sqlite3.OperationalError):
        wal_checkpoints.checkpoint(str(tmp_path / "missing.sqlite3"))
    assert not (tmp_path / "missing.sqlite3").exists()
