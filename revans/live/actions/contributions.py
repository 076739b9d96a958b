"""What people write during rounds 4-7: questions, answers, notes, learning, feedback, actions.

The ground rules live here: in round 4 only the issue holder holds the floor (others may
write private notes), and in round 5 a statement is accepted only as an answer to a question.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from revans.accounts.models import User
from revans.commitments.actions import do_add_commitment_from_meeting
from revans.core import rows
from revans.live import refusals, serialize
from revans.live.actions import question_in_one_trip
from revans.live.actions.core import Ctx, inside, live_action, meeting_id_of
from revans.live.models import TEXT_MAX_LENGTH, AgendaItem, Contribution
from revans.live.questions import hints_for, is_question
from revans.live.refusals import MeetingRefused
from revans.meetings.access import MeetingAccess
from revans.sets.models import SetMembership

Kind = Contribution.Kind
State = Contribution.QuestionState

WRONG_ROUND = {
    5: lambda: _("Questions are asked in the questioning round."),
    6: lambda: _("Learning and feedback are recorded in the feedback and reflection round."),
    7: lambda: _("Actions are written in the issue holder's actions round."),
}


def _require_round(ctx: Ctx, round_: int) -> AgendaItem:
    current = ctx.require_running()
    if current.round == 4 and ctx.actor.pk != ctx.holder_id(current):
        raise refusals.presenting()
    if current.round != round_:
        raise refusals.wrong_round(WRONG_ROUND[round_]())
    return current


USER = rows.Columns(User, "u")
MEMBERSHIP = rows.Columns(SetMembership, "sm")


def _person_inside_sql(connection) -> str:
    user_id = USER.col(connection, "id")
    return (
        f"SELECT {USER.sql(connection)} FROM {USER.table(connection)}"
        f" WHERE {user_id} = %s AND ({user_id} = %s OR EXISTS ("
        f"SELECT 1 FROM {MEMBERSHIP.table(connection)}"
        f" WHERE {MEMBERSHIP.col(connection, 'user')} = {user_id}"
        f" AND {MEMBERSHIP.col(connection, 'learning_set')} = %s"
        f" AND {MEMBERSHIP.col(connection, 'left_at')} IS NULL))"
    )


def _new(ctx: Ctx, item: AgendaItem | None, kind: str, text: str, **fields) -> Contribution:
    private = kind == Kind.PRIVATE_NOTE
    return Contribution(
        live_meeting=ctx.live,
        agenda_item=item,
        author=ctx.actor,
        kind=kind,
        visibility=Contribution.Visibility.AUTHOR if private else Contribution.Visibility.SET,
        text=text,
        created_at=ctx.now,
        **fields,
    )


def _save(ctx: Ctx, item: AgendaItem | None, kind: str, text: str, **fields) -> Contribution:
    row = _new(ctx, item, kind, text, **fields)
    rows.insert(row)
    emit(ctx, row)
    return row


def emit(ctx: Ctx, row: Contribution) -> int:
    audience = row.author_id if row.visibility == Contribution.Visibility.AUTHOR else None
    return ctx.emit("contribution", serialize.contribution(row), audience=audience)


def _question(ctx: Ctx, question_id) -> Contribution:
    question = (
        Contribution.objects.filter(live_meeting=ctx.live, kind=Kind.QUESTION, pk=int(question_id))
        .select_related("author", "addressed_to", "agenda_item")
        .first()
    )
    if question is None:
        raise MeetingRefused("no_question", _("That question is not in this meeting."))
    return question


def do_post_question(meeting, actor, text, addressed_to=None, in_reply_to=None) -> dict:
    """Anyone may ask anyone; by default the question goes to the issue holder. A statement
    is refused (ground rule 1) and nothing is kept: the client keeps the text in the box.
    On PostgreSQL a plain question is one round trip (question_in_one_trip); a reply, and
    anything that is refused, takes the full act, which says why."""
    if in_reply_to is None and getattr(actor, "is_authenticated", False):
        access = (
            meeting if isinstance(meeting, MeetingAccess) else inside(actor, meeting_id_of(meeting))
        )
        asked = question_in_one_trip.post(access, actor, text, addressed_to)
        if asked is not None:
            return asked
        meeting = access
    return _post_question_in_full(
        meeting, actor, text=text, addressed_to=addressed_to, in_reply_to=in_reply_to
    )


@live_action
def _post_question_in_full(ctx: Ctx, text, addressed_to=None, in_reply_to=None) -> dict:
    item = _require_round(ctx, 5)
    text = refusals.clean_text(text, max_length=TEXT_MAX_LENGTH)
    if not is_question(text):
        raise MeetingRefused(
            "not_a_question",
            _(
                "Ground rule 1: statements only in response to questions. This reads as a "
                "statement. You could ask it as a question, or post it as an answer to a "
                "question someone asked you."
            ),
        )
    target = ctx.holder_id(item) if addressed_to is None else int(addressed_to)
    if target == ctx.actor.pk:
        raise MeetingRefused("bad_person", _("Ask someone else in the set."))
    if target is None:
        raise MeetingRefused("bad_person", _("Choose someone in the set to ask."))
    reply_to = _question(ctx, in_reply_to) if in_reply_to is not None else None
    row = _new(ctx, item, Kind.QUESTION, text, addressed_to_id=target, in_reply_to=reply_to)
    row.state = State.OPEN
    # Kept only if the person asked is inside the set, and read with it (rows.insert_if_found).
    learning_set = ctx.meeting.learning_set
    connection, found = rows.insert_if_found(
        row, _person_inside_sql, [target, learning_set.facilitator_id, learning_set.pk]
    )
    if found is None:
        raise MeetingRefused("bad_person", _("Choose someone in the set to ask."))
    row.addressed_to = USER.instance(connection, found)
    emit(ctx, row)
    return {"contribution_id": row.pk, "hints": hints_for(text)}


@live_action
def do_post_answer(ctx: Ctx, text, in_reply_to) -> dict:
    """A statement that answers a question; the question counts as answered."""
    item = _require_round(ctx, 5)
    text = refusals.clean_text(text, max_length=TEXT_MAX_LENGTH)
    question = _question(ctx, in_reply_to)
    if question.addressed_to is not None and question.addressed_to_id != ctx.actor.pk:
        raise refusals.wrong_person(
            _("This question was asked of %(name)s, so the answer is theirs to give.")
            % {"name": question.addressed_to.display_name}
        )
    row = _save(ctx, item, Kind.ANSWER, text, in_reply_to=question)
    if question.state == State.OPEN:
        question.state = State.ANSWERED
        question.save(update_fields=["state"])
        emit(ctx, question)
    return {"contribution_id": row.pk}


@live_action
def do_mark_question(ctx: Ctx, question_id, state) -> dict:
    """The person asked marks a question answered, or to think about later (or open again)."""
    ctx.require_running(allow_paused=True)
    if state not in State.values:
        raise MeetingRefused("bad_state", _("Choose answered, later or open."))
    question = _question(ctx, question_id)
    if question.addressed_to_id != ctx.actor.pk:
        raise refusals.wrong_person(_("Only the person who was asked can mark this question."))
    question.state = state
    question.save(update_fields=["state"])
    emit(ctx, question)
    return {}


@live_action
def do_private_note(ctx: Ctx, text) -> dict:
    """Always allowed until the meeting ends, and only ever seen by its author."""
    ctx.require_not_ended()
    text = refusals.clean_text(text, max_length=TEXT_MAX_LENGTH)
    row = _save(ctx, ctx.current(), Kind.PRIVATE_NOTE, text)
    return {"contribution_id": row.pk}


@live_action
def do_record_learning(ctx: Ctx, text) -> dict:
    item = _require_round(ctx, 6)
    text = refusals.clean_text(text, max_length=TEXT_MAX_LENGTH)
    row = _save(ctx, item, Kind.LEARNING, text)
    return {"contribution_id": row.pk}


@live_action
def do_give_feedback(ctx: Ctx, text) -> dict:
    item = _require_round(ctx, 6)
    holder = ctx.holder_id(item)
    if holder == ctx.actor.pk:
        raise refusals.wrong_person(
            _("Feedback in this round is for the issue holder; you can record your learning.")
        )
    text = refusals.clean_text(text, max_length=TEXT_MAX_LENGTH)
    row = _save(ctx, item, Kind.FEEDBACK, text, addressed_to_id=holder)
    return {"contribution_id": row.pk}


@live_action
def do_add_action(ctx: Ctx, text) -> dict:
    """Round 7: each action the issue holder states becomes one of their commitments (due at
    the set's next meeting), in the same transaction, so the two never disagree."""
    item = _require_round(ctx, 7)
    if ctx.holder_id(item) != ctx.actor.pk:
        raise refusals.wrong_person(_("Only the issue holder writes their actions."))
    text = refusals.clean_text(text, max_length=TEXT_MAX_LENGTH)
    row = _save(ctx, item, Kind.ACTION, text)
    commitment = do_add_commitment_from_meeting(
        ctx.meeting, owner=ctx.actor, what=text, now=ctx.now
    )
    return {"contribution_id": row.pk, "commitment_id": commitment.pk}
