"""The report's rules, as pure functions: a theme's support and whether it reaches the sponsor,
labels that carry no member's words, and the snapshot the sponsor reads.

Everything the sponsor can ever see is built by `sponsor_snapshot`: the draft preview that
members read and every released version come from it, so what members agree to is exactly
what is released.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from revans.reports.figures import SECTIONS
from revans.reports.models import LOWEST_MIN_SUPPORT


class ReportRefused(ValueError):
    """A change that cannot be made, with a sentence for the person (and the form field)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ThemeStatus:
    support: int
    reaches_sponsor: bool
    reason: str


def theme_status(theme, member_ids: set[int], min_support: int) -> ThemeStatus:
    """Whether a theme reaches the sponsor, and why not: `member_ids` are the distinct members
    whose items support it."""
    support = len(member_ids)
    if theme.withheld:
        return ThemeStatus(support, False, _("You withheld it from the sponsor."))
    if support < min_support:
        reason = ngettext(
            "Supported by %(count)s member; at least %(needed)s are needed.",
            "Supported by %(count)s members; at least %(needed)s are needed.",
            support,
        ) % {"count": support, "needed": min_support}
        return ThemeStatus(support, False, reason)
    return ThemeStatus(support, True, "")


def check_min_support(value: int) -> None:
    if value < LOWEST_MIN_SUPPORT:
        raise ReportRefused(
            _(
                "At least %(lowest)s members must support a theme: a theme from one member "
                "would tell the sponsor what that person brought to the set."
            )
            % {"lowest": LOWEST_MIN_SUPPORT},
            "min_support",
        )


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def safe_suggested_label(label: str, from_lexicon: bool, texts: list[str]) -> bool:
    """True when the engine's label is our own phrase (a lexicon concept) and not, by chance,
    one of the members' lines word for word. Any other label is the members' words: it is
    shown to the facilitator as a hint, never used as the theme's name."""
    if not from_lexicon or not label:
        return False
    return _normalise(label) not in {_normalise(text) for text in texts}


def names_mentioned(text: str, names: list[str]) -> list[str]:
    """Members' names (full or first) that appear as words in a label or narrative the
    facilitator wrote: a warning before release, since the sponsor must not read them."""
    found = []
    lowered = text.lower()
    for name in names:
        parts = [name, *name.split()[:1]]
        for part in parts:
            if len(part) >= 3 and re.search(rf"\b{re.escape(part.lower())}\b", lowered):
                found.append(name)
                break
    return found


def sponsor_snapshot(learning_set, report, themes: list, statuses: dict, figures: dict) -> dict:
    """Exactly what the sponsor reads: figures (less withheld sections), the themes that pass
    the threshold with the facilitator's labels and narratives. No evidence, no member's words,
    no names (except attendance per person where the set agreed to it)."""
    withheld = [key for key in report.withheld_sections if key in SECTIONS]
    shown = dict(figures)
    shown.pop("set_id", None)
    if not learning_set.report_attendance_per_person:
        shown["attendance_per_person"] = None
    return {
        "set": {
            "name": learning_set.name,
            "cohort": learning_set.cohort,
            "organisation": learning_set.organisation.name,
            "sponsor": learning_set.sponsor.name if learning_set.sponsor_id else "",
        },
        "introduction": report.introduction,
        "min_support": report.min_support,
        "withheld_sections": withheld,
        "figures": shown,
        "themes": [
            {"label": theme.label, "narrative": theme.narrative}
            for theme in themes
            if statuses[theme.pk].reaches_sponsor
        ],
    }
