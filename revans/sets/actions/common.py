"""Helpers every set action shares: locking the set row and refusing archived sets."""

from __future__ import annotations

from django.utils.translation import gettext as _

from revans.organisations.models import OrganisationMembership
from revans.sets.models import LearningSet
from revans.sets.rules import (
    SetActionRefused,
)


def locked_set(learning_set: LearningSet) -> LearningSet:
    # of=self: PostgreSQL cannot lock the nullable side of the outer joins.
    return (
        LearningSet.objects.select_for_update(of=("self",))
        .select_related("organisation", "facilitator", "sponsor")
        .get(pk=learning_set.pk)
    )


def refuse_if_archived(learning_set: LearningSet) -> None:
    if learning_set.is_archived:
        raise SetActionRefused(
            _("This set is archived, so nothing in it can be changed. Unarchive it first.")
        )


def normalise_text(value: str) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def is_org_facilitator(organisation, user) -> bool:
    return OrganisationMembership.objects.filter(
        organisation=organisation, user=user, is_facilitator=True
    ).exists()
