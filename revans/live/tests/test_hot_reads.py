"""The reads and writes every act makes are hand-written SQL (revans.core.rows): they must
give and keep what the ORM does, and a question must cost the same few statements however
busy the meeting is."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from revans.accounts.models import User
from revans.core import rows
from revans.live import actions
from revans.live.actions.contributions import USER, _person_inside_sql
from revans.live.actions.core import agenda_items, begin, load_live
from revans.live.dispatch import check_access, dispatch, recheck_access
from revans.live.models import AgendaItem, Contribution, LiveMeeting, MeetingEvent
from revans.live.tests.helpers import go_to_round
from revans.meetings.access import holds_same_inside_role
from revans.meetings.models import Meeting
from revans.sets.models import LearningSet, SetMembership
from revans.testing import add_members, make_user

# Inside a test's transaction the act's atomic block is a savepoint.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")


def fields_of(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_locked_row_its_meeting_and_set_are_what_the_orm_reads(world, opened):
    go_to_round(opened, world.facilitator, 5, holders=[world.members[0]])
    live = LiveMeeting.objects.get(meeting=opened)
    actions.do_pause(opened, world.facilitator, question="What are we noticing?")
    access = check_access(world.member, opened.pk)
    with transaction.atomic():
        ctx = begin(access, world.member)
    expected = LiveMeeting.objects.get(pk=live.pk)
    assert fields_of(ctx.live) == fields_of(expected)
    assert ctx.live.paused is True and ctx.live.paused_at.tzinfo is not None
    assert fields_of(ctx.meeting) == fields_of(Meeting.objects.get(pk=opened.pk))
    assert fields_of(ctx.meeting.learning_set) == fields_of(opened.learning_set)
    assert ctx.live.meeting is ctx.meeting
    in_order = [fields_of(i) for i in AgendaItem.objects.filter(live_meeting=live)]
    assert len(in_order) == 8  # rounds 1-8 for one issue holder
    # begin() reads the agenda with the lock, in one statement; agenda_items() reads it again.
    assert [fields_of(i) for i in ctx.items()] == in_order
    assert all(i.live_meeting is ctx.live for i in ctx.items())
    assert [fields_of(i) for i in agenda_items(ctx.live)] == in_order


def test_the_locked_row_of_a_meeting_without_an_agenda_has_none(world, opened):
    AgendaItem.objects.filter(live_meeting__meeting=opened).delete()
    access = check_access(world.member, opened.pk)
    with transaction.atomic():
        ctx = begin(access, world.member)
    assert ctx.items() == [] and ctx.current() is None
    assert fields_of(ctx.live) == fields_of(LiveMeeting.objects.get(meeting=opened))


def test_a_question_goes_to_the_facilitator_or_a_current_member_only(world, opened):
    """The question is kept only if the person asked is inside the set, and that person is
    read with it (one statement on PostgreSQL)."""
    go_to_round(opened, world.facilitator, 5, holders=[world.members[0]])
    live = LiveMeeting.objects.get(meeting=opened)
    learning_set = opened.learning_set

    def ask(person) -> tuple[Contribution, User | None]:
        row = Contribution(
            live_meeting=live,
            author=world.members[1],
            kind=Contribution.Kind.QUESTION,
            visibility=Contribution.Visibility.SET,
            text="Who else knows?",
            addressed_to_id=person.pk,
            state=Contribution.QuestionState.OPEN,
            created_at=opened.starts_at,
        )
        params = [person.pk, learning_set.facilitator_id, learning_set.pk]
        with CaptureQueriesContext(connection) as captured:
            conn, found = rows.insert_if_found(row, _person_inside_sql, params)
        assert len(captured) == (1 if connection.vendor == "postgresql" else 1 + bool(found))
        return row, (USER.instance(conn, found) if found else None)

    for person in (world.facilitator, world.members[2]):
        row, found = ask(person)
        assert fields_of(found) == fields_of(User.objects.get(pk=person.pk))
        kept = Contribution.objects.get(pk=row.pk)
        assert fields_of(kept) == {**fields_of(row)}
        assert kept.addressed_to_id == person.pk and not row._state.adding
    before = Contribution.objects.count()
    row, found = ask(world.other_member)  # another set's member
    assert found is None and row.pk is None
    SetMembership.objects.filter(user=world.members[2]).update(left_at=opened.starts_at)
    row, found = ask(world.members[2])  # has left the set
    assert found is None and row.pk is None
    assert Contribution.objects.count() == before


def test_the_hand_written_writes_keep_what_the_orm_would(world, opened):
    go_to_round(opened, world.facilitator, 5, holders=[world.members[0]])
    live = LiveMeeting.objects.get(meeting=opened)
    item = agenda_items(live)[4]
    row = Contribution(
        live_meeting=live,
        agenda_item=item,
        author=world.members[1],
        kind=Contribution.Kind.QUESTION,
        visibility=Contribution.Visibility.SET,
        text="What would “done” look like? Ça va?",
        addressed_to=world.members[0],
        state=Contribution.QuestionState.OPEN,
        created_at=opened.starts_at,
    )
    rows.insert(row)
    assert row.pk is not None and not row._state.adding
    orm = Contribution.objects.create(**{**fields_of(row), "id": None})
    kept = {pk: fields_of(Contribution.objects.get(pk=pk)) for pk in (row.pk, orm.pk)}
    assert {**kept[row.pk], "id": None} == {**kept[orm.pk], "id": None}
    assert kept[row.pk]["created_at"] == opened.starts_at

    payload = {"id": row.pk, "text": row.text, "nested": {"ok": True, "n": [1, 2.5, None]}}
    events = [
        MeetingEvent(
            live_meeting=live,
            seq=live.last_seq + n,
            type="contribution",
            payload=payload,
            actor=world.members[1],
            audience_user_id=world.members[1].pk if n == 2 else None,
            created_at=opened.starts_at,
        )
        for n in (1, 2)
    ]
    rows.insert_all(events)
    saved = list(MeetingEvent.objects.filter(seq__gt=live.last_seq).order_by("seq"))
    assert [(e.seq, e.payload, e.audience_user_id) for e in saved] == [
        (live.last_seq + 1, payload, None),
        (live.last_seq + 2, payload, world.members[1].pk),
    ]
    assert all(
        e.created_at == opened.starts_at and e.actor_id == world.members[1].pk for e in saved
    )

    # One model through both: a one-row insert_all must not share insert()'s statement.
    alone = MeetingEvent(**{**fields_of(saved[0]), "id": None, "seq": live.last_seq + 3})
    rows.insert_all([alone])
    again = MeetingEvent(**{**fields_of(saved[0]), "id": None, "seq": live.last_seq + 4})
    rows.insert(again)
    assert MeetingEvent.objects.get(pk=again.pk).seq == live.last_seq + 4

    before = fields_of(LiveMeeting.objects.get(pk=live.pk))
    live.last_seq += 2
    live.paused = True  # changed here but not named: must not be written
    rows.update(live, ["last_seq"])
    after = fields_of(LiveMeeting.objects.get(pk=live.pk))
    assert after == {**before, "last_seq": before["last_seq"] + 2}

    # The pair that ends every act (one statement on PostgreSQL) writes what the two would.
    live.version += 1
    live.last_seq += 4  # past the four events above
    pair = [
        MeetingEvent(**{**fields_of(saved[0]), "id": None, "seq": live.last_seq - 1}),
        MeetingEvent(**{**fields_of(saved[1]), "id": None, "seq": live.last_seq}),
    ]
    with CaptureQueriesContext(connection) as captured:
        rows.update_then_insert_all(live, ["version", "last_seq"], pair)
    assert len(captured) == (1 if connection.vendor == "postgresql" else 2)
    assert all(not e._state.adding for e in pair)
    assert fields_of(LiveMeeting.objects.get(pk=live.pk)) == {
        **after,
        "version": after["version"] + 1,
        "last_seq": after["last_seq"] + 4,
    }
    assert [
        (e.seq, e.payload, e.audience_user_id)
        for e in MeetingEvent.objects.filter(seq__gt=after["last_seq"] + 2).order_by("seq")
    ] == [(live.last_seq - 1, payload, None), (live.last_seq, payload, world.members[1].pk)]


def statements(fn) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [
        q["sql"] for q in captured.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)
    ]


def test_a_question_costs_the_same_few_statements_however_busy_the_meeting(world, opened):
    """Lock and read the meeting, its agenda, the person asked; write the question, the
    meeting's counters and the event (on PostgreSQL, two statements for the six)."""
    go_to_round(opened, world.facilitator, 5, holders=[world.members[0]])
    asker = world.members[1]
    access = check_access(asker, opened.pk)

    def ask(n: int) -> None:
        outcome = dispatch(
            asker, opened.pk, {"action": "post_question", "text": f"Why {n}?"}, access
        )
        assert outcome["ok"], outcome

    first = statements(lambda: ask(0))
    more = [make_user(f"busy{i}@client.example") for i in range(6)]
    add_members(world.set_a, more)
    for n in range(30):
        ask(n + 1)
    later = statements(lambda: ask(99))
    if connection.vendor == "postgresql":
        # The lock, then the checks, the question, the counters and the event in one
        # statement (revans.live.actions.question_in_one_trip).
        expected = ["SELECT", "WITH"]
    else:
        expected = ["SELECT", "SELECT", "SELECT", "INSERT", "UPDATE", "INSERT"]
    assert [s.split()[0] for s in first] == expected
    assert [s.split()[0] for s in later] == [s.split()[0] for s in first]


def prepared() -> dict[str, int]:
    """Each statement prepared on the server for this test's connection, and how often it has
    run."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans + custom_plans FROM pg_prepared_statements")
        return dict(cursor.fetchall())


def runs_of_locks() -> int:
    return sum(n for sql, n in prepared().items() if "FOR UPDATE OF" in sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_an_acts_statements_are_prepared_once_and_reused(opened, questioning):
    ask = questioning
    assert ask("Why now?")["ok"]
    first, locks = prepared(), runs_of_locks()
    assert ask("What else?")["ok"]
    assert prepared().keys() == first.keys()  # nothing new to prepare
    assert runs_of_locks() == locks + 1  # the question's lock, run again
    # A refusal rolls its transaction back, and psycopg then forgets what it prepared: the
    # next act prepares its statements again and works; none is there twice.
    refused = ask("It is obvious.")
    assert not refused["ok"] and refused["code"] == "not_a_question"
    assert ask("Who decides?")["ok"]
    assert ask("And then?")["ok"]
    again = prepared()
    assert again.keys() <= first.keys() and any("FOR UPDATE OF" in sql for sql in again)
    assert Contribution.objects.filter(live_meeting__meeting=opened).count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_with_prepared_statements_turned_off_nothing_is_prepared(world, opened):
    """REVANS_DB_PREPARED_STATEMENTS=0 gives the connections no threshold (settings), for a
    pooler that cannot keep prepared statements: acts then send plain statements."""
    go_to_round(opened, world.facilitator, 5, holders=[world.members[0]])
    asker = world.members[1]
    access = check_access(asker, opened.pk)
    connection.ensure_connection()
    raw = connection.connection
    before = prepared()  # what moving to round 5 prepared and ran
    threshold, raw.prepare_threshold = raw.prepare_threshold, None
    try:
        for n in range(3):
            message = {"action": "post_question", "text": f"Why {n}?"}
            assert dispatch(asker, opened.pk, message, access)["ok"]
        message = {"action": "private_note", "text": "Ask about the budget."}
        assert dispatch(asker, opened.pk, message, access)["ok"]
        assert prepared() == before
    finally:
        raw.prepare_threshold = threshold


def test_the_periodic_recheck_keeps_an_unchanged_access_in_one_query(
    world, opened, django_assert_num_queries
):
    held = check_access(world.member, opened.pk)
    with django_assert_num_queries(1):
        assert recheck_access(world.member, opened.pk, held) is held
    fac_held = check_access(world.facilitator, opened.pk)
    assert recheck_access(world.facilitator, opened.pk, fac_held) is fac_held


def test_the_periodic_recheck_notices_any_change_to_the_persons_place(world, opened):
    member, facilitator = world.member, world.facilitator
    held, fac_held = check_access(member, opened.pk), check_access(facilitator, opened.pk)
    # The set gets a new facilitator: the old one is out, a full check says so.
    opened.learning_set.facilitator = world.set_b.facilitator
    opened.learning_set.save(update_fields=["facilitator"])
    assert not holds_same_inside_role(facilitator, fac_held)
    assert recheck_access(facilitator, opened.pk, fac_held) is None
    # The member leaves: shut out.
    SetMembership.objects.filter(user=member).update(left_at=opened.starts_at)
    assert recheck_access(member, opened.pk, held) is None
    # Joins again (a new membership): a full check gives a new access.
    SetMembership.objects.create(learning_set=opened.learning_set, user=member)
    renewed = recheck_access(member, opened.pk, held)
    assert renewed is not None and renewed is not held and renewed.role.is_member


def test_loading_the_live_meeting_for_a_read_gives_what_the_orm_would(world, opened):
    live = load_live(opened.pk)
    assert fields_of(live) == fields_of(LiveMeeting.objects.get(meeting=opened))
    assert live.meeting is not None and fields_of(live.meeting) == fields_of(opened)
    learning_set = live.meeting.learning_set
    assert fields_of(learning_set) == fields_of(LearningSet.objects.get(pk=learning_set.pk))
    assert fields_of(learning_set.facilitator) == fields_of(world.facilitator)
    # A set whose facilitator has gone (self-managed), and a meeting never opened.
    LearningSet.objects.filter(pk=learning_set.pk).update(facilitator=None)
    assert load_live(opened.pk).meeting.learning_set.facilitator is None
    assert load_live(opened.pk + 10_000) is None
