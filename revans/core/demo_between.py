"""Demo data between meetings: momentum calls and learning journal entries.

Called by demo.load_demo for the active set. Rows are written directly (as the rest of the
demo is) because they record history, such as calls held weeks ago.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from revans.calls.models import CallNote, CallSlot, MomentumCall
from revans.journal.models import JournalEntry


def _at(day: dt.date, hour: int, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=ZoneInfo(zone))


def _call(learning_set, member, facilitator, after, before, status, starts_at, **extra):
    return MomentumCall.objects.create(
        learning_set=learning_set,
        member=member,
        arranged_by=facilitator,
        after_meeting=after,
        before_meeting=before,
        status=status,
        arranged=extra.pop("arranged", MomentumCall.Arranged.ELSEWHERE),
        starts_at=starts_at,
        created_at=extra.pop("created_at", after.ends_at),
        status_changed_at=starts_at or after.ends_at,
        **extra,
    )


def load_between_meetings(learning_set, facilitator, members, meetings, now) -> None:
    """Calls in the last gap (held, with notes) and in the current one (offered, planned,
    held and some still due), and journal entries, one of them shared with the set."""
    held = [m for m in meetings if m.ends_at <= now]
    upcoming = [m for m in meetings if m.starts_at > now]
    if len(held) < 2 or not upcoming:
        return
    zone = learning_set.time_zone
    today = now.astimezone(ZoneInfo(zone)).date()
    jo, samir, ruth = members[0], members[1], members[2]
    before_last, last, following = held[-2], held[-1], upcoming[0]

    # The previous gap: Jo's call was held; one private note, one shared with her.
    middle = before_last.starts_at + (last.starts_at - before_last.starts_at) / 2
    earlier = _call(
        learning_set, jo, facilitator, before_last, last, MomentumCall.Status.HELD, middle
    )
    CallNote.objects.create(
        call=earlier,
        author=facilitator,
        text="Jo sounded exhausted; the service review is weighing on her more than she says. "
        "Check in gently at the next meeting.",
        created_at=middle + dt.timedelta(minutes=40),
    )
    CallNote.objects.create(
        call=earlier,
        author=facilitator,
        text="You decided to test the rota change with one team first and report back.",
        visibility=CallNote.Visibility.MEMBER,
        created_at=middle + dt.timedelta(minutes=41),
    )

    # The current gap: Jo has times to pick from, Samir's call is planned, Ruth's was held.
    offered = _call(
        learning_set,
        jo,
        facilitator,
        last,
        following,
        MomentumCall.Status.OFFERED,
        None,
        arranged=MomentumCall.Arranged.OFFER,
        created_at=now - dt.timedelta(hours=3),
    )
    for days, hour in ((1, 9), (2, 13), (3, 17)):
        CallSlot.objects.create(call=offered, starts_at=_at(today + dt.timedelta(days), hour, zone))
    _call(
        learning_set,
        samir,
        facilitator,
        last,
        following,
        MomentumCall.Status.PLANNED,
        _at(today + dt.timedelta(days=2), 8, zone),
    )
    ruths = _call(
        learning_set,
        ruth,
        facilitator,
        last,
        following,
        MomentumCall.Status.HELD,
        now - dt.timedelta(days=1),
    )
    CallNote.objects.create(
        call=ruths,
        author=facilitator,
        text="Ruth has already spoken to the union rep; momentum is good.",
        created_at=now - dt.timedelta(days=1) + dt.timedelta(minutes=30),
    )

    # Jo's journal: a Kolb entry kept private, one shared with the set, one in free text.
    JournalEntry.objects.create(
        author=jo,
        title="After the last meeting",
        what_happened="I presented the rota problem and got far more questions than I expected.",
        what_i_noticed="I wanted to defend the old rota every time someone asked about it.",
        what_i_conclude="The old rota protects me more than it helps the teams.",
        what_i_will_try="Trial the new rota with the east team for four weeks.",
        learning_set=learning_set,
        meeting=last,
        created_at=last.ends_at + dt.timedelta(hours=2),
        updated_at=last.ends_at + dt.timedelta(hours=2),
    )
    JournalEntry.objects.create(
        author=jo,
        title="Asking instead of telling",
        what_happened="In my team meeting I asked three open questions before giving any view.",
        what_i_noticed="Two people who never speak came up with the best idea.",
        what_i_conclude="The set's way of questioning works outside the set too.",
        what_i_will_try="Hold back my view until everyone has spoken, for a month.",
        learning_set=learning_set,
        visibility=JournalEntry.Visibility.SET,
        shared_at=now - dt.timedelta(days=2),
        created_at=now - dt.timedelta(days=3),
        updated_at=now - dt.timedelta(days=3),
    )
    JournalEntry.objects.create(
        author=jo,
        free_text="Not sure yet whether I want the deputy director post. Keep noticing what "
        "energises me this month.",
        created_at=now - dt.timedelta(days=1),
        updated_at=now - dt.timedelta(days=1),
    )
