"""The frame every live-meeting action runs in.

One transaction: lock the LiveMeeting row (select_for_update; on SQLite the IMMEDIATE
transaction mode already serialises writers), check who the actor is, let the action write,
append numbered events, save the row, and announce the events after commit. A refusal raises
MeetingRefused inside the transaction, so nothing of a refused action is kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from revans.accounts.models import User
from revans.core import rows
from revans.core.db import one_writer_at_a_time
from revans.live import broadcast, refusals, serialize
from revans.live.agenda import balance
from revans.live.models import AgendaItem, LiveMeeting, MeetingEvent, TurnOrder
from revans.live.refusals import MeetingRefused
from revans.meetings.access import MeetingAccess, access_meeting_for_user
from revans.meetings.models import Meeting
from revans.sets.access import Need
from revans.sets.models import LearningSet


@dataclass
class Ctx:
    live: LiveMeeting
    meeting: Meeting
    actor: Any
    is_member: bool
    now: dt.datetime = field(default_factory=timezone.now)
    _items: list[AgendaItem] | None = None
    _events: list[MeetingEvent] = field(default_factory=list)
    dirty: bool = False
    # The live row's values as read, so finish() writes only what the action changed.
    loaded: dict[str, Any] | None = None

    # Who the actor is -------------------------------------------------------------------
    @property
    def is_facilitator(self) -> bool:
        return self.meeting.learning_set.facilitator_id == self.actor.pk

    @property
    def holds_facilitation(self) -> bool:
        return self.live.facilitation_holder_id == self.actor.pk

    def require_facilitation(self) -> None:
        if not self.holds_facilitation:
            raise refusals.only_facilitation_holder()

    def require_member(self) -> None:
        if not self.is_member:
            raise refusals.wrong_person(_("Only members of the set can do this."))

    # Stage ------------------------------------------------------------------------------
    def items(self) -> list[AgendaItem]:
        if self._items is None:
            self._items = agenda_items(self.live)
        return self._items

    def reset_items(self) -> None:
        self._items = None

    def current(self) -> AgendaItem | None:
        items = self.items()
        if self.live.status != LiveMeeting.Status.RUNNING or not items:
            return None
        return items[min(self.live.stage_position, len(items) - 1)]

    def holder_id(self, item: AgendaItem | None = None) -> int | None:
        item = item or self.current()
        return self.live.holder_id_for(item.issue_slot) if item else None

    def check_version(self, expected) -> None:
        if expected is None:
            raise MeetingRefused(
                "bad_message", _("Something went wrong with this request. Please reload the page.")
            )
        if int(expected) != self.live.version:
            raise refusals.stale()

    def require_running(self, *, allow_paused: bool = False) -> AgendaItem:
        if self.live.status != LiveMeeting.Status.RUNNING:
            raise refusals.not_running()
        if self.live.paused and not allow_paused:
            raise refusals.paused()
        current = self.current()
        assert current is not None
        return current

    def require_not_ended(self) -> None:
        if self.live.status == LiveMeeting.Status.ENDED:
            raise MeetingRefused("ended", _("This meeting has ended."))

    # Writing ----------------------------------------------------------------------------
    def bump(self) -> None:
        self.live.version += 1
        self.dirty = True

    def emit(self, type_: str, payload: dict, audience=None) -> int:
        self.live.last_seq += 1
        self.dirty = True
        self._events.append(
            MeetingEvent(
                live_meeting=self.live,
                seq=self.live.last_seq,
                type=type_,
                payload=payload,
                actor=self.actor if getattr(self.actor, "pk", None) else None,
                audience_user_id=getattr(audience, "pk", audience),
                created_at=self.now,
            )
        )
        return self.live.last_seq

    def emit_stage(self) -> int:
        return self.emit("stage", serialize.stage(self.live, self.current()))

    def emit_agenda(self) -> int:
        items = self.items()
        return self.emit(
            "agenda",
            {
                "agenda": serialize.agenda(items),
                "balance": balance(sum(i.minutes for i in items), self.meeting.duration_minutes),
            },
        )

    def emit_turns(self, item: AgendaItem) -> int:
        rows = list(TurnOrder.objects.filter(agenda_item=item).order_by("order", "id"))
        return self.emit("turns", serialize.turns(item, rows))

    def finish(self, *, last: bool = False) -> None:
        """Write the row and the events. `last`: nothing more is written in this atomic
        block (live_action); on PostgreSQL the COMMIT may then go with the writes."""
        if not self.dirty:
            return
        if self.loaded is None:
            self.live.save()
            rows.insert_all(self._events)
        else:
            changed = [
                name for name, value in self.loaded.items() if getattr(self.live, name) != value
            ]
            rows.update_then_insert_all(self.live, changed, self._events, last=last)
        for event in self._events:
            announce_on_commit(
                self.meeting.pk,
                event.seq,
                event.audience_user_id,
                event.type,
                event.payload,
                event.created_at,
            )

    def outcome(self, **extra) -> dict:
        return {"version": self.live.version, "seq": self.live.last_seq, **extra}


def announce_on_commit(
    meeting_id: int,
    seq: int,
    audience_user_id: int | None,
    type_: str,
    payload: dict,
    created_at: dt.datetime,
) -> None:
    """Once the transaction commits, send the event as clients receive it (as read back by
    snapshot.events_since), riding with its hint so an up-to-date connection reads nothing."""
    event = {
        "seq": seq,
        "type": type_,
        "payload": payload,
        "created_at": serialize.iso(created_at),
    }
    transaction.on_commit(
        functools.partial(broadcast.announce, meeting_id, seq, audience_user_id, event)
    )


def _agenda_sql(connection) -> str:
    return (
        f"SELECT {ITEM.sql(connection)} FROM {ITEM.table(connection)}"
        f" WHERE {ITEM.col(connection, 'live_meeting')} = %s"
        f" ORDER BY {ITEM.col(connection, 'position')}"
    )


def _agenda_by_meeting_sql(connection) -> str:
    """The agenda read with the lock, before the live meeting's own id is known: by its
    meeting's. Read after the lock in the same transaction, it is the agenda as the lock
    holder sees it (every act that changes the agenda holds the lock)."""
    return (
        f"SELECT {ITEM.sql(connection)} FROM {ITEM.table(connection)}"
        f" JOIN {OWNER.table(connection)}"
        f" ON {OWNER.col(connection, 'id')} = {ITEM.col(connection, 'live_meeting')}"
        f" WHERE {OWNER.col(connection, 'meeting')} = %s"
        f" ORDER BY {ITEM.col(connection, 'position')}"
    )


def agenda_items(live: LiveMeeting) -> list[AgendaItem]:
    """The meeting's agenda in order (AgendaItem.Meta.ordering). Every act reads it with
    the lock (begin()); this reads it again after an act changed it."""
    connection, found = rows.fetch(_agenda_sql, [live.pk])
    return _agenda_of(live, connection, found)


def _agenda_of(live: LiveMeeting, connection, found: list[tuple]) -> list[AgendaItem]:
    items = [ITEM.instance(connection, row) for row in found]
    for item in items:
        item.live_meeting = live
    return items


def meeting_id_of(meeting) -> int:
    """Actions take a meeting, its id, or a MeetingAccess already checked for the actor."""
    if isinstance(meeting, MeetingAccess):
        return meeting.meeting.pk
    return meeting.pk if isinstance(meeting, Meeting) else int(meeting)


def inside(actor, meeting_id: int) -> MeetingAccess:
    """The actor's role, if they are inside the set (a current member or the facilitator);
    anyone else is told the meeting is not available, as at the door."""
    try:
        return access_meeting_for_user(actor, meeting_id, Need.INSIDE)
    except Http404:
        raise refusals.not_available() from None


LIVE = rows.Columns(LiveMeeting, "l")
MEETING = rows.Columns(Meeting, "m")
LEARNING_SET = rows.Columns(LearningSet, "s")
ITEM = rows.Columns(AgendaItem, "a")
# The live meeting an agenda belongs to, joined to it by its meeting's id.
OWNER = rows.Columns(LiveMeeting, "owner")


FACILITATOR = rows.Columns(User, "f")


def _live_row_sql(connection, *, lock: bool = False, facilitator: bool = False) -> str:
    """A live meeting's row with its meeting and set as they are now (and the set's
    facilitator, if asked). Locked: on PostgreSQL FOR UPDATE of that row only; on SQLite the
    transaction already holds the write lock."""
    parts: list[rows.Columns] = [LIVE, MEETING, LEARNING_SET]
    if facilitator:
        parts.append(FACILITATOR)
    sql = (
        f"SELECT {', '.join(part.sql(connection) for part in parts)}"
        f" FROM {LIVE.table(connection)}"
        f" JOIN {MEETING.table(connection)}"
        f" ON {MEETING.col(connection, 'id')} = {LIVE.col(connection, 'meeting')}"
        f" JOIN {LEARNING_SET.table(connection)}"
        f" ON {LEARNING_SET.col(connection, 'id')} = {MEETING.col(connection, 'learning_set')}"
    )
    if facilitator:
        sql += (
            f" LEFT JOIN {FACILITATOR.table(connection)}"
            f" ON {FACILITATOR.col(connection, 'id')} = {LEARNING_SET.col(connection, 'facilitator')}"
        )
    sql += f" WHERE {LIVE.col(connection, 'meeting')} = %s"
    if lock and connection.features.has_select_for_update_of:
        sql += f" FOR UPDATE OF {connection.ops.quote_name(LIVE.alias)}"
    return sql


def _lock_sql(connection) -> str:
    return _live_row_sql(connection, lock=True)


def _read_sql(connection) -> str:
    return _live_row_sql(connection, facilitator=True)


def load_live(meeting_id: int) -> LiveMeeting | None:
    """The live meeting with its meeting, set and the set's facilitator, for a read (a
    snapshot, or the events since a number). Hand-written SQL (core.rows), as begin()."""
    connection, found = rows.fetch(_read_sql, [meeting_id])
    if not found:
        return None
    live, meeting, learning_set, facilitator = rows.split(
        found[0], LIVE, MEETING, LEARNING_SET, FACILITATOR, connection=connection
    )
    # The LEFT JOIN found no one when the set has no facilitator (all its columns NULL).
    learning_set.facilitator = facilitator if learning_set.facilitator_id is not None else None
    _link(live, meeting, learning_set)
    return live


def _link(live: LiveMeeting, meeting: Meeting, learning_set: LearningSet) -> None:
    """Link what one row held as select_related would, but only forwards (rows.attach)."""
    meeting.learning_set = learning_set
    rows.attach(LiveMeeting.meeting, live, meeting)


def begin(access: MeetingAccess, actor) -> Ctx:
    """Lock the live meeting (the caller holds the transaction) and build the action's frame,
    with the meeting and its set as they are now (an access check may be seconds old).
    Hand-written SQL (core.rows): every act makes this read."""
    connection, (found, agenda) = rows.fetch_first(
        (_lock_sql, [access.meeting.pk]), (_agenda_by_meeting_sql, [access.meeting.pk])
    )
    if not found:
        raise MeetingRefused("not_open", _("The facilitator has not opened this meeting yet."))
    (row,) = found
    live, meeting, learning_set = rows.split(
        row, LIVE, MEETING, LEARNING_SET, connection=connection
    )
    _link(live, meeting, learning_set)
    return Ctx(
        live=live,
        meeting=meeting,
        actor=actor,
        is_member=access.role.is_member,
        _items=_agenda_of(live, connection, agenda),
        loaded={f.attname: getattr(live, f.attname) for f in LIVE.fields},
    )


def live_action(fn):
    """Run `fn(ctx, **fields)` as one locked, atomic change and return its outcome.

    `meeting` is a meeting or its id, and the actor's access is checked here; or it is the
    MeetingAccess a live connection holds for its user, checked when it connected, whenever
    the set's people change and at least every consumers.ACCESS_RECHECK_SECONDS. The check
    is the dearest part of an act, so it is never made inside the write lock: the lock is
    held for the change alone, and writers in a busy meeting queue for milliseconds."""

    @functools.wraps(fn)
    def run(meeting, actor, **fields) -> dict:
        if actor is None or not getattr(actor, "is_authenticated", False):
            raise refusals.not_available()
        if isinstance(meeting, MeetingAccess):
            access = meeting
        else:
            access = inside(actor, meeting_id_of(meeting))
        with one_writer_at_a_time(), transaction.atomic():
            ctx = begin(access, actor)
            extra = fn(ctx, **fields) or {}
            ctx.finish(last=True)
            return ctx.outcome(**extra)

    return run


# Timers -------------------------------------------------------------------------------------


def seconds_between(start, end) -> int:
    return int((end - start).total_seconds())


def minutes_covering(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def close_running_turn(ctx: Ctx) -> AgendaItem | None:
    """End whichever turn is running (moving on ends it), counting only unpaused time."""
    running = (
        TurnOrder.objects.filter(
            live_meeting=ctx.live, started_at__isnull=False, done_at__isnull=True
        )
        .select_related("agenda_item")
        .first()
    )
    if running is None:
        return None
    finish_turn(ctx, running)
    return running.agenda_item


def finish_turn(ctx: Ctx, turn: TurnOrder) -> None:
    if turn.started_at is not None:
        until = ctx.live.paused_at if ctx.live.paused and ctx.live.paused_at else ctx.now
        turn.spoken_seconds = max(0, seconds_between(turn.started_at, until))
    turn.done_at = ctx.now
    turn.save(update_fields=["done_at", "spoken_seconds"])
