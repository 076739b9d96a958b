"""A set's figures for the facilitator's report, for one set or many at once.

`figures_for_sets(sets)` reads (never writes) in a constant number of grouped queries, whatever
the number of sets, meetings, members or commitments: the programme view calls it for hundreds
of sets. The result is plain JSON-ready data, so a released version stores it as it is.

What reaches a sponsor is about the set, never about one member:
- attendance is a rate per meeting (per person only where the set agreed to it:
  LearningSet.report_attendance_per_person);
- a meeting's process review average is shown only when at least MIN_RATINGS members rated it
  (an average of one rating is that member's score);
- airtime balance is a set of shares with no names, and one evenness figure.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from revans.commitments.models import Commitment
from revans.live.airtime import PRESENTED, PRESENTING_ROUNDS, issue_holder_seconds
from revans.live.models import AgendaItem, ProcessRating, TurnOrder
from revans.meetings.models import LIVE_ENDED, Attendance, Meeting
from revans.sets.models import LearningSet, SetMembership

MIN_RATINGS = 2
CLOSED_KEYS: dict[str, str] = {
    Commitment.Status.DONE.value: "commitments_completed",
    Commitment.Status.DROPPED.value: "commitments_dropped",
}

# The items of the figures a member may raise a concern about (besides each theme).
SECTIONS = {
    "meetings": _("Meetings held"),
    "attendance": _("Attendance"),
    "commitments": _("Commitments"),
    "process_review": _("Process review"),
    "airtime": _("Airtime balance"),
}


def _percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def evenness(values: list[int]) -> float | None:
    """1 - Gini coefficient: 1.0 when everyone had the same airtime, towards 0 when one
    member had it all. None when there is nothing to compare."""
    total = sum(values)
    if len(values) < 2 or total == 0:
        return None
    ordered = sorted(values)
    n = len(ordered)
    weighted = sum((2 * (i + 1) - n - 1) * v for i, v in enumerate(ordered))
    return round(1 - weighted / (n * total), 2)


def _empty(learning_set: LearningSet) -> dict:
    return {
        "set_id": learning_set.pk,
        "meetings_planned": learning_set.meeting_count,
        "meetings_held": 0,
        "meetings_cancelled": 0,
        "meetings_to_come": 0,
        "meetings": [],
        "attendance_rate": None,
        "attendance_per_person": None,
        "commitments_made": 0,
        "commitments_completed": 0,
        "commitments_dropped": 0,
        "commitments_open": 0,
        "commitments_completed_rate": None,
        "review_first": None,
        "review_last": None,
        "members": 0,
        "airtime_shares": [],
        "airtime_evenness": None,
        "members_who_presented": 0,
    }


def figures_for_sets(sets: Iterable[LearningSet] | QuerySet[LearningSet]) -> dict[int, dict]:
    """{set id: figures} for every set given (a queryset or a list of LearningSet rows).

    Each figures dict holds: meetings_planned (the contract), meetings_held, meetings_cancelled,
    meetings_to_come; meetings (held ones in order: number, date, present, recorded,
    attendance_rate, ratings, review_average, commitments_made, commitments_completed);
    attendance_rate (over held meetings with a record); attendance_per_person (None unless the
    set agreed to it, else [{"name", "attended", "recorded"}]); commitments_made, _completed,
    _dropped, _open, commitments_completed_rate; review_first and review_last (the trend);
    members, airtime_shares (per cent, largest first, no names), airtime_evenness,
    members_who_presented.
    """
    sets = list(sets)
    ids = [s.pk for s in sets]
    result = {s.pk: _empty(s) for s in sets}
    if not ids:
        return result
    by_id = {s.pk: s for s in sets}
    now = timezone.now()

    meetings = Meeting.objects.filter(learning_set_id__in=ids).values(
        "id", "learning_set_id", "starts_at", "duration_minutes", "status", "live__status"
    )
    attendance = {
        row["meeting_id"]: row
        for row in Attendance.objects.filter(meeting__learning_set_id__in=ids)
        .values("meeting_id")
        .annotate(present=Count("id", filter=Q(attended=True)), recorded=Count("id"))
    }
    ratings = {
        row["live_meeting__meeting_id"]: row
        for row in ProcessRating.objects.filter(live_meeting__meeting__learning_set_id__in=ids)
        .values("live_meeting__meeting_id")
        .annotate(average=Avg("score"), n=Count("id"))
    }
    made_at: dict[int, dict[str, int]] = defaultdict(lambda: {"made": 0, "done": 0})
    for row in (
        Commitment.objects.filter(learning_set_id__in=ids)
        .values("learning_set_id", "meeting_id", "status")
        .annotate(n=Count("id"))
    ):
        figures = result[row["learning_set_id"]]
        figures["commitments_made"] += row["n"]
        key = CLOSED_KEYS.get(row["status"], "commitments_open")
        figures[key] += row["n"]
        if row["meeting_id"] is not None:
            made_at[row["meeting_id"]]["made"] += row["n"]
            if row["status"] == Commitment.Status.DONE:
                made_at[row["meeting_id"]]["done"] += row["n"]

    for meeting in sorted(meetings, key=lambda r: (r["starts_at"], r["id"])):
        figures = result[meeting["learning_set_id"]]
        if meeting["status"] == Meeting.Status.CANCELLED:
            figures["meetings_cancelled"] += 1
            continue
        over = meeting["starts_at"] + timedelta(minutes=meeting["duration_minutes"]) <= now
        if not over and meeting["live__status"] != LIVE_ENDED:  # as Meeting.is_held
            figures["meetings_to_come"] += 1
            continue
        figures["meetings_held"] += 1
        tz = ZoneInfo(by_id[meeting["learning_set_id"]].time_zone)
        counted = attendance.get(meeting["id"])
        present = counted["present"] if counted else 0
        recorded = counted["recorded"] if counted else 0
        rated = ratings.get(meeting["id"])
        rating_count = rated["n"] if rated else 0
        average = rated["average"] if rated and rating_count >= MIN_RATINGS else None
        figures["meetings"].append(
            {
                "number": figures["meetings_held"],
                "date": timezone.localtime(meeting["starts_at"], tz).date().isoformat(),
                "present": present,
                "recorded": recorded,
                "attendance_rate": _percent(present, recorded),
                "ratings": rating_count,
                "review_average": round(average, 1) if average is not None else None,
                "commitments_made": made_at[meeting["id"]]["made"]
                if meeting["id"] in made_at
                else 0,
                "commitments_completed": made_at[meeting["id"]]["done"]
                if meeting["id"] in made_at
                else 0,
            }
        )

    members: dict[int, dict[int, str]] = defaultdict(dict)
    for person in SetMembership.objects.filter(
        learning_set_id__in=ids, left_at__isnull=True
    ).values("learning_set_id", "user_id", "user__full_name", "user__email"):
        name = person["user__full_name"] or person["user__email"]
        members[person["learning_set_id"]][person["user_id"]] = name
    _airtime(result, ids, members)
    _per_person(result, [s.pk for s in sets if s.report_attendance_per_person], members)

    for figures in result.values():
        held = figures["meetings"]
        recorded = sum(m["recorded"] for m in held)
        figures["attendance_rate"] = _percent(sum(m["present"] for m in held), recorded)
        figures["commitments_completed_rate"] = _percent(
            figures["commitments_completed"], figures["commitments_made"]
        )
        trend = [m["review_average"] for m in held if m["review_average"] is not None]
        if trend:
            figures["review_first"], figures["review_last"] = trend[0], trend[-1]
    return result


def _airtime(result: dict[int, dict], ids: list[int], members: dict[int, dict[int, str]]) -> None:
    """The programme's airtime per current member, the same measure as live.airtime: seconds
    spoken in timed turns plus the time the set spent on their issue."""
    seconds: dict[tuple[int, int], int] = defaultdict(int)
    presented: set[tuple[int, int]] = set()
    for row in (
        TurnOrder.objects.filter(live_meeting__meeting__learning_set_id__in=ids)
        .values("live_meeting__meeting__learning_set_id", "user_id")
        .annotate(spoken=Sum("spoken_seconds"))
    ):
        key = (row["live_meeting__meeting__learning_set_id"], row["user_id"])
        seconds[key] += row["spoken"] or 0
    for slot in (1, 2):
        holder = f"live_meeting__issue_holder_{slot}"
        for row in (
            AgendaItem.objects.filter(
                live_meeting__meeting__learning_set_id__in=ids,
                issue_slot=slot,
                round__in=PRESENTING_ROUNDS,
            )
            .values("live_meeting__meeting__learning_set_id", holder)
            .annotate(spent=issue_holder_seconds(), presented=Count("id", filter=PRESENTED))
        ):
            if row[holder] is None:
                continue
            key = (row["live_meeting__meeting__learning_set_id"], row[holder])
            seconds[key] += row["spent"] or 0
            if row["presented"]:
                presented.add(key)
    for set_id, figures in result.items():
        people = members.get(set_id, {})
        values = [seconds.get((set_id, uid), 0) for uid in people]
        total = sum(values)
        figures["members"] = len(people)
        figures["airtime_shares"] = (
            sorted((round(100 * v / total) for v in values), reverse=True) if total else []
        )
        figures["airtime_evenness"] = evenness(values)
        figures["members_who_presented"] = sum(1 for uid in people if (set_id, uid) in presented)


def _per_person(
    result: dict[int, dict], ids: list[int], members: dict[int, dict[int, str]]
) -> None:
    """Attendance per current member, only for sets whose agreement allows the sponsor to see
    it. No query at all when no set does."""
    if not ids:
        return
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(
        lambda: {"attended": 0, "recorded": 0}
    )
    now = timezone.now()
    for row in (
        Attendance.objects.filter(
            meeting__learning_set_id__in=ids,
            meeting__status=Meeting.Status.SCHEDULED,
            meeting__starts_at__lte=now,
        )
        .values("meeting__learning_set_id", "user_id")
        .annotate(attended=Count("id", filter=Q(attended=True)), recorded=Count("id"))
    ):
        key = (row["meeting__learning_set_id"], row["user_id"])
        counts[key] = {"attended": row["attended"], "recorded": row["recorded"]}
    for set_id in ids:
        result[set_id]["attendance_per_person"] = [
            {"name": name, **counts[(set_id, uid)]}
            for uid, name in sorted(members.get(set_id, {}).items(), key=lambda item: item[1])
        ]
