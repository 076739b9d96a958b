"""Read-side helpers for the report pages: each runs a fixed number of queries, whatever the
number of meetings, themes, items or concerns."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from revans.reports.figures import figures_for_sets
from revans.reports.models import ReleasedVersion, ReportConcern, ReportTheme, SetReport, ThemeItem
from revans.reports.rules import ThemeStatus, names_mentioned, sponsor_snapshot, theme_status
from revans.sets.models import SetMembership


@dataclass
class DraftState:
    report: SetReport
    themes: list[ReportTheme]
    statuses: dict[int, ThemeStatus]
    figures: dict
    snapshot: dict
    concerns: list[ReportConcern] = field(default_factory=list)

    @property
    def open_concerns(self) -> list[ReportConcern]:
        return [c for c in self.concerns if c.is_open]


def report_of(learning_set) -> SetReport | None:
    return SetReport.objects.filter(learning_set=learning_set).first()


def draft_state(learning_set, report: SetReport, *, concerns_of=None, all_concerns=False):
    """The draft with each theme's support and status, the set's figures and the snapshot a
    release would store. Concerns: every one (the facilitator), or one member's own."""
    themes = list(
        ReportTheme.objects.filter(report=report).prefetch_related(
            Prefetch("items", queryset=ThemeItem.objects.order_by("id"))
        )
    )
    statuses = {}
    for theme in themes:
        members = {item.member_id for item in theme.items.all() if item.member_id is not None}
        statuses[theme.pk] = theme_status(theme, members, report.min_support)
        theme.status = statuses[theme.pk]
    figures = figures_for_sets([learning_set])[learning_set.pk]
    snapshot = sponsor_snapshot(learning_set, report, themes, statuses, figures)
    concerns: list[ReportConcern] = []
    if all_concerns or concerns_of is not None:
        rows = ReportConcern.objects.filter(report=report).select_related("raised_by", "theme")
        if not all_concerns:
            rows = rows.filter(raised_by=concerns_of)
        concerns = list(rows)
    return DraftState(report, themes, statuses, figures, snapshot, concerns)


def name_warnings(learning_set, state: DraftState) -> list[dict]:
    """Sponsor-facing text the facilitator wrote that names a member (one query)."""
    names = [
        row["user__full_name"]
        for row in SetMembership.objects.filter(learning_set=learning_set).values("user__full_name")
        if row["user__full_name"]
    ]
    warnings = []
    texts = [
        (theme["label"], theme["label"] + " " + theme["narrative"])
        for theme in state.snapshot["themes"]
    ]
    texts.append(("", state.snapshot["introduction"]))
    for where, text in texts:
        for name in names_mentioned(text, names):
            warnings.append({"where": where, "name": name})
    return warnings


def versions_of(learning_set) -> list[ReleasedVersion]:
    return list(
        ReleasedVersion.objects.filter(learning_set=learning_set)
        .defer("snapshot")
        .order_by("-number")
    )


def version_of(learning_set, number: int) -> ReleasedVersion | None:
    return ReleasedVersion.objects.filter(learning_set=learning_set, number=number).first()
