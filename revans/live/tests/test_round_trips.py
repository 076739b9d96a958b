"""An act outside any other transaction, as a live socket makes it: on PostgreSQL its BEGIN
goes with its first reads and its COMMIT with its last write (revans.core.rows.fetch_first,
update_then_insert_all(last=True)), and a plain question goes whole in one round trip
(revans.live.actions.question_in_one_trip). What is kept, refused or announced must not
change."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections
from psycopg import pq

from revans.live import broadcast
from revans.live.models import Contribution, LiveMeeting, MeetingEvent
from revans.testing import protocol_messages, round_trips

pytestmark = pytest.mark.django_db(transaction=True)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="round trips to the server: PostgreSQL"
)


def questions_in(meeting) -> list[str]:
    return list(
        Contribution.objects.filter(live_meeting__meeting=meeting)
        .order_by("pk")
        .values_list("text", flat=True)
    )


def seen_by_another_connection(meeting) -> list[str]:
    """What a second connection (another thread) reads: only what has been committed."""
    seen: list[str] = []

    def read() -> None:
        try:
            seen.extend(questions_in(meeting))
        finally:
            connections.close_all()

    reader = threading.Thread(target=read)
    reader.start()
    reader.join()
    return seen


def assert_out_of_the_transaction() -> None:
    """Back as Django left it: autocommit, and nothing open on the server."""
    raw = connection.connection
    assert connection.get_autocommit() and raw.autocommit
    assert raw.info.transaction_status == pq.TransactionStatus.IDLE


@on_postgresql
def test_a_question_is_one_round_trip_and_announced_only_once_committed(
    opened, questioning, monkeypatch
):
    heard = []

    def announce(meeting_id, seq, audience_user_id, event=None):
        # On commit: a second connection already reads the question.
        heard.append((seq, event["type"], seen_by_another_connection(opened)))

    # The first question on a connection prepares its statements (one more round trip).
    assert questioning("What do you want from today?")["ok"]
    monkeypatch.setattr(broadcast, "send", announce)
    outcomes = []
    # BEGIN, the lock, the checked question with the meeting's counters and its event, and
    # COMMIT, sent together.
    assert round_trips(lambda: outcomes.append(questioning("What have you tried?"))) == 1
    assert outcomes[0]["ok"], outcomes
    live = LiveMeeting.objects.get(meeting=opened)
    assert heard == [
        (
            live.last_seq,
            "contribution",
            ["What do you want from today?", "What have you tried?"],
        )
    ]
    assert_out_of_the_transaction()


@on_postgresql
def test_any_other_act_is_three_round_trips(world, opened, questioning, announced):
    """Other acts take the full frame. A private note: BEGIN with the lock and the agenda;
    the note; the meeting's counters and the event with COMMIT."""
    from revans.live.dispatch import check_access, dispatch

    writer = world.members[2]
    access = check_access(writer, opened.pk)

    def note(text: str) -> dict:
        return dispatch(writer, opened.pk, {"action": "private_note", "text": text}, access)

    assert note("Ask about the budget.")["ok"]  # prepares its statements
    outcomes: list[dict] = []
    assert round_trips(lambda: outcomes.append(note("And the timing."))) == 3
    assert outcomes[0]["ok"], outcomes
    assert_out_of_the_transaction()


def test_a_refused_act_keeps_nothing_and_the_next_one_works(opened, questioning, announced):
    assert questioning("What matters most?")["ok"]
    live = LiveMeeting.objects.get(meeting=opened)
    announced.clear()
    refused = questioning("This is obvious.")
    assert not refused["ok"] and refused["code"] == "not_a_question"
    assert announced == []
    assert LiveMeeting.objects.get(meeting=opened).version == live.version
    if connection.vendor == "postgresql":
        assert_out_of_the_transaction()
    assert questioning("Who else is involved?")["ok"]
    assert questions_in(opened) == ["What matters most?", "Who else is involved?"]
    assert seen_by_another_connection(opened) == questions_in(opened)


def test_a_write_that_fails_with_the_commit_keeps_nothing_and_announces_nothing(
    opened, questioning, announced
):
    """Someone else's event already holds the number the act would give its own: the
    event's insert fails in the statement sent with COMMIT. The whole act is undone."""
    live = LiveMeeting.objects.get(meeting=opened)
    MeetingEvent.objects.create(live_meeting=live, seq=live.last_seq + 1, type="stage", payload={})
    announced.clear()
    with pytest.raises(IntegrityError):
        questioning("What would change if it worked?")
    assert announced == []
    assert questions_in(opened) == [] == seen_by_another_connection(opened)
    after = LiveMeeting.objects.get(meeting=opened)
    assert (after.version, after.last_seq) == (live.version, live.last_seq)
    if connection.vendor == "postgresql":
        assert_out_of_the_transaction()
    # The connection is still good: the next act (its number moved past the stray event)
    # is kept.
    LiveMeeting.objects.filter(pk=live.pk).update(last_seq=live.last_seq + 1)
    assert questioning("What is in your way?")["ok"]
    assert questions_in(opened) == ["What is in your way?"]


@on_postgresql
def test_a_question_goes_to_the_server_as_one_message(opened, questioning, announced):
    """BEGIN, the lock, the checked write and COMMIT in one simple query: the server wakes
    for it once and answers once (question_in_one_trip._in_one_message)."""
    assert questioning("What do you want from today?")["ok"]  # prepares its statements
    messages = to_the_server(lambda: questioning("What have you tried?"))
    assert [m.split(" ", 1)[0] for m in messages] == ["Query"]
    assert questions_in(opened) == ["What do you want from today?", "What have you tried?"]
    assert_out_of_the_transaction()


@on_postgresql
def test_a_server_that_forgot_the_prepared_statements_still_takes_the_question(
    opened, questioning, announced
):
    """A pooler in front of PostgreSQL may discard a connection's prepared statements: the
    question is sent again with them prepared anew, once, and kept once."""
    assert questioning("What do you want from today?")["ok"]
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    announced.clear()
    assert questioning("What have you tried?")["ok"]
    assert questions_in(opened) == ["What do you want from today?", "What have you tried?"]
    assert len(announced) == 1
    assert_out_of_the_transaction()


@on_postgresql
def test_without_prepared_statements_a_question_is_still_one_message(
    opened, questioning, announced, monkeypatch
):
    """REVANS_DB_PREPARED_STATEMENTS=0 (a pooler that cannot keep them): the statements go
    whole in the same single message, none of them run as a prepared one."""
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    (message,) = to_the_server(lambda: questioning("What have you tried?"))
    assert message.startswith('Query "BEGIN; SELECT 1 FROM')
    assert "FOR UPDATE" in message and "EXECUTE" not in message
    assert questions_in(opened) == ["What have you tried?"]
    assert_out_of_the_transaction()


def to_the_server(act) -> list[str]:
    """The text of each protocol message `act` sent the database's server."""
    return [text for direction, text in protocol_messages(act) if direction == "F"]
