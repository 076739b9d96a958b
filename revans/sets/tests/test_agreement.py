import pytest
from django.urls import reverse
from django.utils import timezone

from revans.sets.models import LearningSet, SetMembership
from revans.sets.tests.helpers import assert_refused, grow_set, sign_in_as
from revans.testing import PERSONAS, count_queries

PAGE_ALLOWED = {"facilitator", "member", "admin"}


def url(world):
    return reverse("sets:agreement", args=[world.set_a.pk])


def not_accepted(user):
    SetMembership.objects.filter(user=user).update(
        agreement_accepted_at=None, agreement_version_accepted=None
    )


def membership(world, user=None):
    return SetMembership.objects.get(learning_set=world.set_a, user=user or world.member)


@pytest.mark.parametrize("persona", PERSONAS)
def test_agreement_page_is_for_members_facilitator_and_admins(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(url(world))
    if persona in PAGE_ALLOWED:
        body = response.content.decode()
        assert response.status_code == 200
        assert "Statements only in response to questions." in body
        assert "What is said in the set stays in the set." in body
    else:
        assert_refused(response, world, persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_a_member_can_accept(client, world, persona):
    not_accepted(world.member)
    sign_in_as(client, world, persona)
    response = client.post(url(world), {"version": "1"})
    if persona == "member":
        assert response.status_code == 302
        assert membership(world).has_accepted()
    else:
        if persona in PAGE_ALLOWED:
            # The facilitator and admins read the agreement but have nothing to accept.
            assert response.status_code == 404
        else:
            assert_refused(response, world, persona)
        assert not membership(world).has_accepted()


def test_a_member_reads_accepts_and_sees_when(client, world):
    not_accepted(world.member)
    client.force_login(world.member)
    body = client.get(url(world)).content.decode()
    assert "I accept the ground rules and the confidentiality agreement" in body
    response = client.post(url(world), {"version": "1"}, follow=True)
    body = response.content.decode()
    accepted = membership(world)
    assert accepted.agreement_version_accepted == 1
    assert abs((timezone.now() - accepted.agreement_accepted_at).total_seconds()) < 60
    assert "You accepted on" in body
    assert "I accept the ground rules" not in body


def test_accepting_an_agreement_that_changed_meanwhile_is_refused(client, world):
    not_accepted(world.member)
    LearningSet.objects.filter(pk=world.set_a.pk).update(agreement_version=2)
    client.force_login(world.member)
    response = client.post(url(world), {"version": "1"}, follow=True)
    assert "The agreement changed while you were reading it" in response.content.decode()
    assert not membership(world).has_accepted()


def test_after_a_change_members_accept_again(client, world):
    LearningSet.objects.filter(pk=world.set_a.pk).update(agreement_version=2)
    client.force_login(world.member)
    body = client.get(url(world)).content.decode()
    assert "The text has changed since you last accepted it." in body
    client.post(url(world), {"version": "2"})
    assert membership(world).agreement_version_accepted == 2


def test_the_facilitator_sees_who_has_and_has_not_accepted(client, world):
    not_accepted(world.members[2])
    client.force_login(world.facilitator)
    response = client.get(url(world))
    body = response.content.decode()
    assert "Who has accepted" in body
    assert "1 member has not accepted the current version yet." in body
    rows = {m.user.full_name: m.accepted for m in response.context["members"]}
    assert rows == {"Member 1": True, "Member 2": True, "Member 3": False, "Member 4": True}
    # Members do not get the list.
    client.force_login(world.member)
    assert "Who has accepted" not in client.get(url(world)).content.decode()


def test_agreement_page_queries_stay_constant(client, world, django_assert_num_queries):
    client.force_login(world.facilitator)
    small, _ = count_queries(client, "get", url(world))
    grow_set(world.set_a, 12)
    large, _ = count_queries(client, "get", url(world))
    assert small == large
    with django_assert_num_queries(4):
        client.get(url(world))
