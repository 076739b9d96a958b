import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from revans.organisations.access import (
    OrgNeed,
    access_organisation_for_user,
    access_sponsor_for_user,
    organisations_for_user,
)
from revans.organisations.models import Organisation, OrganisationMembership, Sponsor
from revans.testing import PERSONAS

STAFF_ROLES = {"facilitator": (False, True), "admin": (True, False)}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("need", list(OrgNeed))
def test_access_organisation_for_each_persona(world, persona, need, django_assert_num_queries):
    user = world.persona(persona) or AnonymousUser()
    allowed = persona == "admin" or (need is OrgNeed.STAFF and persona == "facilitator")
    with django_assert_num_queries(0 if persona == "anonymous" else 1):
        if allowed:
            role = access_organisation_for_user(user, "northgate", need)
        else:
            with pytest.raises(Http404):
                access_organisation_for_user(user, "northgate", need)
    if allowed:
        assert role.organisation == world.org
        assert (role.is_admin, role.is_facilitator) == STAFF_ROLES[persona]


def test_an_unknown_slug_is_404(world):
    with pytest.raises(Http404):
        access_organisation_for_user(world.admin, "nowhere", OrgNeed.STAFF)


def test_a_membership_row_without_any_role_gives_no_access(world):
    OrganisationMembership.objects.create(organisation=world.org, user=world.stranger)
    with pytest.raises(Http404):
        access_organisation_for_user(world.stranger, "northgate", OrgNeed.STAFF)


def test_a_sponsor_of_another_organisation_is_404_even_for_its_admin(
    world, django_assert_num_queries
):
    elsewhere = Sponsor.objects.create(organisation=world.other_org, name="Their client")
    with pytest.raises(Http404):
        access_sponsor_for_user(world.admin, "northgate", elsewhere.pk, OrgNeed.STAFF)
    # ...and through its own organisation's slug, only its own admin gets in, in one query.
    with django_assert_num_queries(1):
        access = access_sponsor_for_user(
            world.other_admin, "elsewhere", elsewhere.pk, OrgNeed.ADMIN
        )
    assert access.sponsor == elsewhere
    with pytest.raises(Http404):
        access_sponsor_for_user(world.admin, "elsewhere", elsewhere.pk, OrgNeed.STAFF)


def test_organisations_for_user_lists_only_staff_roles(world, django_assert_num_queries):
    third = Organisation.objects.create(name="Abbey Coaching", slug="abbey", kind="independent")
    OrganisationMembership.objects.create(
        organisation=third, user=world.facilitator, is_admin=True, is_facilitator=True
    )
    with django_assert_num_queries(1):
        rows = [
            (o.slug, o.user_is_admin, o.user_is_facilitator)
            for o in organisations_for_user(world.facilitator)
        ]
    assert rows == [("abbey", True, True), ("northgate", False, True)]
    assert [o.slug for o in organisations_for_user(world.other_admin)] == ["elsewhere"]
    for persona in ("member", "sponsor", "stranger", "other_member"):
        assert list(organisations_for_user(world.persona(persona))) == []
    assert list(organisations_for_user(AnonymousUser())) == []
