"""Changing a set's round times (the template of its live agendas)."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from revans.live.agenda import MAX_ROUND_MINUTES, MIN_ROUND_MINUTES, standard_minutes
from revans.live.models import RoundTime
from revans.live.refusals import MeetingRefused
from revans.sets.models import LearningSet


def _refuse_if_archived(learning_set: LearningSet) -> None:
    if learning_set.is_archived:
        raise MeetingRefused(
            "archived", _("This set is archived, so its round times cannot be changed.")
        )


@transaction.atomic
def do_save_round_times(learning_set: LearningSet, *, actor, minutes: Mapping[int, int]) -> None:
    """Keep the set's time for each of the 8 rounds. Meetings already opened keep their
    agenda; the next one opened starts from these. Saving METHOD.md's own times is going
    back to them, so two-issue-holder meetings keep METHOD.md's table for two as well."""
    _refuse_if_archived(learning_set)
    if set(minutes) != set(range(1, 9)):
        raise MeetingRefused("bad_message", _("Give a time for each of the 8 rounds."))
    chosen = {r: int(m) for r, m in minutes.items()}
    for value in chosen.values():
        if not MIN_ROUND_MINUTES <= value <= MAX_ROUND_MINUTES:
            raise MeetingRefused(
                "bad_minutes",
                _("Give each round between %(min)s and %(max)s minutes.")
                % {"min": MIN_ROUND_MINUTES, "max": MAX_ROUND_MINUTES},
            )
    if chosen == standard_minutes():
        RoundTime.objects.filter(learning_set=learning_set).delete()
        return
    for round_, value in chosen.items():
        RoundTime.objects.update_or_create(
            learning_set=learning_set, round=round_, defaults={"minutes": value}
        )


@transaction.atomic
def do_reset_round_times(learning_set: LearningSet, *, actor) -> None:
    """Back to METHOD.md's times (agenda.standard_minutes)."""
    _refuse_if_archived(learning_set)
    RoundTime.objects.filter(learning_set=learning_set).delete()
