"""Read-side helpers for the organisation pages: each runs a fixed number of queries,
however many sets, people, sponsors or contacts the organisation has."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from revans.meetings.queries import ended, meetings_with_end
from revans.organisations.access import OrgRole
from revans.organisations.models import OrganisationMembership, Sponsor, SponsorContact
from revans.sets.access import Need, annotate_roles, role_of
from revans.sets.models import LearningSet, SetMembership


def _count(queryset, group_by: str):
    """A correlated COUNT(*) for one row of the outer query (0 when there is none)."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def annotate_progress(queryset, now=None):
    """Current members, meetings held (not cancelled and ended), meetings planned and the
    start of the next meeting that has not ended, as SQL subqueries on each set."""
    now = now or timezone.now()
    set_meetings = meetings_with_end().filter(learning_set=OuterRef("pk"))
    return queryset.annotate(
        current_size=_count(
            SetMembership.objects.filter(learning_set=OuterRef("pk"), left_at__isnull=True),
            "learning_set",
        ),
        held_count=_count(set_meetings.filter(ended(now)), "learning_set"),
        scheduled_count=_count(set_meetings, "learning_set"),
        next_meeting_at=Subquery(
            set_meetings.exclude(ended(now)).order_by("starts_at").values("starts_at")[:1]
        ),
    )


@dataclass
class SetGroup:
    key: str
    label: str | Promise
    sets: list = field(default_factory=list)


def organisation_sets(role: OrgRole, user) -> list[SetGroup]:
    """Every set of the organisation, grouped forming / active / completed / archived.

    Each set carries `planned` (the scheduled meetings, or the contract's number before a
    schedule exists) and `can_open` (whether the set's own page would let this user in).
    """
    rows = (
        annotate_progress(
            annotate_roles(LearningSet.objects.filter(organisation=role.organisation), user)
        )
        .select_related("facilitator", "sponsor")
        .order_by("name", "id")
    )
    groups = {
        "forming": SetGroup("forming", _("Forming")),
        "active": SetGroup("active", _("Active")),
        "completed": SetGroup("completed", _("Completed")),
        "archived": SetGroup("archived", _("Archived")),
    }
    for learning_set in rows:
        learning_set.planned = learning_set.scheduled_count or learning_set.meeting_count
        learning_set.can_open = role_of(learning_set, user).allows(Need.SET_PAGE)
        key = "archived" if learning_set.is_archived else learning_set.status
        groups[key].sets.append(learning_set)
    return list(groups.values())


def organisation_people(organisation) -> list[OrganisationMembership]:
    return list(
        OrganisationMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email", "id")
    )


def _contacts_prefetch() -> Prefetch:
    return Prefetch(
        "contacts",
        queryset=SponsorContact.objects.select_related("user").order_by(
            "user__full_name", "user__email", "id"
        ),
    )


def organisation_sponsors(organisation) -> list[Sponsor]:
    """Sponsors by name, each with `set_count` and its contacts prefetched."""
    return list(
        Sponsor.objects.filter(organisation=organisation)
        .annotate(set_count=_count(LearningSet.objects.filter(sponsor=OuterRef("pk")), "sponsor"))
        .prefetch_related(_contacts_prefetch())
        .order_by("name", "id")
    )


def sponsors_with_sets(organisation) -> list[Sponsor]:
    """Sponsors that commission at least one set, by name: each has a programme report."""
    return list(
        Sponsor.objects.filter(organisation=organisation)
        .filter(Exists(LearningSet.objects.filter(sponsor=OuterRef("pk"))))
        .only("id", "name")
        .order_by("name", "id")
    )


def sponsor_contacts(sponsor: Sponsor) -> list[SponsorContact]:
    return list(
        SponsorContact.objects.filter(sponsor=sponsor)
        .select_related("user")
        .order_by("user__full_name", "user__email", "id")
    )


def sponsored_sets(sponsor: Sponsor, user) -> list[LearningSet]:
    rows = list(
        annotate_roles(LearningSet.objects.filter(sponsor=sponsor), user)
        .select_related("facilitator")
        .order_by("archived_at", "name", "id")
    )
    for learning_set in rows:
        learning_set.can_open = role_of(learning_set, user).allows(Need.SET_PAGE)
    return rows
