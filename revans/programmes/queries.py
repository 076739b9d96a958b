"""The programme report's data: every set a sponsor commissions, in a fixed number of queries
however many sets, meetings and members there are (figures come from reports.figures, which
reads them in batch; released reports and shared members are one query each)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Subquery

from revans.organisations.models import Sponsor
from revans.programmes.crossset import ProgrammeTheme, programme_themes, released_themes
from revans.reports.figures import figures_for_sets
from revans.reports.models import ReleasedVersion
from revans.sets.models import LearningSet, SetMembership


@dataclass
class SetRow:
    learning_set: LearningSet
    figures: dict
    released_number: int | None = None


@dataclass
class Totals:
    sets: int = 0
    participants: int = 0
    meetings_planned: int = 0
    meetings_held: int = 0
    meetings_cancelled: int = 0
    present: int = 0
    recorded: int = 0
    commitments_made: int = 0
    commitments_completed: int = 0
    reports_released: int = 0
    review_first: float | None = None
    review_last: float | None = None

    @property
    def attendance_rate(self) -> int | None:
        return round(100 * self.present / self.recorded) if self.recorded else None

    @property
    def commitments_completed_rate(self) -> int | None:
        if not self.commitments_made:
            return None
        return round(100 * self.commitments_completed / self.commitments_made)


@dataclass
class Cost:
    per_set: Decimal | None
    currency: str
    total: Decimal | None = None
    per_participant: Decimal | None = None


@dataclass
class Cohort:
    name: str
    totals: Totals


@dataclass
class Programme:
    sponsor: Sponsor
    rows: list[SetRow]
    totals: Totals
    cost: Cost
    themes: list[ProgrammeTheme] = field(default_factory=list)
    themes_held_back: int = 0
    # The same figures by cohort (sets without one together), when there are several.
    cohorts: list[Cohort] = field(default_factory=list)


def programme_sets(sponsor: Sponsor) -> list[LearningSet]:
    return list(LearningSet.objects.filter(sponsor=sponsor).order_by("name", "id"))


def latest_released(set_ids: list[int]) -> dict[int, ReleasedVersion]:
    """Each set's latest released report (one query)."""
    newer = ReleasedVersion.objects.filter(report=OuterRef("report"), number__gt=OuterRef("number"))
    return {
        version.learning_set_id: version
        for version in ReleasedVersion.objects.filter(learning_set_id__in=set_ids)
        .filter(~Exists(newer))
        .only("id", "learning_set_id", "number", "snapshot", "released_at")
    }


def shared_people(set_ids: list[int]) -> dict[int, set[int]]:
    """People who belong (or belonged) to more than one of the sets: user id -> set ids."""
    in_several = (
        SetMembership.objects.filter(learning_set_id__in=set_ids)
        .values("user_id")
        .annotate(n=Count("learning_set_id", distinct=True))
        .filter(n__gt=1)
        .values("user_id")
    )
    people: dict[int, set[int]] = {}
    for row in SetMembership.objects.filter(
        learning_set_id__in=set_ids, user_id__in=Subquery(in_several)
    ).values("user_id", "learning_set_id"):
        people.setdefault(row["user_id"], set()).add(row["learning_set_id"])
    return people


def _totals(rows: list[SetRow]) -> Totals:
    totals = Totals(sets=len(rows))
    firsts, lasts = [], []
    for row in rows:
        f = row.figures
        totals.participants += f["members"]
        totals.meetings_planned += f["meetings_planned"]
        totals.meetings_held += f["meetings_held"]
        totals.meetings_cancelled += f["meetings_cancelled"]
        totals.present += sum(m["present"] for m in f["meetings"])
        totals.recorded += sum(m["recorded"] for m in f["meetings"])
        totals.commitments_made += f["commitments_made"]
        totals.commitments_completed += f["commitments_completed"]
        totals.reports_released += row.released_number is not None
        if f["review_first"] is not None and f["review_last"] is not None:
            firsts.append(f["review_first"])
            lasts.append(f["review_last"])
    if firsts:
        totals.review_first = round(sum(firsts) / len(firsts), 1)
        totals.review_last = round(sum(lasts) / len(lasts), 1)
    return totals


def programme_cost(sponsor: Sponsor, totals: Totals) -> Cost:
    """Cost per set times sets; per participant over the sets' current members (a person in
    two sets is two places), to the cent."""
    cost = Cost(per_set=sponsor.cost_per_set, currency=sponsor.currency)
    if sponsor.cost_per_set is None:
        return cost
    cost.total = sponsor.cost_per_set * totals.sets
    if totals.participants:
        cost.per_participant = (cost.total / totals.participants).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    return cost


def programme_report(sponsor: Sponsor) -> Programme:
    sets = programme_sets(sponsor)
    ids = [s.pk for s in sets]
    figures = figures_for_sets(sets)
    released = latest_released(ids) if ids else {}
    rows = [
        SetRow(
            learning_set=s,
            figures=figures[s.pk],
            released_number=released[s.pk].number if s.pk in released else None,
        )
        for s in sets
    ]
    totals = _totals(rows)
    themes = [t for v in released.values() for t in released_themes(v.learning_set_id, v.snapshot)]
    shown, held_back = programme_themes(
        themes, shared_people(ids) if themes else {}, sponsor.theme_threshold
    )
    return Programme(
        sponsor=sponsor,
        rows=rows,
        totals=totals,
        cost=programme_cost(sponsor, totals),
        themes=shown,
        themes_held_back=held_back,
        cohorts=_cohorts(rows),
    )


def _cohorts(rows: list[SetRow]) -> list[Cohort]:
    by_name: dict[str, list[SetRow]] = {}
    for row in rows:
        by_name.setdefault(row.learning_set.cohort.strip(), []).append(row)
    if len(by_name) < 2:
        return []
    # Named cohorts in order, then the sets without one (name "").
    names = sorted(by_name, key=lambda name: (name == "", name.casefold()))
    return [Cohort(name=name, totals=_totals(by_name[name])) for name in names]
