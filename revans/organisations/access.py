"""Who may see or change an organisation's pages: the one place these rules live.

Views never fetch an organisation or sponsor by bare slug or id; they call the functions
below, which fetch and authorise in one query and raise Http404 for anyone without the
needed role, so nobody outside the organisation learns that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from revans.organisations.models import (
    Organisation,
    OrganisationMembership,
    Sponsor,
    SponsorContact,
)


class OrgNeed(Enum):
    # Admins and facilitators of the organisation: read its pages.
    STAFF = "staff"
    # Admins only: change people, sponsors and contacts.
    ADMIN = "admin"


@dataclass(frozen=True)
class OrgRole:
    organisation: Organisation
    is_admin: bool
    is_facilitator: bool

    @property
    def is_staff(self) -> bool:
        return self.is_admin or self.is_facilitator

    def allows(self, need: OrgNeed) -> bool:
        if need is OrgNeed.STAFF:
            return self.is_staff
        if need is OrgNeed.ADMIN:
            return self.is_admin
        raise ValueError(need)


@dataclass(frozen=True)
class SponsorAccess:
    sponsor: Sponsor
    role: OrgRole


def access_organisation_for_user(user, slug: str, need: OrgNeed) -> OrgRole:
    if not user.is_authenticated:
        raise Http404
    row = (
        OrganisationMembership.objects.select_related("organisation")
        .filter(organisation__slug=slug, user=user)
        .first()
    )
    if row is None:
        raise Http404
    role = OrgRole(
        organisation=row.organisation, is_admin=row.is_admin, is_facilitator=row.is_facilitator
    )
    if not role.allows(need):
        raise Http404
    return role


def access_sponsor_for_user(user, slug: str, sponsor_id: int, need: OrgNeed) -> SponsorAccess:
    """A sponsor of the organisation behind `slug`; a sponsor of another organisation is 404."""
    if not user.is_authenticated:
        raise Http404
    sponsor = (
        Sponsor.objects.select_related("organisation")
        .filter(pk=sponsor_id, organisation__slug=slug)
        .annotate(
            role_is_admin=Exists(
                OrganisationMembership.objects.filter(
                    organisation=OuterRef("organisation"), user=user, is_admin=True
                )
            ),
            role_is_facilitator=Exists(
                OrganisationMembership.objects.filter(
                    organisation=OuterRef("organisation"), user=user, is_facilitator=True
                )
            ),
        )
        .first()
    )
    if sponsor is None:
        raise Http404
    role = OrgRole(
        organisation=sponsor.organisation,
        is_admin=sponsor.role_is_admin,
        is_facilitator=sponsor.role_is_facilitator,
    )
    if not role.allows(need):
        raise Http404
    return SponsorAccess(sponsor=sponsor, role=role)


def person_in_organisation(role: OrgRole, membership_id: int) -> OrganisationMembership:
    """One admin or facilitator row of the organisation the role was checked on (else 404)."""
    membership = (
        OrganisationMembership.objects.select_related("user", "organisation")
        .filter(pk=membership_id, organisation=role.organisation)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def contact_of_sponsor(access: SponsorAccess, contact_id: int) -> SponsorContact:
    """One contact of the sponsor the access was checked on (else 404)."""
    contact = (
        SponsorContact.objects.select_related("user")
        .filter(pk=contact_id, sponsor=access.sponsor)
        .first()
    )
    if contact is None:
        raise Http404
    contact.sponsor = access.sponsor
    return contact


def organisations_for_user(user) -> QuerySet[Organisation]:
    """The organisations whose pages the user may open (for menus), by name.

    Each carries `user_is_admin` and `user_is_facilitator`.
    """
    if not user.is_authenticated:
        return Organisation.objects.none()
    own_row = OrganisationMembership.objects.filter(organisation=OuterRef("pk"), user=user)
    return (
        Organisation.objects.annotate(
            user_is_admin=Exists(own_row.filter(is_admin=True)),
            user_is_facilitator=Exists(own_row.filter(is_facilitator=True)),
        )
        .filter(Q(user_is_admin=True) | Q(user_is_facilitator=True))
        .order_by("name", "id")
    )
