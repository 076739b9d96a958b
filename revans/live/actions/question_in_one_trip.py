"""A question, the commonest act of a live meeting, in one round trip to PostgreSQL.

The full act (contributions.do_post_question, through core.live_action) takes three round
trips: it must read the meeting before Python can check the question. Here the checks that
need the meeting go into the statement instead, so BEGIN, the lock, the checked write and
COMMIT go to the server together (a psycopg pipeline) and the act waits for it once.

Only the plain case is taken: a question that passes the ground rule, asked in the
questioning round of a running, unpaused meeting, of someone inside the set other than the
asker. Anything else (a reply, a refusal of any kind) is left to the full act, which says
why: the statement then writes nothing and this returns None. So the reasons and their
wording live in one place; the conditions below are the full act's own (_require_round,
_person_inside_sql), and revans/live/tests/test_question_in_one_trip.py holds the two paths
to the same rows, events and refusals.

Why two statements, the lock and then the write: in READ COMMITTED each statement reads
the data as it was when the statement began. The write begins after the lock is held, so it
reads the agenda and the set as the lock holder left them; a single statement that locked
the row itself would read them as they were before it waited for the lock.
"""

from __future__ import annotations

import json
import weakref

from django.db import DEFAULT_DB_ALIAS, ProgrammingError, connections
from django.utils import timezone
from psycopg import errors, pq

from revans.accounts.models import User
from revans.core import rows
from revans.live import serialize
from revans.live.actions.core import announce_on_commit
from revans.live.models import (
    TEXT_MAX_LENGTH,
    AgendaItem,
    Contribution,
    LiveMeeting,
    MeetingEvent,
)
from revans.live.questions import hints_for, is_question
from revans.live.refusals import MeetingRefused, clean_text
from revans.meetings.access import MeetingAccess
from revans.meetings.models import Meeting
from revans.sets.models import LearningSet, SetMembership

QUESTIONING = 5


def _table(model) -> str:
    return model._meta.db_table


def _lock_sql(connection) -> str:
    return f"SELECT 1 FROM {_table(LiveMeeting)} l WHERE l.meeting_id = %s FOR UPDATE OF l"


def _write_sql(connection) -> str:
    """Parameters: meeting id, running status, addressed to (or NULL: the issue holder),
    asker; the contribution's asker, kind, visibility, text, state, time; the event's type,
    payload (all but id, position and addressed_to), actor and time."""
    return f"""
WITH live AS (
    SELECT l.id, l.last_seq, l.version, l.stage_position, l.status, l.paused,
           l.issue_holder_1_id, l.issue_holder_2_id, s.id AS set_id, s.facilitator_id
    FROM {_table(LiveMeeting)} l
    JOIN {_table(Meeting)} m ON m.id = l.meeting_id
    JOIN {_table(LearningSet)} s ON s.id = m.learning_set_id
    WHERE l.meeting_id = CAST(%s AS bigint)
), agenda AS (
    SELECT a.id, a.position, a.round, a.issue_slot,
           row_number() OVER (ORDER BY a.position) - 1 AS place, count(*) OVER () AS size
    FROM {_table(AgendaItem)} a JOIN live ON a.live_meeting_id = live.id
), item AS (
    -- Ctx.current(): the agenda item at the stage's place, or the last one.
    SELECT agenda.* FROM agenda, live
    WHERE agenda.place = LEAST(live.stage_position, agenda.size - 1)
), asked AS (
    -- The membership is looked up for the one person asked. Written as EXISTS beside the
    -- OR, PostgreSQL hashed every current membership of every set to answer it: a cost
    -- that grew with the whole database, not with the meeting.
    SELECT u.id, COALESCE(NULLIF(u.full_name, ''), u.email) AS name
    FROM {_table(User)} u CROSS JOIN live CROSS JOIN item
    LEFT JOIN LATERAL (
        SELECT 1 AS found FROM {_table(SetMembership)} sm
        WHERE sm.user_id = u.id AND sm.learning_set_id = live.set_id AND sm.left_at IS NULL
        LIMIT 1
    ) membership ON true
    WHERE live.status = %s AND NOT live.paused AND item.round = {QUESTIONING}
      AND u.id = COALESCE(
          CAST(%s AS bigint),
          CASE item.issue_slot
              WHEN 1 THEN live.issue_holder_1_id WHEN 2 THEN live.issue_holder_2_id
          END)
      AND u.id <> CAST(%s AS bigint)
      AND (u.id = live.facilitator_id OR membership.found IS NOT NULL)
), added AS (
    INSERT INTO {_table(Contribution)} (live_meeting_id, agenda_item_id, author_id, kind,
        visibility, text, addressed_to_id, in_reply_to_id, state, created_at)
    SELECT live.id, item.id, CAST(%s AS bigint), %s, %s, %s, asked.id, NULL, %s,
           CAST(%s AS timestamptz)
    FROM live, item, asked
    RETURNING id
), counted AS (
    UPDATE {_table(LiveMeeting)} l SET last_seq = live.last_seq + 1
    FROM live, added WHERE l.id = live.id
    RETURNING l.last_seq, l.version
), told AS (
    INSERT INTO {_table(MeetingEvent)} (live_meeting_id, seq, type, payload, actor_id,
        audience_user_id, created_at)
    SELECT live.id, counted.last_seq, %s,
           CAST(%s AS jsonb) || jsonb_build_object(
               'id', added.id, 'position', item.position,
               'addressed_to', jsonb_build_object('id', asked.id, 'name', asked.name)),
           CAST(%s AS bigint), NULL, CAST(%s AS timestamptz)
    FROM live, item, asked, added, counted
)
SELECT added.id, counted.last_seq, counted.version, item.position, asked.id, asked.name
FROM added, counted, item, asked
"""


def post(access: MeetingAccess, actor, text, addressed_to) -> dict | None:
    """The question asked and announced, as the full act's outcome; None when this path does
    not take it (not PostgreSQL, or anything the full act would refuse or treat apart)."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        return None
    try:
        text = clean_text(text, max_length=TEXT_MAX_LENGTH)
        addressed_to = None if addressed_to is None else int(addressed_to)
    except (MeetingRefused, TypeError, ValueError):
        return None
    if not is_question(text):
        return None
    now = timezone.now()
    # The event's payload as serialize.contribution() writes it; the statement fills in
    # what only the database knows (the new id, the agenda item, who was asked).
    template = serialize.contribution(
        Contribution(
            author=actor,
            kind=Contribution.Kind.QUESTION,
            text=text,
            state=Contribution.QuestionState.OPEN,
            created_at=now,
        ),
        author=actor,
    )
    params = [
        access.meeting.pk,
        LiveMeeting.Status.RUNNING,
        addressed_to,
        actor.pk,
        actor.pk,
        Contribution.Kind.QUESTION,
        Contribution.Visibility.SET,
        text,
        Contribution.QuestionState.OPEN,
        now,
        "contribution",
        json.dumps(template),
        actor.pk,
        now,
    ]
    found = _lock_and_write(connection, access.meeting.pk, params)
    if found is None:
        return None
    contribution_id, seq, version, position, asked_id, asked_name = found
    payload = {
        **template,
        "id": contribution_id,
        "position": position,
        "addressed_to": {"id": asked_id, "name": asked_name},
    }
    announce_on_commit(access.meeting.pk, seq, None, "contribution", payload, now)
    return {
        "version": version,
        "seq": seq,
        "contribution_id": contribution_id,
        "hints": hints_for(text),
    }


def _lock_and_write(connection, meeting_id: int, params: list) -> tuple | None:
    """The lock and the write; the row the write returns, or None if it wrote nothing.
    Outside a transaction (a live socket's act) with BEGIN and COMMIT, all in one message
    (_in_one_message); inside one (a test's, or a caller's atomic block) as its next two
    statements."""
    connection.ensure_connection()
    raw = connection.connection
    if connection.in_atomic_block or not raw.autocommit:
        with rows.prepared_cursor(connection) as lock, rows.prepared_cursor(connection) as write:
            lock.execute(rows.statement(connection, _lock_sql), [meeting_id])
            write.execute(rows.statement(connection, _write_sql), params)
            return write.fetchone()
    try:
        try:
            return _in_one_message(connection, raw, meeting_id, params)
        except ProgrammingError as error:
            if not isinstance(error.__cause__, errors.InvalidSqlStatementName):
                raise
            # The server forgot the statements (a pooler's DISCARD ALL, say): nothing was
            # written, so prepare them again and send it again, once.
            raw.rollback()
            _prepared.discard(raw)
            return _in_one_message(connection, raw, meeting_id, params)
    finally:
        # A statement that failed left the transaction open and aborted: nothing of it is
        # kept, and the connection goes back as Django expects it, idle in autocommit.
        if raw.info.transaction_status != pq.TransactionStatus.IDLE:
            raw.rollback()


# Raw connections (the pool keeps them) on which this module's statements are prepared.
_prepared: weakref.WeakSet = weakref.WeakSet()
LOCK_NAME, WRITE_NAME = "revans_question_lock", "revans_question_write"


def _in_one_message(connection, raw, meeting_id: int, params: list) -> tuple | None:
    """BEGIN, the lock, the write and COMMIT as one simple query: the server runs them in
    turn (each on a snapshot of its own, as READ COMMITTED takes one per statement) and
    answers once, after the commit. Sent as a pipeline of four extended-protocol messages,
    the same act took longer: each message was a write of its own, and the server woke for
    each (bench/README.md). The statements are prepared on the server once per connection
    and run with EXECUTE, their parameters bound here as literals (client-side binding);
    without prepared statements (REVANS_DB_PREPARED_STATEMENTS=0) they are sent whole."""
    if raw.prepare_threshold is None:
        lock = rows.statement(connection, _lock_sql)
        write = rows.statement(connection, _write_sql)
    else:
        if raw not in _prepared:
            _prepare(connection, raw)
        lock = f"EXECUTE {LOCK_NAME}(%s)"
        write = f"EXECUTE {WRITE_NAME}({', '.join(['%s'] * len(params))})"
    # Django's own cursor (client-side binding, as settings leave it), so the act is logged
    # as Django logs any query.
    with connection.cursor() as cursor:
        cursor.execute(f"BEGIN; {lock}; {write}; COMMIT", [meeting_id, *params])
        cursor.nextset()  # past BEGIN to the lock
        cursor.nextset()  # to the write
        return cursor.fetchone()


def _prepare(connection, raw) -> None:
    lock = _numbered(rows.statement(connection, _lock_sql))
    write = _numbered(rows.statement(connection, _write_sql))
    with connection.cursor() as cursor:
        cursor.execute(f"PREPARE {LOCK_NAME} AS {lock}; PREPARE {WRITE_NAME} AS {write}")
    _prepared.add(raw)


def _numbered(sql: str) -> str:
    """The statement with PostgreSQL's numbered parameters ($1, $2...) for its %s."""
    parts = sql.split("%s")
    return "".join(
        part + (f"${number}" if number < len(parts) else "")
        for number, part in enumerate(parts, start=1)
    )
