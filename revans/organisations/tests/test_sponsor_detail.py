import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from revans.core.models import OutboundEmail
from revans.organisations.models import Sponsor, SponsorContact
from revans.organisations.tests.helpers import (
    ADMINS,
    STAFF,
    assert_refused,
    grow_contacts,
    messages_of,
    sign_in_as,
)
from revans.testing import PERSONAS, count_queries, make_set, make_user


def _url(world, name="sponsor_detail", *extra):
    return reverse(f"organisations:{name}", args=["northgate", world.sponsor_body.pk, *extra])


def _error_next_to(response, field: str) -> str:
    body = response.content.decode()
    marker = f'id="id_{field}_error">'
    assert marker in body, f"no error shown next to {field}"
    return body.split(marker, 1)[1].split("</p>", 1)[0]


@pytest.mark.parametrize("persona", PERSONAS)
def test_sponsor_page_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.get(_url(world))
    if persona not in STAFF:
        assert_refused(response, world, persona)
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert "Client Council" in body and "Sam Sponsor" in body
    assert world.set_a.name in body  # the set it sponsors
    assert world.set_b.name not in body  # not sponsored by it
    assert ("Add a contact" in body) == (persona == "admin")


@pytest.mark.parametrize("persona", PERSONAS)
def test_renaming_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.post(_url(world), {"name": "County Council", "kind": "client"})
    world.sponsor_body.refresh_from_db()
    if persona in ADMINS:
        assert response.status_code == 302
        assert world.sponsor_body.name == "County Council"
    else:
        assert_refused(response, world, persona)
        assert world.sponsor_body.name == "Client Council"


@pytest.mark.parametrize("persona", PERSONAS)
def test_adding_a_contact_for_each_persona(client, world, persona):
    sign_in_as(client, world, persona)
    response = client.post(_url(world, "contact_add"), {"email": "cara@client.example"})
    added = SponsorContact.objects.filter(user__email="cara@client.example").exists()
    if persona in ADMINS:
        assert response.status_code == 302 and added
    else:
        assert_refused(response, world, persona)
        assert not added


@pytest.mark.parametrize("persona", PERSONAS)
def test_removing_a_contact_for_each_persona(client, world, persona):
    contact = SponsorContact.objects.get(sponsor=world.sponsor_body, user=world.sponsor)
    sign_in_as(client, world, persona)
    response = client.post(_url(world, "contact_remove", contact.pk))
    still_there = SponsorContact.objects.filter(pk=contact.pk).exists()
    if persona in ADMINS:
        assert response.status_code == 302 and not still_there
    else:
        assert_refused(response, world, persona)
        assert still_there


def test_a_sponsor_of_another_organisation_is_404(client, world):
    theirs = Sponsor.objects.create(organisation=world.other_org, name="Their Client")
    their_contact = SponsorContact.objects.create(sponsor=theirs, user=world.stranger)
    client.force_login(world.admin)
    url = reverse("organisations:sponsor_detail", args=["northgate", theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Hijacked", "kind": "client"}).status_code == 404
    add = reverse("organisations:contact_add", args=["northgate", theirs.pk])
    assert client.post(add, {"email": "x@example.com"}).status_code == 404
    # A contact of their sponsor, reached through ours, is 404 too.
    assert client.post(_url(world, "contact_remove", their_contact.pk)).status_code == 404
    assert SponsorContact.objects.filter(pk=their_contact.pk).exists()
    theirs.refresh_from_db()
    assert theirs.name == "Their Client"


def test_adding_a_contact_creates_the_account_and_emails_them_without_set_content(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(world, "contact_add"),
            {"email": "Cara@Client.example", "full_name": "Cara Contact"},
            follow=True,
        )
    assert "Cara Contact is now a contact and has been emailed a way to sign in." in messages_of(
        response
    )
    user = get_user_model().objects.get(email="cara@client.example")
    assert SponsorContact.objects.filter(sponsor=world.sponsor_body, user=user).exists()
    assert OutboundEmail.objects.get(kind="sponsor_contact_added").to_email == user.email
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "Client Council" in body and "Northgate Learning" in body
    assert "see the schedule of the sets Client Council commissions" in body
    assert "http://testserver/" in body
    for text in (world.set_a.name, world.set_a.cohort, world.member.full_name):
        assert text not in body
        assert text not in mail.outbox[0].subject


def test_adding_a_contact_twice_changes_nothing(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(world, "contact_add"), {"email": world.sponsor.email.upper()}, follow=True
        )
    assert "Sam Sponsor was already a contact." in messages_of(response)
    assert SponsorContact.objects.filter(sponsor=world.sponsor_body).count() == 1
    assert mail.outbox == []


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"email": "nope", "full_name": "Kept Name"}, "email", "Enter a valid email address."),
        ({"email": "", "full_name": "Kept Name"}, "email", "This field is required."),
        ({"email": "a@b.example", "full_name": "K" * 121}, "full_name", "at most 120"),
    ],
)
def test_bad_contact_input_is_shown_next_to_the_field_and_kept(client, world, data, field, message):
    client.force_login(world.admin)
    response = client.post(_url(world, "contact_add"), data)
    assert response.status_code == 200
    assert message in _error_next_to(response, field)
    body = response.content.decode()
    for value in data.values():
        if value:
            assert f'value="{value}"' in body
    assert SponsorContact.objects.filter(sponsor=world.sponsor_body).count() == 1


def test_renaming_to_a_taken_name_is_refused_and_the_heading_keeps_the_real_name(client, world):
    Sponsor.objects.create(organisation=world.org, name="Harbour Trust")
    client.force_login(world.admin)
    response = client.post(_url(world), {"name": "harbour trust", "kind": "department"})
    assert response.status_code == 200
    assert "already has a sponsor called harbour trust" in _error_next_to(response, "name")
    body = response.content.decode()
    assert 'value="harbour trust"' in body
    assert "Sponsor: Client Council" in body
    world.sponsor_body.refresh_from_db()
    assert (world.sponsor_body.name, world.sponsor_body.kind) == ("Client Council", "client")


def test_renaming_keeps_its_own_name_in_another_case(client, world):
    client.force_login(world.admin)
    response = client.post(_url(world), {"name": "CLIENT council", "kind": "department"})
    assert response.status_code == 302
    world.sponsor_body.refresh_from_db()
    assert (world.sponsor_body.name, world.sponsor_body.kind) == ("CLIENT council", "department")


def test_removing_a_contact_confirms_it(client, world):
    contact = SponsorContact.objects.get(sponsor=world.sponsor_body, user=world.sponsor)
    client.force_login(world.admin)
    response = client.post(_url(world, "contact_remove", contact.pk), follow=True)
    assert "Sam Sponsor is no longer a contact for Client Council." in messages_of(response)
    assert get_user_model().objects.filter(pk=world.sponsor.pk).exists()  # the account stays


@pytest.mark.parametrize("persona", ["admin", "facilitator"])
def test_sponsor_page_query_count_is_constant(client, world, persona, django_assert_num_queries):
    client.force_login(world.persona(persona))
    grow_contacts(world.sponsor_body, 2)
    small, _ = count_queries(client, "get", _url(world))
    grow_contacts(world.sponsor_body, 20)
    for i in range(10):
        make_set(
            world.org, make_user(f"f{i}@northgate.example"), f"More {i}", sponsor=world.sponsor_body
        )
    large, response = count_queries(client, "get", _url(world))
    assert "Contact 19" in response.content.decode() and "More 9" in response.content.decode()
    assert small == large
    with django_assert_num_queries(5):  # session, user, access, contacts, sets
        client.get(_url(world))
