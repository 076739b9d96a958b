import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from revans.core.models import OutboundEmail
from revans.organisations.models import OrganisationMembership
from revans.organisations.tests.helpers import (
    ADMINS,
    STAFF,
    assert_refused,
    grow_people,
    messages_of,
    sign_in_as,
)
from revans.testing import PERSONAS, count_queries, make_user

URL = reverse("organisations:people", args=["northgate"])


def _membership(world, user):
    return OrganisationMembership.objects.get(organisation=world.org, user=user)


def _roles_url(membership):
    return reverse("organisations:person_roles", args=["northgate", membership.pk])


def _remove_url(membership):
    return reverse("organisations:person_remove", args=["northgate", membership.pk])


def _error_next_to(response, field_id: str) -> str:
    body = response.content.decode()
    marker = f'id="{field_id}_error">'
    assert marker in body, f"no error shown next to {field_id}"
    return body.split(marker, 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("persona", PERSONAS)
def test_people_page_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(URL)
    if persona not in STAFF:
        assert_refused(response, world, persona)
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ada Admin" in body and "Fran Facilitator" in body
    # Set members, sponsors and other organisations' admins are not the organisation's people.
    for outsider in (world.member, world.sponsor, world.other_admin):
        assert outsider.email not in body
    # Only admins get the forms that change people.
    assert ("Add a person" in body) == (persona == "admin")
    assert ("Save roles" in body) == (persona == "admin")


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_a_person_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.post(URL, {"email": "new@northgate.example", "roles": ["facilitator"]})
    added = OrganisationMembership.objects.filter(user__email="new@northgate.example").exists()
    if persona in ADMINS:
        assert response.status_code == 302 and response.url == URL
        assert added
    else:
        assert_refused(response, world, persona)
        assert not added


@pytest.mark.parametrize("persona", PERSONAS)
def test_changing_roles_for_each_persona(client, world, persona):
    target = _membership(world, world.facilitator)
    sign_in_as(client, world, persona)
    response = client.post(_roles_url(target), {f"m{target.pk}-roles": ["admin", "facilitator"]})
    target.refresh_from_db()
    if persona in ADMINS:
        assert response.status_code == 302
        assert target.is_admin and target.is_facilitator
    else:
        assert_refused(response, world, persona)
        assert not target.is_admin


@pytest.mark.parametrize("persona", PERSONAS)
def test_removing_a_person_for_each_persona(client, world, persona):
    spare = make_user("spare@northgate.example", "Spare Person")
    target = OrganisationMembership.objects.create(
        organisation=world.org, user=spare, is_facilitator=True
    )
    sign_in_as(client, world, persona)
    response = client.post(_remove_url(target))
    still_there = OrganisationMembership.objects.filter(pk=target.pk).exists()
    if persona in ADMINS:
        assert response.status_code == 302
        assert not still_there
    else:
        assert_refused(response, world, persona)
        assert still_there


def test_another_organisations_person_cannot_be_reached_through_our_slug(client, world):
    theirs = OrganisationMembership.objects.get(organisation=world.other_org)
    client.force_login(world.admin)
    assert client.post(_remove_url(theirs)).status_code == 404
    assert (
        client.post(_roles_url(theirs), {f"m{theirs.pk}-roles": ["facilitator"]}).status_code == 404
    )
    assert OrganisationMembership.objects.filter(pk=theirs.pk, is_admin=True).exists()


def test_adding_a_new_person_creates_the_account_and_emails_a_way_in(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL,
            {"email": "Nina@Northgate.example", "full_name": "Nina New", "roles": ["admin"]},
            follow=True,
        )
    assert "Nina New is added and has been emailed a way to sign in." in messages_of(response)
    user = get_user_model().objects.get(email="nina@northgate.example")
    assert user.full_name == "Nina New" and not user.has_usable_password()
    row = _membership(world, user)
    assert (row.is_admin, row.is_facilitator) == (True, False)
    queued = OutboundEmail.objects.get(kind="staff_added")
    assert (queued.to_email, queued.organisation) == ("nina@northgate.example", world.org)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["nina@northgate.example"]
    assert "Northgate Learning" in sent.subject
    assert (
        "Ada Admin added you to Northgate Learning on Revans as an organisation admin" in sent.body
    )
    assert "http://testserver/" in sent.body
    assert "&next=%2Forgs%2Fnorthgate%2F" in sent.body
    # Names and a link only: nothing about any set.
    for text in (world.set_a.name, world.set_b.name, world.set_a.cohort, "Client Council"):
        assert text not in sent.body


def test_adding_the_same_person_twice_updates_roles_without_duplicates(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"email": "twice@northgate.example", "roles": ["facilitator"]})
        response = client.post(
            URL,
            {"email": "TWICE@northgate.example", "roles": ["admin", "facilitator"]},
            follow=True,
        )
    rows = OrganisationMembership.objects.filter(user__email="twice@northgate.example")
    assert rows.count() == 1
    assert (rows[0].is_admin, rows[0].is_facilitator) == (True, True)
    assert get_user_model().objects.filter(email__iexact="twice@northgate.example").count() == 1
    assert len(mail.outbox) == 1  # told once, when added
    assert any("already in the organisation" in m for m in messages_of(response))


def test_an_existing_account_is_added_without_a_new_one(client, world):
    client.force_login(world.admin)
    client.post(URL, {"email": world.member.email, "roles": ["facilitator"]})
    assert _membership(world, world.member).is_facilitator
    assert get_user_model().objects.filter(email=world.member.email).count() == 1


@pytest.mark.parametrize(
    "data,field_id,message",
    [
        ({"email": "not an email", "roles": ["admin"]}, "id_email", "Enter a valid email address."),
        ({"email": "", "roles": ["admin"]}, "id_email", "This field is required."),
        ({"email": "ok@northgate.example"}, "id_roles", "Choose at least one role."),
        (
            {"email": "ok@northgate.example", "roles": ["owner"]},
            "id_roles",
            "Select a valid choice.",
        ),
    ],
)
def test_bad_input_when_adding_is_shown_next_to_the_field_and_kept(
    client, world, data, field_id, message
):
    client.force_login(world.admin)
    response = client.post(URL, {"full_name": "Kept Name", **data})
    assert response.status_code == 200
    assert message in _error_next_to(response, field_id)
    body = response.content.decode()
    assert 'value="Kept Name"' in body
    if data["email"]:
        assert f'value="{data["email"]}"' in body
    assert OrganisationMembership.objects.filter(organisation=world.org).count() == 2


def test_roles_can_change(client, world):
    target = _membership(world, world.facilitator)
    client.force_login(world.admin)
    response = client.post(
        _roles_url(target), {f"m{target.pk}-roles": ["admin", "facilitator"]}, follow=True
    )
    assert "The roles of Fran Facilitator are updated." in messages_of(response)
    target.refresh_from_db()
    assert target.is_admin and target.is_facilitator


def test_the_last_admin_keeps_the_admin_role(client, world):
    target = _membership(world, world.admin)
    client.force_login(world.admin)
    response = client.post(_roles_url(target), {f"m{target.pk}-roles": ["facilitator"]})
    assert response.status_code == 200
    error = _error_next_to(response, f"id_m{target.pk}-roles")
    assert "Ada Admin is the only admin of this organisation" in error
    # The choice made stays on screen for that person.
    body = response.content.decode()
    assert f'name="m{target.pk}-roles" value="facilitator"' in body
    target.refresh_from_db()
    assert target.is_admin


def test_no_role_at_all_is_refused_next_to_the_roles(client, world):
    target = _membership(world, world.facilitator)
    client.force_login(world.admin)
    response = client.post(_roles_url(target), {})
    assert "Choose at least one role." in _error_next_to(response, f"id_m{target.pk}-roles")
    target.refresh_from_db()
    assert target.is_facilitator


def test_removing_the_last_admin_is_refused_with_a_message(client, world):
    target = _membership(world, world.admin)
    client.force_login(world.admin)
    response = client.post(_remove_url(target), follow=True)
    assert any(
        "Ada Admin is the only admin of this organisation" in m for m in messages_of(response)
    )
    assert OrganisationMembership.objects.filter(pk=target.pk).exists()


def test_a_facilitator_of_live_sets_is_not_removed_and_the_sets_are_named(client, world):
    target = _membership(world, world.facilitator)
    client.force_login(world.admin)
    response = client.post(_remove_url(target), follow=True)
    assert any(
        "Fran Facilitator still facilitates Heads of Service" in m for m in messages_of(response)
    )
    assert OrganisationMembership.objects.filter(pk=target.pk).exists()
    # Taking away only the facilitator role is refused for the same reason.
    response = client.post(_roles_url(target), {f"m{target.pk}-roles": ["admin"]})
    assert "still facilitates Heads of Service" in _error_next_to(
        response, f"id_m{target.pk}-roles"
    )
    target.refresh_from_db()
    assert target.is_facilitator and not target.is_admin


def test_a_facilitator_whose_sets_are_archived_can_be_removed(client, world):
    world.set_a.archived_at = timezone.now()
    world.set_a.save()
    target = _membership(world, world.facilitator)
    client.force_login(world.admin)
    response = client.post(_remove_url(target), follow=True)
    assert "Fran Facilitator is no longer part of Northgate Learning." in messages_of(response)
    assert not OrganisationMembership.objects.filter(pk=target.pk).exists()


def test_an_admin_may_leave_when_another_admin_remains(client, world):
    OrganisationMembership.objects.create(
        organisation=world.org, user=world.stranger, is_admin=True
    )
    client.force_login(world.admin)
    response = client.post(_remove_url(_membership(world, world.admin)))
    assert response.url == reverse("home:home")
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("persona", ["admin", "facilitator"])
def test_people_query_count_is_constant(client, world, persona, django_assert_num_queries):
    client.force_login(world.persona(persona))
    small, _ = count_queries(client, "get", URL)
    grow_people(world, 20)
    large, response = count_queries(client, "get", URL)
    assert "Person 19" in response.content.decode()
    assert small == large
    with django_assert_num_queries(4):  # session, user, access, people
        client.get(URL)


def test_the_email_links_to_the_sign_in_link_request_page(
    client, world, django_capture_on_commit_callbacks
):
    try:
        request_url = reverse("accounts:sign_in_link_request")
    except NoReverseMatch:
        pytest.skip("accounts:sign_in_link_request is not built yet (accounts helper)")
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"email": "nina@northgate.example", "roles": ["facilitator"]})
    expected = (
        f"http://testserver{request_url}?email=nina%40northgate.example&next=%2Forgs%2Fnorthgate%2F"
    )
    assert expected in mail.outbox[0].body
