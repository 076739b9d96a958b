"""Who may see or change a set: the one place these rules live.

Views never fetch a set or meeting by bare id; they call access_set_for_user /
access_meeting_for_user, which fetch and authorise in one query and raise Http404 for
anyone without the needed role, so a stranger cannot even learn that an id exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from revans.organisations.models import Organisation, OrganisationMembership, SponsorContact
from revans.sets.models import LearningSet, SetMembership


class Need(Enum):
    # Sponsors see the schedule and meetings held: nothing said inside the set.
    SCHEDULE = "schedule"
    # Members, the facilitator and organisation admins: names, agreement, RSVPs.
    SET_PAGE = "set_page"
    # The facilitator (or duty holder) and organisation admins: change the set.
    MANAGE = "manage"
    # What only people inside the set see (members and the facilitator), e.g. RSVP notes
    # are for the facilitator only; later: questions, commitments.
    INSIDE = "inside"


@dataclass(frozen=True)
class SetRole:
    learning_set: LearningSet
    is_org_admin: bool
    is_facilitator: bool
    membership_id: int | None
    is_sponsor: bool

    @property
    def is_member(self) -> bool:
        return self.membership_id is not None

    @property
    def can_manage(self) -> bool:
        return self.is_facilitator or self.is_org_admin

    @property
    def is_inside(self) -> bool:
        return self.is_facilitator or self.is_member

    @property
    def sees_set_page(self) -> bool:
        """The set's own pages (overview, members, agreement); a sponsor sees only what is
        released to them."""
        return self.is_inside or self.is_org_admin

    def allows(self, need: Need) -> bool:
        if need is Need.SCHEDULE:
            return self.is_inside or self.is_org_admin or self.is_sponsor
        if need is Need.SET_PAGE:
            return self.sees_set_page
        if need is Need.MANAGE:
            return self.can_manage
        if need is Need.INSIDE:
            return self.is_inside
        raise ValueError(need)


# A set, or a row that belongs to one (a commitment, a call: `prefix` leads to its set).
RowOfSet = TypeVar("RowOfSet", bound=Model)


# The rows come back as they went in; the model parameter is Any because django-stubs has no
# name for "RowOfSet with these annotations".
def annotate_roles(queryset: QuerySet[RowOfSet], user, prefix: str = "") -> QuerySet[Any, RowOfSet]:
    """Add the user's roles on each set as annotations (one query for any number of sets)."""
    ref = f"{prefix}pk" if prefix else "pk"
    org_ref = f"{prefix}organisation" if prefix else "organisation"
    sponsor_ref = f"{prefix}sponsor" if prefix else "sponsor"
    return queryset.annotate(
        role_is_org_admin=Exists(
            OrganisationMembership.objects.filter(
                organisation=OuterRef(org_ref), user=user, is_admin=True
            )
        ),
        role_membership_id=Subquery(
            SetMembership.objects.filter(
                learning_set=OuterRef(ref), user=user, left_at__isnull=True
            ).values("id")[:1]
        ),
        role_is_sponsor=Exists(
            SponsorContact.objects.filter(sponsor=OuterRef(sponsor_ref), user=user)
        ),
    )


ROLE_FIELDS = ("role_is_org_admin", "role_membership_id", "role_is_sponsor")


def role_from_annotations(learning_set: LearningSet, roles: dict, user) -> SetRole:
    """Build the role from the annotate_roles() values (a dict keyed by ROLE_FIELDS)."""
    return SetRole(
        learning_set=learning_set,
        is_org_admin=bool(roles["role_is_org_admin"]),
        is_facilitator=learning_set.facilitator_id == user.pk,
        membership_id=roles["role_membership_id"],
        is_sponsor=bool(roles["role_is_sponsor"]),
    )


def role_of(learning_set: LearningSet, user) -> SetRole:
    """The role on a set fetched through annotate_roles()."""
    return role_from_annotations(
        learning_set, {f: getattr(learning_set, f) for f in ROLE_FIELDS}, user
    )


def access_set_for_user(user, set_id: int, need: Need) -> SetRole:
    if not user.is_authenticated:
        raise Http404
    learning_set = (
        annotate_roles(LearningSet.objects.all(), user)
        .select_related("organisation", "sponsor", "facilitator")
        .filter(pk=set_id)
        .first()
    )
    if learning_set is None:
        raise Http404
    role = role_of(learning_set, user)
    if not role.allows(need):
        raise Http404
    return role


def sets_visible_to(user) -> QuerySet[LearningSet]:
    """Every set on which the user has some role (for lists and home pages)."""
    if not user.is_authenticated:
        return LearningSet.objects.none()
    return LearningSet.objects.filter(
        Q(facilitator=user)
        | Q(memberships__user=user, memberships__left_at__isnull=True)
        | Q(organisation__staff__user=user, organisation__staff__is_admin=True)
        | Q(sponsor__contacts__user=user)
    ).distinct()


def organisations_for_new_sets(user) -> QuerySet[Organisation]:
    """The organisations in which the user may create sets: where they are admin or facilitator."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    # One filter() call, so both conditions apply to the same staff row.
    return Organisation.objects.filter(
        Q(staff__user=user) & (Q(staff__is_admin=True) | Q(staff__is_facilitator=True))
    ).order_by("name", "id")
