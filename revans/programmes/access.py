"""Who may read a sponsor's programme report: the one place this rule lives.

The programme report is written for the sponsor: its contacts read it, and so do the admins of
the organisation that runs the sets (they send it and set its cost). Facilitators, members and
everyone else get a 404 (facilitators read each set's own report where they facilitate).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import Http404

from revans.organisations.models import OrganisationMembership, Sponsor, SponsorContact


@dataclass(frozen=True)
class ProgrammeAccess:
    sponsor: Sponsor
    is_admin: bool
    is_contact: bool

    @property
    def organisation(self):
        return self.sponsor.organisation


def access_programme_for_user(
    user, slug: str, sponsor_id: int, admin_only: bool = False
) -> ProgrammeAccess:
    """The sponsor behind `slug` and `sponsor_id`, if the user is one of its contacts or an
    admin of its organisation (`admin_only`: an admin); else 404. One query."""
    if not user.is_authenticated:
        raise Http404
    sponsor = (
        Sponsor.objects.select_related("organisation")
        .filter(pk=sponsor_id, organisation__slug=slug)
        .annotate(
            user_is_admin=Exists(
                OrganisationMembership.objects.filter(
                    organisation=OuterRef("organisation"), user=user, is_admin=True
                )
            ),
            user_is_contact=Exists(
                SponsorContact.objects.filter(sponsor=OuterRef("pk"), user=user)
            ),
        )
        .first()
    )
    if sponsor is None or not (sponsor.user_is_admin or sponsor.user_is_contact):
        raise Http404
    if admin_only and not sponsor.user_is_admin:
        raise Http404
    return ProgrammeAccess(
        sponsor=sponsor, is_admin=sponsor.user_is_admin, is_contact=sponsor.user_is_contact
    )
