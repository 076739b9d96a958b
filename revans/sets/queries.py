"""Read-side helpers for the set pages: each runs a fixed number of queries, whatever the size."""

from __future__ import annotations

from revans.organisations.models import OrganisationMembership
from revans.sets.models import FacilitatorChange, Invitation, LearningSet, SetMembership


def _with_acceptance(learning_set: LearningSet, memberships):
    for membership in memberships:
        # The set is already loaded: has_accepted would otherwise fetch it per row.
        membership.learning_set = learning_set
        membership.accepted = membership.has_accepted(learning_set)
    return memberships


def current_members(learning_set: LearningSet) -> list[SetMembership]:
    return _with_acceptance(
        learning_set,
        list(
            SetMembership.objects.filter(learning_set=learning_set, left_at__isnull=True)
            .select_related("user")
            .order_by("user__full_name", "user__email")
        ),
    )


def all_memberships(learning_set: LearningSet) -> tuple[list, list]:
    """(current members by name, former members most recent first) in one query."""
    rows = _with_acceptance(
        learning_set,
        list(
            SetMembership.objects.filter(learning_set=learning_set)
            .select_related("user", "removed_by")
            .order_by("user__full_name", "user__email", "joined_at")
        ),
    )
    current = [m for m in rows if m.left_at is None]
    former = sorted((m for m in rows if m.left_at is not None), key=lambda m: m.left_at)
    return current, former[::-1]


def pending_invitations(learning_set: LearningSet) -> list[Invitation]:
    return list(
        Invitation.objects.filter(
            learning_set=learning_set, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("email")
    )


def not_yet_accepted(learning_set: LearningSet, members: list[SetMembership]) -> list:
    return [m for m in members if not m.has_accepted(learning_set)]


def own_membership(members: list[SetMembership], membership_id: int | None):
    return next((m for m in members if m.pk == membership_id), None)


def organisation_facilitators(organisation) -> list:
    return [
        row.user
        for row in OrganisationMembership.objects.filter(
            organisation=organisation, is_facilitator=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ]


def facilitator_history(learning_set: LearningSet) -> list[FacilitatorChange]:
    return list(
        FacilitatorChange.objects.filter(learning_set=learning_set)
        .select_related("previous", "new", "changed_by")
        .order_by("-changed_at", "-id")
    )
